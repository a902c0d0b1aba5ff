"""The ten principles of the policy paper, one pure check module each.

Every module exports the same shape: `ID` (D1-D5, N1-N5), `TITLE`, `WORDS` (the
paper's words it stands on) and `run(snapshot) -> list[Finding]`. A principle's later
kinds of finding may live in a module of their own (`MORE`), with the same shape and
the principle's `ID`; they run with the ten.
"""

from __future__ import annotations

import importlib
from collections.abc import Collection
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

# Kinds of finding of a principle above, judged apart from its first module.
MORE = (
    "n3_outcomes_over_time",
    "n4_contradictory_leverage",
)


def all_checks() -> list[ModuleType]:
    """The ten principles' check modules, in the paper's order."""
    return [importlib.import_module(f"server.domain.checks.{name}") for name in MODULES]


def all_modules() -> list[ModuleType]:
    """Every check module: the ten principles' and the kinds added to them since."""
    return [importlib.import_module(f"server.domain.checks.{name}") for name in (*MODULES, *MORE)]


def by_id(principle: str) -> ModuleType:
    for module in all_checks():
        if module.ID == principle:
            return module
    raise KeyError(principle)


def run_all(
    snapshot: Snapshot, only: set[str] | None = None, without: Collection[ModuleType] = ()
) -> list[Finding]:
    """Run every check (or those of the principles in `only`, less the modules `without`).

    Returns their findings, sorted."""
    findings: list[Finding] = []
    skip = {m.__name__ for m in without}
    for module in all_modules():
        if (only is None or module.ID in only) and module.__name__ not in skip:
            findings.extend(module.run(snapshot))
    return sorted(findings, key=lambda f: (f.principle, f.kind, f.subjects))
