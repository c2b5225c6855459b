"""The ``team`` part of ``python -m benchmarks``: apply-code and undo latency for a team.

For each backend (SQLite always; PostgreSQL when ``WORKBENCH_TEST_PG_URL`` or ``--pg-url``
gives a server) a project with one transcript and five co-coder members is built, then
client *processes* (1 alone, then 2 and 5 at once) each open it as their own member and
repeat: apply a code to a span, undo it (per-person undo: each undoes its own coding).
Every call is timed on the wall clock (what the user waits for, lock waits included).

The floor is a bare ``INSERT`` + ``COMMIT`` on the raw driver connection of an engine made
by the same code (same driver, same pragmas), alone, in the same run. Printed ratios:
PostgreSQL/SQLite, concurrent/alone, and ours/floor.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import statistics
import time
from pathlib import Path
from typing import Any

from benchmarks.pg import PgSchemas

PG_ENV = "WORKBENCH_TEST_PG_URL"
CLIENTS = (1, 2, 5)
ROUNDS = {1: 60, 2: 40, 5: 25}
"""apply+undo pairs per client (fewer with more clients, to keep the run short)."""
WARM_UP = 3


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def _transcript() -> Any:
    from workbench.domain.parsed import ParsedTranscript, ParsedTurn

    lines = [
        "Vi har ikke tid til å snakke med brukerne om kvelden, og det gjør noe med håpet.",
        "Brukerne får bestemme mer selv nå, og det gir håp om bedring for mange av dem.",
        "Men det avhenger av hvem som er på jobb, og hvor mye tid vi har til relasjonen.",
    ]
    turns = [ParsedTurn("Moderator", "Hva betyr den nye arbeidsmåten for dere?")]
    for i in range(150):
        turns.append(ParsedTurn(f"Informant {i % 6 + 1}", lines[i % 3]))
    return ParsedTranscript(source_format="txt", turns=turns)


# -- targets ---------------------------------------------------------------------------


def _build(target: str) -> dict[str, Any]:
    from workbench.services import Workbench

    with Workbench.create(target, actor="leder", title="Benchmark team") as wb:
        tr = wb.transcripts.add_parsed(_transcript(), name="fg1", group="Ledere")
        # a code of each client's own: two clients never code the same span with the
        # same code (which the service refuses as a duplicate)
        codes = {}
        for i in range(max(CLIENTS)):
            wb.members.add(f"koder{i}", "co-coder")
            codes[f"koder{i}"] = wb.codes.create(f"håp {i}").id
        turns = [(t.start, t.end) for t in wb.transcripts.get(tr.id).turns if t.end - t.start > 40]
    return {"transcript_id": tr.id, "codes": codes, "turns": turns}


# -- one client process ------------------------------------------------------------------


def _client(target: str, actor: str, setup: dict[str, Any], rounds: int, start: Any,
            results: Any) -> None:
    try:
        _measure(target, actor, setup, rounds, start, results)
    except BaseException:  # noqa: BLE001 - report it, and let the others go on
        import traceback

        start.abort()
        results.put({"apply": [], "undo": [], "errors": [traceback.format_exc()]})


def _measure(target: str, actor: str, setup: dict[str, Any], rounds: int, start: Any,
             results: Any) -> None:
    from workbench.i18n import UserError
    from workbench.services import Workbench

    applies: list[float] = []
    undos: list[float] = []
    errors: list[str] = []
    turns = setup["turns"]
    code_id = setup["codes"][actor]
    with Workbench.open(target, actor=actor) as wb:
        for i in range(WARM_UP):  # connections, caches, first statements
            a, _b = turns[i % len(turns)]
            wb.codes.apply(setup["transcript_id"], a, a + 20, code_id=code_id)
            wb.undo()
        start.wait(timeout=600)
        for i in range(rounds):
            a, b = turns[(i * 7 + int(actor[-1]) * 13) % len(turns)]
            try:
                t0 = time.perf_counter()
                wb.codes.apply(setup["transcript_id"], a, min(b, a + 30), code_id=code_id)
                t1 = time.perf_counter()
                undone = wb.undo()
                t2 = time.perf_counter()
            except UserError as exc:
                errors.append(exc.message())
                continue
            applies.append((t1 - t0) * 1000)
            undos.append((t2 - t1) * 1000)
            if undone is None or undone.name != "coding.add":
                errors.append(f"undo undid {undone and undone.name}")
    results.put({"apply": applies, "undo": undos, "errors": errors})


def _run_clients(target: str, setup: dict[str, Any], n: int) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    start = ctx.Barrier(n)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=_client, args=(target, f"koder{i}", setup, ROUNDS[n], start, results))
        for i in range(n)
    ]
    for p in procs:
        p.start()
    got = [results.get(timeout=600) for _ in procs]
    for p in procs:
        p.join()
    applies = [x for g in got for x in g["apply"]] or [float("nan")]
    undos = [x for g in got for x in g["undo"]] or [float("nan")]
    return {
        "apply_ms_median": statistics.median(applies), "apply_ms_p95": _percentile(applies, 95),
        "undo_ms_median": statistics.median(undos), "undo_ms_p95": _percentile(undos, 95),
        "errors": [e for g in got for e in g["errors"]],
    }


def _floor(target: str, n: int = 200) -> dict[str, float]:
    """A bare INSERT + COMMIT on the raw driver connection of a project engine."""
    from workbench.storage.database import Store

    store = Store.open(target, actor="leder")
    raw = store.engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("CREATE TABLE bench_floor (id INTEGER PRIMARY KEY, note TEXT)")
        raw.commit()
        samples = []
        for i in range(n):
            t0 = time.perf_counter()
            cur.execute(f"INSERT INTO bench_floor (id, note) VALUES ({i}, 'x')")
            raw.commit()
            samples.append((time.perf_counter() - t0) * 1000)
    finally:
        raw.close()
        store.close()
    return {"median": statistics.median(samples), "p95": _percentile(samples, 95)}


# -- the part ------------------------------------------------------------------------------


def _backend(name: str, new_target: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for n in CLIENTS:
        target = new_target()
        setup = _build(target)
        out[n] = _run_clients(target, setup, n)
    floor_target = new_target()
    _build(floor_target)
    out["floor"] = _floor(floor_target)
    return out


def run_team(workdir: Path, pg_url: str | None = None) -> dict[str, Any]:
    """Measure, print the table, and return the figures (flat keys, for ``--json``)."""
    figures, text = measure_team(workdir, pg_url)
    print(text)
    return figures


def measure_team(workdir: Path, pg_url: str | None = None) -> tuple[dict[str, Any], str]:
    """The figures (flat keys, for ``--json``) and the printed table."""
    pg_url = pg_url or os.environ.get(PG_ENV) or None
    counter = iter(range(1000))
    results = {"sqlite": _backend("sqlite", lambda: str(workdir / f"team{next(counter)}.wbp"))}
    if pg_url:
        schemas = PgSchemas(pg_url, prefix="bench_", digits=10)
        try:
            results["postgresql"] = _backend("postgresql", schemas.new)
        finally:
            schemas.drop_all()
    figures: dict[str, Any] = {}
    for backend, by_n in results.items():
        for n, fig in by_n.items():
            for key, value in fig.items():
                if key != "errors":
                    figures[f"team_{backend}_{'floor' if n == 'floor' else f'{n}c'}_{key}"] = value
            if n != "floor":
                figures[f"team_{backend}_{n}c_errors"] = len(fig["errors"])
    return figures, report(results, pg=bool(pg_url))


def report(results: dict[str, Any], *, pg: bool) -> str:
    lines = ["", "team: apply-code and undo latency, ms (wall clock, per call)"]
    head = f"{'backend':<11} {'clients':>7} {'apply med':>9} {'p95':>7} {'undo med':>9} {'p95':>7}" \
           f" {'×alone':>7} {'×floor':>7} {'errors':>6}"
    lines.append(head)
    for backend, by_n in results.items():
        alone = by_n[1]["apply_ms_median"]
        floor = by_n["floor"]["median"]
        for n in CLIENTS:
            f = by_n[n]
            lines.append(
                f"{backend:<11} {n:>7} {f['apply_ms_median']:>9.2f} {f['apply_ms_p95']:>7.2f}"
                f" {f['undo_ms_median']:>9.2f} {f['undo_ms_p95']:>7.2f}"
                f" {f['apply_ms_median'] / alone:>7.2f} {f['apply_ms_median'] / floor:>7.1f}"
                f" {len(f['errors']):>6}"
            )
        lines.append(f"{backend:<11} {'floor':>7} {floor:>9.2f} {by_n['floor']['p95']:>7.2f}"
                     "   (bare INSERT + COMMIT, same driver)")
    if "postgresql" in results:
        for n in CLIENTS:
            pg, lite = results["postgresql"][n], results["sqlite"][n]
            lines.append(
                f"PostgreSQL/SQLite, {n} client(s): apply {pg['apply_ms_median'] / lite['apply_ms_median']:.2f}×,"
                f" undo {pg['undo_ms_median'] / lite['undo_ms_median']:.2f}×"
            )
    if not pg:
        lines.append(f"PostgreSQL: not measured (set {PG_ENV} or pass --pg-url)")
    for backend, by_n in results.items():
        for n in CLIENTS:
            for e in sorted(set(by_n[n]["errors"]))[:3]:
                lines.append(f"  {backend}, {n} clients: {e.strip().splitlines()[-1]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.team [--pg-url URL]``: only this part."""
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(prog="python -m benchmarks.team", description=__doc__)
    parser.add_argument("--pg-url", help=f"a PostgreSQL server (default: ${PG_ENV})")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="wb-team-") as tmp:
        run_team(Path(tmp), args.pg_url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["main", "measure_team", "report", "run_team"]
