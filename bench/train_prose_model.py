"""Train the learned reading of D2 and N1 (server/domain/data/prose_model.npz) on the tune sets.

    python -m bench.train_prose_model --with-apart            # cross-validate by case, then fit and write
    python -m bench.train_prose_model --with-apart --cv-only  # cross-validate only

Only `tests/data/tune/` is read (the sets in `tests/data/incoming/` that were merged into
it included; with `--with-apart`, the tune parts of the sets written apart in
`tests/data/tune/incoming/`, the cases named in their held-aside lists left out); never
the evaluation sets. The shipped reading is trained with `--with-apart`. A sentence's label comes from its case: a
sentence of a track the case expects a finding on, which the phrase rules quote, is a
framing; every sentence of a track the case expects nothing on is not. Where the case
expects a finding that the rules do not find, the sentence the first model holds most
likely is taken as the framing (one round of multiple-instance learning) and the
track's other sentences are left out.

Cross-validation is grouped by case (five folds), so no case is scored by a model that
saw it. The threshold per principle is chosen on the folds' out-of-fold scores at the
track level, as the check uses the reading: a track is flagged when the rules flag it
or when one of its sentences scores above the threshold. The script prints the
file's SHA-256, which `server/domain/checks/_reading_model.py` checks at load.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from server.domain.checks import _condition
from server.domain.checks import _reading_model as rm
from server.domain.checks import d2_separate_agendas as d2
from server.domain.checks import n1_ihl_not_negotiable as n1
from server.domain.checks._common import planned_or_running_tracks, track_texts, voice
from server.domain.checks._prose import statements
from server.domain.snapshot import Snapshot, parse_document

TUNE = Path(__file__).resolve().parent.parent / "tests" / "data" / "tune"
C = 0.05
# Labels come from the rules alone.
rm.ENABLED = False


@dataclass
class Row:
    case: str
    track: str  # the finding's subjects joined: "t1" or "t1,decision-key"
    sentence: str
    x: np.ndarray
    label: int  # 1 framing, 0 not, -1 unknown (expected, not found by the rules)


def rule_sentences(principle: str, text: str, v: object, humanitarian: bool, where: str) -> list[str]:
    plan = where.split()[0] in ("title", "aim", "objective", "metric")
    # the clause-level reading of condition, as the checks use it on a track's texts (not its red lines)
    held = [] if where == "red line" else _condition.conditions(text, v, humanitarian, plan)  # type: ignore[arg-type]
    if principle == "D2":
        found = d2.trades(text, v, humanitarian=humanitarian)  # type: ignore[arg-type]
        if not humanitarian:
            found += d2.offers(text, v)  # type: ignore[arg-type]
        return found + [c.statement for c in held if c.kind != _condition.HALT_KIND]
    framed = n1.framings(text, v, plan=plan, humanitarian=humanitarian)  # type: ignore[arg-type]
    out = [s for hits in framed.values() for s in hits]
    out += [c.statement for c in held if c.kind != _condition.AGENDA_KIND]
    if humanitarian and not out:
        out += n1.halt_as_aim(text, where, v)  # type: ignore[arg-type]
    return out


def sources(snapshot: Snapshot, i: object) -> list[tuple[str, str, str | None]]:
    out = [(s.where, s.text, s.decision) for s in track_texts(snapshot, i, metrics=True)]  # type: ignore[arg-type]
    out += [("red line", rl.text, None) for rl in i.red_lines]  # type: ignore[attr-defined]
    return out


def case_rows(principle: str, case: dict[str, object]) -> list[Row]:
    from server.domain.checks import by_id
    from tests.eval.scoring import match

    snapshot = Snapshot(parse_document(case["document"]))
    expect = [sorted(e) for e in case["expect"]]  # type: ignore[attr-defined]
    found = [f for f in by_id(principle).run(snapshot) if f.principle == principle]
    missed = {m for e in expect for m in [",".join(e)] if match(found, [e])[0] == 0}
    expected_tracks = {k for e in expect for k in e}
    out: list[Row] = []
    for i in planned_or_running_tracks(snapshot):
        v = voice(snapshot, i)
        hum = i.kind == "humanitarian"
        for where, text, decision in sources(snapshot, i):
            subject = ",".join(sorted([i.key, decision])) if decision else i.key
            sentences = statements(text)
            if not sentences:
                continue
            quoted = " ".join(rule_sentences(principle, text, v, hum, where))
            x = rm.rows(sentences, v, hum, where)
            for s, row in zip(sentences, x, strict=True):
                if not rm.speaks(s, v, where):
                    continue  # the reading never scores it
                if subject in missed:
                    label = -1
                else:
                    label = 1 if s in quoted and i.key in expected_tracks else 0
                out.append(Row(str(case["name"]), subject, s, row, label))
    return out


def held_aside(principle: str) -> set[str]:
    """The names of the cases written apart that are held aside from tuning (never trained on)."""
    names: set[str] = set()
    for path in sorted((TUNE / "incoming").glob(f"{principle}-*held-aside.txt")):
        names |= {x.strip() for x in path.read_text().splitlines() if x.strip() and not x.startswith("#")}
    return names


def apart(principle: str) -> list[dict[str, object]]:
    """The tune parts of the sets written apart (`tests/data/tune/incoming/<P>-apart*.json`), held-aside cases left out."""
    held = held_aside(principle)
    cases: list[dict[str, object]] = []
    for path in sorted((TUNE / "incoming").glob(f"{principle}-apart*.json")):
        cases += [c for c in json.loads(path.read_text())["cases"] if c["name"] not in held]
    return cases


def load(
    principle: str, extra: list[Path], with_apart: bool = False
) -> tuple[list[dict[str, object]], list[Row]]:
    cases = json.loads((TUNE / f"{principle}.json").read_text())["cases"]
    for p in extra:
        cases += json.loads(p.read_text())["cases"]
    if with_apart:
        cases += apart(principle)
    rows: list[Row] = []
    for c in cases:
        rows += case_rows(principle, c)
    return cases, rows


def fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-3
    lr = LogisticRegression(C=C, max_iter=2000, class_weight="balanced")
    lr.fit((x - mean) / scale, y)
    return mean, scale, lr.coef_[0].astype(np.float32), float(lr.intercept_[0])


def predict(model: tuple[np.ndarray, np.ndarray, np.ndarray, float], x: np.ndarray) -> np.ndarray:
    mean, scale, w, b = model
    return np.asarray(1.0 / (1.0 + np.exp(-(((x - mean) / scale) @ w + b))))


def mil_labels(rows: list[Row], p: np.ndarray) -> np.ndarray:
    """Labels with, for each expected track the rules miss, its likeliest sentence as the framing."""
    y = np.array([r.label for r in rows])
    best: dict[tuple[str, str], int] = {}
    for n, r in enumerate(rows):
        if r.label == -1:
            k = (r.case, r.track)
            if k not in best or p[n] > p[best[k]]:
                best[k] = n
    for n in best.values():
        y[n] = 1
    return y


def train(rows: list[Row], idx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    x = np.stack([rows[n].x for n in idx])
    y0 = np.array([rows[n].label for n in idx])
    known = y0 >= 0
    first = fit(x[known], y0[known])
    y = mil_labels([rows[n] for n in idx], predict(first, x))
    keep = y >= 0
    return fit(x[keep], y[keep])


def track_scores(rows: list[Row], p: np.ndarray) -> dict[tuple[str, str], float]:
    out: dict[tuple[str, str], float] = {}
    for r, x in zip(rows, p, strict=True):
        k = (r.case, r.track)
        out[k] = max(out.get(k, 0.0), float(x))
    return out


def cross_validate(principle: str, rows: list[Row], folds: int = 5) -> np.ndarray:
    from sklearn.model_selection import GroupKFold

    groups = np.array([r.case for r in rows])
    oof = np.zeros(len(rows))
    for tr, te in GroupKFold(n_splits=folds).split(np.zeros(len(rows)), groups=groups):
        m = train(rows, tr)
        oof[te] = predict(m, np.stack([rows[n].x for n in te]))
    return oof


def report(principle: str, rows: list[Row], oof: np.ndarray, cases: list[dict[str, object]]) -> float:
    """Track-level recall and precision of the model alone over out-of-fold scores; the threshold chosen."""
    scores = track_scores(rows, oof)
    expected = {(str(c["name"]), ",".join(sorted(e))) for c in cases for e in c["expect"]}  # type: ignore[attr-defined]
    best_t, best_f = 0.5, -1.0
    # Never below 0.9: the reading adds alerts to rules that are certain where they fire.
    for t in np.arange(0.5, 0.995, 0.01):
        flagged = {k for k, s in scores.items() if s >= t}
        tp = len(flagged & expected)
        prec = tp / len(flagged) if flagged else 1.0
        rec = tp / len(expected)
        # Precision counts double: the reading only adds alerts to the rules'.
        f = (1 + 0.5**2) * prec * rec / (0.25 * prec + rec) if tp else 0.0
        if t in (0.5, 0.7, 0.8, 0.9, 0.95) or abs(t - round(t, 1)) < 1e-9:
            print(
                f"  {principle} t={t:.2f} model alone: recall {rec:.2f} precision {prec:.2f} flagged {len(flagged)}"
            )
        if f > best_f and t >= 0.9 - 1e-9:
            best_t, best_f = float(t), f
    print(f"  {principle} threshold {best_t:.2f}")
    return best_t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cv-only", action="store_true")
    ap.add_argument("--extra", action="append", default=[], help="a further tune file: P=path")
    ap.add_argument("--out", type=Path, default=rm.PATH)
    ap.add_argument(
        "--with-apart",
        action="store_true",
        help="add the tune parts of the sets written apart (held-aside cases never)",
    )
    args = ap.parse_args(argv)
    extras: dict[str, list[Path]] = {p: [] for p in rm.PRINCIPLES}
    for e in args.extra:
        p, _, path = e.partition("=")
        extras[p].append(Path(path))
    weights, bias, threshold = {}, {}, {}
    means: list[None] = []
    all_rows: dict[str, list[Row]] = {}
    for principle in rm.PRINCIPLES:
        cases, rows = load(principle, extras[principle], args.with_apart)
        all_rows[principle] = rows
        y = np.array([r.label for r in rows])
        print(
            f"{principle}: {len(cases)} cases, {len(rows)} sentences, {int((y == 1).sum())} framings, "
            f"{int((y == -1).sum())} unknown"
        )
        oof = cross_validate(principle, rows)
        threshold[principle] = report(principle, rows, oof, cases)
    if args.cv_only:
        return 0
    # One standardisation for both principles: fitted on all sentences of both sets.
    x_all = np.stack([r.x for rows in all_rows.values() for r in rows])
    mean, scale = x_all.mean(axis=0), x_all.std(axis=0) + 1e-3
    for principle, rows in all_rows.items():
        m = train(rows, np.arange(len(rows)))
        # Re-express the fitted weights over the common standardisation.
        m_mean, m_scale, w, b = m
        w2 = w / m_scale * scale
        b2 = b + float(((mean - m_mean) / m_scale) @ w)
        weights[principle], bias[principle] = w2.astype(np.float32), b2
        means.append(None)
    reading = rm.Reading(mean.astype(np.float32), scale.astype(np.float32), weights, bias, threshold)
    reading.save(args.out)
    print(f"wrote {args.out}\nSHA-256 {hashlib.sha256(args.out.read_bytes()).hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
