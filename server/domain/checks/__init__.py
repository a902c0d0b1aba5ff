"""The ten principles of the policy paper, one pure check module each.

Every module exports the same shape: `ID` (D1-D5, N1-N5), `TITLE`, `WORDS` (the
paper's words it stands on) and `run(snapshot) -> list[Finding]`.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from server.domain.snapshot import Finding, Snapshot

MODULES = (
    "d1_ground_realities",
    "d2_separate_agendas",
    "d3_objectives_red_lines",
    "d4_cross_department",
    "d5_influencers",
    "n1_ihl_not_negotiable",
    "n2_disengagement",
    "n3_symbolic_metrics",
    "n4_parallel_tracks",
    "n5_do_no_harm",
)


def all_checks() -> list[ModuleType]:
    """The check modules, in the paper's order."""
    return [importlib.import_module(f"server.domain.checks.{name}") for name in MODULES]


def by_id(principle: str) -> ModuleType:
    for module in all_checks():
        if module.ID == principle:
            return module
    raise KeyError(principle)


def run_all(snapshot: Snapshot, only: set[str] | None = None) -> list[Finding]:
    """Run every check (or those named in `only`) and return their findings, sorted."""
    findings: list[Finding] = []
    for module in all_checks():
        if only is None or module.ID in only:
            findings.extend(module.run(snapshot))
    return sorted(findings, key=lambda f: (f.principle, f.kind, f.subjects))
