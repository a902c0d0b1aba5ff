"""Benchmark of the N4 overlap index: full detection, candidates, memory, one-track updates, recall.

    python -m bench.overlap_bench --sizes 10000,100000,300000 [--runs 2]
    python -m bench.overlap_bench --quick

Each size runs in a fresh subprocess so that its peak memory (ru_maxrss) is its own.
The workspaces are synthetic and fictional: 500 crises, each with its own parties,
towns and sites, and processes that one, two or three owners describe in their own
words (see `synthetic` and bench/README.md for what the generator assumes).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from server.domain.checks import n4_parallel_tracks as n4
from server.domain.overlap import CANDIDATE_FLOOR, THRESHOLD, Names, OverlapIndex, TrackRecord, text

TODAY = dt.date(2026, 6, 1)
SYLLABLES = [
    "ka",
    "ve",
    "lor",
    "ost",
    "dru",
    "mi",
    "sel",
    "ta",
    "rin",
    "bo",
    "quel",
    "an",
    "ish",
    "por",
    "zed",
]
KINDS = ["humanitarian"] * 6 + ["political"] * 2 + ["security", "economic"]
STATUSES = ["active"] * 8 + ["paused", "closed", "draft"]
# A crisis gets one object (a named site: mill, dam, camp...) per TRACKS_PER_OBJECT
# tracks, and one local party per TRACKS_PER_PARTY tracks on top of its 5-9 main ones:
# a crisis with more tracks covers more sites, towns and local actors. With these two,
# a track has about as many unrelated look-alikes at 300k tracks as at 10k.
TRACKS_PER_OBJECT = 2.0
TRACKS_PER_PARTY = 10.0

# What a process does; {o} is the object it concerns ("the Kavelor mill"), {p} the town it is in.
ACTIONS: dict[str, dict[str, list[str]]] = {
    "access": {
        "titles": ["Access to {o}", "Opening the road to {o}", "Aid passage to {o} in {p}"],
        "descs": ["Negotiating so that aid convoys can reach {o} in {p}.",
                  "Discussions about letting relief trucks through to {o}.",
                  "Contacts to lift the checkpoints that cut off {o} from {p}."],
        "aims": ["convoys reach {o}", "checkpoints on the road to {o} lifted",
                 "unimpeded delivery of supplies to {o}", "access to {o} every week"],
    },
    "repair": {
        "titles": ["Repairing {o}", "Restoring {o} in {p}", "Engineers to {o}"],
        "descs": ["A repair window so that technicians can fix {o}.",
                  "Talks to let engineers work on {o} near {p} under a lull.",
                  "{o} was damaged in the shelling; we seek safe passage for the repair crews."],
        "aims": ["{o} repaired", "technicians reach {o} safely", "{o} back in operation",
                 "a repair window agreed for {o}"],
    },
    "protect": {
        "titles": ["Protecting {o}", "Keeping {o} out of the fighting", "Safety of {o} in {p}"],
        "descs": ["Asking the parties to keep fighters away from {o}.",
                  "A commitment not to target {o} or use it for military purposes.",
                  "Guarantees for the staff and users of {o} in {p}."],
        "aims": ["no military use of {o}", "{o} spared from shelling", "staff of {o} protected",
                 "armed men withdrawn from {o}"],
    },
    "evacuate": {
        "titles": ["Evacuation from {o}", "Getting civilians out of {o}", "Safe passage out of {p}"],
        "descs": ["Arranging the evacuation of civilians sheltering at {o}.",
                  "Talks on a route for the wounded and sick out of {o} in {p}.",
                  "People trapped at {o} must leave; we negotiate buses and a pause."],
        "aims": ["civilians at {o} evacuated", "a safe route out of {o}", "the wounded leave {o} within two days",
                 "buses allowed through to {o}"],
    },
    "supply": {
        "titles": ["Fuel for {o}", "Keeping {o} running", "Diesel deliveries to {o}"],
        "descs": ["Negotiating passage of diesel so that {o} keeps working.",
                  "A monthly fuel allowance for {o} in {p}.",
                  "{o} runs out of petrol within days; we press for tankers to pass."],
        "aims": ["diesel reaches {o}", "generators at {o} keep running", "a monthly fuel allowance for {o}",
                 "tankers let through to {o}"],
    },
    "demine": {
        "titles": ["Clearing mines around {o}", "Demining near {o}", "Explosive remnants at {o}"],
        "descs": ["Access for clearance teams to the ground around {o} in {p}.",
                  "Maps of the minefields laid near {o} must be handed over.",
                  "Landmines keep people from {o}; we seek a clearance plan."],
        "aims": ["ground around {o} cleared of mines", "minefield maps near {o} handed over",
                 "clearance teams work at {o} unhindered", "people reach {o} safely"],
    },
    "monitor": {
        "titles": ["Observers at {o}", "Monitoring {o}", "Verification mission to {o}"],
        "descs": ["Placing neutral observers at {o} to verify the local arrangement.",
                  "Talks on monitoring who controls {o} in {p}.",
                  "An inspection visit to {o}, reported to both sides."],
        "aims": ["observers deployed at {o}", "monthly verification reports on {o}",
                 "incidents at {o} investigated", "inspectors visit {o}"],
    },
    "reopen": {
        "titles": ["Reopening {o}", "Work resumes at {o}", "{o} open again"],
        "descs": ["Conditions for {o} in {p} to reopen to the public.",
                  "Talks so that workers can return to {o} and resume service.",
                  "{o} has been closed for months; we seek guarantees to reopen it."],
        "aims": ["{o} reopened", "workers return to {o}", "service resumes at {o}", "{o} open to the public"],
    },
    "truce": {
        "titles": ["Local truce at {o}", "Pause in fighting around {o}", "Ceasefire for {o}"],
        "descs": ["A local cessation of hostilities around {o} in {p}.",
                  "Days of calm near {o} so that civilians can move.",
                  "Negotiating a lull around {o}, with a hotline between commanders."],
        "aims": ["no shelling around {o}", "a local truce at {o} holds", "a hotline for incidents near {o}",
                 "civilians move freely near {o}"],
    },
    "handover": {
        "titles": ["Handover of {o}", "Transfer of control over {o}", "Who runs {o}"],
        "descs": ["Talks on handing {o} in {p} to a civilian administration.",
                  "An arrangement for a neutral operator to run {o}.",
                  "Both sides claim {o}; we mediate a transfer to local authorities."],
        "aims": ["{o} handed to civilian administration", "a neutral operator runs {o}",
                 "armed groups leave {o}", "local authorities manage {o}"],
    },
}  # fmt: skip
OBJECT_KINDS = (
    "mill bakery silos dam bridge market refinery prison airfield harbour railyard quarry mine camp "
    "orchards dairy tannery sawmill brickworks cannery granary abattoir pipeline substation reservoir "
    "ferry tunnel depot warehouse stadium library archive university orphanage cemetery courthouse "
    "barracks lighthouse saltworks vineyards foundry textile-mill cement-works pumping-station "
    "power-plant radio-mast customs-post bus-station"
).split()


def _name(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(n)).capitalize()


def _fill(template: str, obj: str, place: str) -> str:
    text = template.format(o=obj, p=place)
    return text[0].upper() + text[1:]


def synthetic(
    n_tracks: int,
    n_crises: int = 500,
    n_owners: int = 60,
    seed: int = 1,
    tracks_per_object: float = TRACKS_PER_OBJECT,
    tracks_per_party: float = TRACKS_PER_PARTY,
) -> list[TrackRecord]:
    """A fictional workspace: `n_tracks` tracks over `n_crises` crises, some processes told twice.

    A process is an action (ACTIONS) on one object of its crisis (a named mill, dam,
    camp...) in one of its towns, with one to three of its parties. A crisis has one
    object per `tracks_per_object` tracks it holds (at least six) and one local party
    per `tracks_per_party` on top of 5-9 main ones, so that a track has about as many
    unrelated look-alikes at 300k tracks as at 10k (see bench/README.md).
    """
    rng = random.Random(seed)
    per_crisis = n_tracks / n_crises
    n_objects = max(6, round(per_crisis / tracks_per_object))
    n_local = round(per_crisis / tracks_per_party)
    crises: list[dict[str, Any]] = []
    for c in range(n_crises):
        places = [_name(rng, rng.randint(2, 3)) for _ in range(12)]
        crises.append(
            {
                "key": f"c{c}",
                "parties": [f"c{c}-p{p}" for p in range(rng.randint(5, 9) + n_local)],
                "objects": [
                    (_name(rng, 3), rng.choice(OBJECT_KINDS).replace("-", " "), rng.choice(places))
                    for _ in range(n_objects)
                ],
            }
        )
    actions = sorted(ACTIONS)
    out: list[TrackRecord] = []
    n = 0
    while n < n_tracks:
        crisis = rng.choice(crises)
        act = ACTIONS[rng.choice(actions)]
        name, kind, place = rng.choice(crisis["objects"])
        parties = rng.sample(crisis["parties"], rng.choice([1, 2, 2, 3]))
        # Most processes have one owner; some are run in parallel by two or three.
        tellers = rng.choices([1, 2, 3], weights=[80, 15, 5])[0]
        owners = rng.sample(range(n_owners), tellers)
        for owner in owners:
            if n >= n_tracks:
                break
            start = TODAY - dt.timedelta(days=rng.randint(0, 400))
            end = TODAY + dt.timedelta(days=rng.randint(-60, 400))
            # The object is named in full once, in the title; the rest says its name only.
            aims = tuple(_fill(a, name, place) for a in rng.sample(act["aims"], rng.choice([1, 2, 3])))
            out.append(
                TrackRecord(
                    key=f"t{n}",
                    owner=f"org{owner}",
                    crisis=crisis["key"],
                    kind=rng.choice(KINDS),
                    title=_fill(rng.choice(act["titles"]), f"the {name} {kind}", place),
                    description=_fill(rng.choice(act["descs"]), name, place),
                    aims=aims,
                    parties=frozenset(parties),
                    start=start,
                    end=end,
                    status=rng.choice(STATUSES),
                    coordinated_with=frozenset({f"t{n - 1}"}) if n and rng.random() < 0.05 else frozenset(),
                )
            )
            n += 1
    return out


def _edit(rng: random.Random, r: TrackRecord) -> TrackRecord:
    """A plausible desk edit: reworded aims, moved dates, or a party added."""
    choice = rng.randrange(3)
    if choice == 0:
        # New text: the update runs the sentence model on it, as the track's save does.
        return replace(r, aims=tuple(reversed(r.aims)) + ("weekly reporting to partners",), vector=None)
    if choice == 1:
        return replace(r, end=(r.end or TODAY) + dt.timedelta(days=rng.randint(1, 90)))
    return replace(r, parties=r.parties | {next(iter(r.parties)).split("-p")[0] + "-p0"})


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def one_size(n_tracks: int, edits: int) -> dict[str, Any]:
    """Measure one workspace size (run in its own process)."""
    records = synthetic(n_tracks)
    # Each track's vector is computed once, when its text is saved, and stored with it;
    # the full run reads the stored vectors (here: attached to the records).
    tv = time.perf_counter()
    blobs = text.stored([(r.title, r.aims, r.objectives, r.description) for r in records])
    records = [replace(r, vector=b) for r, b in zip(records, blobs, strict=True)]
    vectorise_s = time.perf_counter() - tv
    del blobs
    rss_data = _maxrss_mb()
    base = baseline()
    t0 = time.perf_counter()
    index = OverlapIndex.build(records, TODAY, Names())
    t1 = time.perf_counter()
    findings = n4.findings(index)
    t2 = time.perf_counter()
    rng = random.Random(7)
    running = [k for k, r in index.records.items() if r.live(TODAY)]
    sample = rng.sample(running, min(2000, len(running)))
    counts = [len(index.candidates(k)) for k in sample]
    times = []
    for _ in range(edits):
        key = rng.choice(running)
        rec = _edit(rng, index.records[key])
        s = time.perf_counter()
        index.update(rec)
        n4.findings(index, focus={key})
        times.append((time.perf_counter() - s) * 1000)
    return {
        "tracks": n_tracks,
        "running": len(running),
        "vectorise_s": vectorise_s,
        "build_s": t1 - t0,
        "detect_s": t2 - t1,
        "full_s": t2 - t0,
        "pairs": sum(f.kind == n4.PAIR_KIND for f in findings),
        "forum": sum(f.kind == n4.FORUM_KIND for f in findings),
        "cand_mean": statistics.fmean(counts),
        "cand_max": max(counts),
        "inc_p50_ms": float(np.percentile(times, 50)),
        "inc_p95_ms": float(np.percentile(times, 95)),
        "peak_rss_mb": _maxrss_mb(),
        "data_rss_mb": rss_data,
        "baseline_s": base,
    }


def exact_recall(n_tracks: int, n_crises: int) -> dict[str, Any]:
    """Index pairs against scoring every eligible pair of tracks, on a small workspace."""
    records = synthetic(n_tracks, n_crises=n_crises, seed=3)
    index = OverlapIndex.build(records, TODAY, Names())
    found = {(p.a, p.b) for p in index.pairs()}
    t0 = time.perf_counter()
    exact: set[tuple[str, str]] = set()
    compared = 0
    running = sorted(k for k, r in index.records.items() if r.live(TODAY))
    # All pairs: a pair on two blocks can't be eligible (other crisis), so only the
    # eligibility rule is checked for those; every pair of one block is scored, in bulk.
    for block in index.blocks.values():
        i, j = np.triu_indices(len(block.keys), k=1)
        compared += len(i)
        ok = (
            block.alive[i]
            & block.alive[j]
            & (block.owner[i] != block.owner[j])
            & (block.start[i] <= block.end[j])
            & (block.start[j] <= block.end[i])
        )
        i, j = i[ok], j[ok]
        if not len(i):
            continue
        parts = index._score_parts(block, i, j, *block.pair_dots(i, j))
        scores = index._other_question(block, i, j, parts)[:, 0]
        for x, y, sc in zip(i, j, scores, strict=True):
            a, b = str(block.keys[int(x)]), str(block.keys[int(y)])
            if sc >= THRESHOLD and b not in index.coordinated(a):
                exact.add((min(a, b), max(a, b)))
    total = len(running) * (len(running) - 1) // 2
    return {
        "tracks": n_tracks,
        "crises": n_crises,
        "all_pairs": total,
        "scored_in_blocks": compared,
        "exact_overlaps": len(exact),
        "index_overlaps": len(found),
        "recall": len(found & exact) / len(exact) if exact else 1.0,
        "index_only": len(found - exact),
        "exact_s": time.perf_counter() - t0,
    }


def baseline() -> float:
    """A fixed workload, to compare this machine's speed between runs."""
    rng = np.random.default_rng(0)
    m = rng.random((600, 600))
    t0 = time.perf_counter()
    for _ in range(20):
        m @ m
    sum(i * i for i in range(2_000_000))
    return time.perf_counter() - t0


def _child(size: int, edits: int, runs: int) -> dict[str, Any]:
    """The run with the shortest full detection among `runs` fresh processes, with every run's time."""
    results = []
    for _ in range(runs):
        cmd = [sys.executable, "-m", "bench.overlap_bench", "--one", str(size), "--edits", str(edits)]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        results.append(dict(json.loads(out.strip().splitlines()[-1])))
    best = min(results, key=lambda r: r["full_s"])
    best["runs_s"] = [r["full_s"] for r in results]
    return best


# ---------------------------------------------------------------------------- worker memory

_SEND = """
import sys
from sqlmodel import select
from server.db import session_scope
from server.models import Initiative
from workers.celery_app import app
with session_scope() as db:
    ids = sorted(db.exec(select(Initiative.id)).all())
n = int(sys.argv[1])
for i in ids[:: max(1, len(ids) // n)][:n]:
    app.send_task("accord.checks.run_initiative", args=[i], queue="checks")
"""


def _pss_kib(pid: int) -> int:
    """Proportional resident memory (pages shared with other processes counted in shares)."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def _group(pgid: int) -> list[int]:
    """The processes of one process group (a worker and its pool children)."""
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if os.getpgid(int(d.name)) == pgid:
                    out.append(int(d.name))
            except (ProcessLookupError, PermissionError):
                continue
    return out


def _done(log: Path) -> int:
    text_ = log.read_text(errors="replace") if log.exists() else ""
    return len(re.findall(r"Task accord\.(?:checks|overlap)\.run_initiative\[[^\]]+\] succeeded", text_))


def worker_memory(
    n_tracks: int, concurrencies: tuple[int, ...] = (1, 4), checks: int = 40
) -> list[dict[str, Any]]:
    """Memory of the worker processes of one host once every process has checked tracks:
    the checks worker at each concurrency, with and without ACCORD_OVERLAP_QUEUE=1 (then
    with the host's one overlap worker, `accord worker --overlap`, counted too).

    One SQLite workspace of `n_tracks` (bench.gen_workspace, loaded by `accord import`'s
    path, vectors stored), Redis as the broker under a prefix of this run's own. `checks`
    checks are sent, spread over the tracks, so that every pool child takes some."""
    from bench import procs

    db = procs.Database("sqlite", n_tracks, f"accord-overlap-mem-{os.getpid()}:")
    db.create()
    rows = []
    try:
        for queue in (False, True):
            for conc in concurrencies:
                env = db.env(ACCORD_OVERLAP_QUEUE="1" if queue else "0", PYTHONUNBUFFERED="1")
                log = db.workdir / f"worker-{int(queue)}-{conc}.log"
                started = [procs.spawn([sys.executable, "-m", "server", "worker", "-c", str(conc)], env, log)]
                if queue:
                    started.append(
                        procs.spawn(
                            [sys.executable, "-m", "server", "worker", "--overlap"],
                            env,
                            log.with_suffix(".ov.log"),
                        )
                    )
                t0 = time.perf_counter()
                while "ready." not in log.read_text(errors="replace") and time.perf_counter() - t0 < 120:
                    time.sleep(0.5)
                subprocess.run(
                    [sys.executable, "-c", _SEND, str(checks)], env=env, cwd=procs.ROOT, check=True
                )
                logs = [log] + ([log.with_suffix(".ov.log")] if queue else [])
                wanted = checks * (2 if queue else 1)
                while sum(_done(x) for x in logs) < wanted and time.perf_counter() - t0 < 900:
                    time.sleep(1)
                pids = [p for proc in started for p in _group(proc.pid)]
                built = sum(x.read_text(errors="replace").count("overlap index built") for x in logs)
                rows.append(
                    {
                        "tracks": n_tracks,
                        "overlap_queue": queue,
                        "concurrency": conc,
                        "processes": len(pids),
                        "indexes_built": built,
                        "checks_done": sum(_done(x) for x in logs),
                        "pss_mb": sum(_pss_kib(p) for p in pids) / 1024,
                        "rss_mb": sum(procs.rss_kib(p) for p in pids) / 1024,
                    }
                )
                for proc in started:
                    procs.stop(proc, 30)
                print(json.dumps(rows[-1]), flush=True)
    finally:
        procs.stop_all()
        db.drop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,300000")
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="sizes 2000,10000 and 50 edits")
    parser.add_argument(
        "--runs",
        type=int,
        default=1,
        help="fresh processes per size; the one with the shortest full run is shown",
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument(
        "--memory",
        type=int,
        metavar="TRACKS",
        help="instead: memory of the checks worker at concurrency 1 and 4, with and without "
        "ACCORD_OVERLAP_QUEUE=1, on a workspace of TRACKS tracks",
    )
    args = parser.parse_args()
    if args.memory:
        print(f"load average {os.getloadavg()}; baseline workload {baseline():.3f} s", flush=True)
        for r in worker_memory(args.memory):
            print(
                f"{r['tracks']} tracks, overlap queue {'on ' if r['overlap_queue'] else 'off'}, checks worker "
                f"concurrency {r['concurrency']}: {r['processes']} processes, {r['indexes_built']} overlap "
                f"index(es) built, {r['checks_done']} tasks done; PSS {r['pss_mb']:.0f} MB (RSS summed "
                f"{r['rss_mb']:.0f} MB)",
                flush=True,
            )
        print(f"load average {os.getloadavg()}", flush=True)
        return
    if args.one:
        print(json.dumps(one_size(args.one, args.edits)))
        return
    sizes = [2000, 10000] if args.quick else [int(s) for s in args.sizes.split(",")]
    edits = 50 if args.quick else args.edits
    base = baseline()
    print(f"baseline workload: {base:.3f} s   (candidate floor {CANDIDATE_FLOOR}, threshold {THRESHOLD})")
    rows = []
    for size in sizes:
        r = _child(size, edits, args.runs)
        rows.append(r)
        print(
            f"{r['tracks']:>7} tracks ({r['running']} live): vectors once {r['vectorise_s']:.1f} s; "
            f"full from stored vectors {r['full_s']:.1f} s "
            f"(build {r['build_s']:.1f}, detect {r['detect_s']:.1f}; runs {', '.join(f'{t:.1f}' for t in r['runs_s'])}) "
            f"= {r['full_s'] / r['baseline_s']:.0f}x the baseline of its process ({r['baseline_s']:.3f} s); "
            f"pairs {r['pairs']}, forum {r['forum']}; candidates mean {r['cand_mean']:.1f} max {r['cand_max']}; "
            f"one-track update p50 {r['inc_p50_ms']:.1f} ms p95 {r['inc_p95_ms']:.1f} ms; "
            f"peak RSS {r['peak_rss_mb']:.0f} MB (data alone {r['data_rss_mb']:.0f} MB)",
            flush=True,
        )
    by = {r["tracks"]: r for r in rows}
    for small, big in zip(sizes, sizes[1:], strict=False):
        print(
            f"ratio {big}/{small}: time {by[big]['full_s'] / by[small]['full_s']:.2f}x for {big / small:.0f}x tracks"
        )
    for n_crises in (500, 10):
        e = exact_recall(5000 if not args.quick else 2000, n_crises)
        print(
            f"exact all-pairs on {e['tracks']} tracks / {e['crises']} crises: {e['all_pairs']} pairs, "
            f"{e['scored_in_blocks']} scored; {e['exact_overlaps']} overlaps, index found "
            f"{e['index_overlaps']}, recall {e['recall']:.3f} ({e['exact_s']:.1f} s)",
            flush=True,
        )


if __name__ == "__main__":
    main()
