"""A worker process for the concurrency tests: one person working on a shared project.

    python -m tests.unit.storage.driver MODE TARGET ACTOR SECONDS SEED OUT READY GO

It opens the project as ACTOR, touches READY, waits for GO to exist (so that all workers
start together), works until SECONDS have passed (``random``) or for SECONDS rounds
(``positions``), and writes what happened as JSON lines to OUT:

* ``random``: codes spans (``wb.codes.apply``), autocodes search hits, undoes and redoes at
  random. After every command that was recorded it reads the seq of its own latest
  command, which only this process can write, so the log is exact.
* ``positions``: creates top-level codes and themes as fast as it can; the positions must
  come out distinct.
* ``undo``: undoes SECONDS times (several workers may act as the same person).

Every error is logged by its message key; anything that is not a ``UserError`` is logged as
a crash and ends the run.
"""

from __future__ import annotations

import json
import random
import sys
import time
import traceback
from pathlib import Path

NAMES = ["håp", "tid", "relasjon", "ledelse", "brukeren", "mestring", "trygghet", "kveld"]
QUERIES = ["håp", "tid", "bruker", "leder", "relasjon", "jobb", "mer", "vi"]


def main(argv: list[str]) -> int:
    mode, target, actor, amount, seed, out, ready, go = argv
    actor = actor.split("#", 1)[0]  # "forsker#2": a second process of the same person
    from sqlalchemy import func, select

    from workbench.i18n import UserError
    from workbench.services import Workbench
    from workbench.storage.models import Command

    rng = random.Random(int(seed))
    events: list[dict] = []
    wb = Workbench.open(target, actor=actor)
    transcripts = [(tr.id, len(wb.transcripts.get(tr.id).text)) for tr in wb.info().transcripts]

    def last_seq() -> int | None:
        with wb.store.read() as s:
            return s.scalar(select(func.max(Command.seq)).where(Command.actor == actor))

    def record(op: str, **data: object) -> None:
        events.append({"op": op, "t": time.time(), **data})

    Path(ready).touch()
    while not Path(go).exists():
        time.sleep(0.005)
    deadline = time.time() + float(amount)
    rounds = 0
    try:
        while True:
            if mode == "undo":
                if rounds >= int(amount):
                    break
                try:
                    cmd = wb.undo()
                    record("undo", seq=cmd.seq if cmd else None)
                except UserError as exc:
                    record("error", key=exc.key, message=exc.message())
            elif mode == "positions":
                if rounds >= int(amount):
                    break
                try:
                    wb.codes.create(f"{actor} kode {rounds}")
                    wb.themes.create(f"{actor} tema {rounds}")
                    record("do")
                except UserError as exc:
                    record("error", key=exc.key, message=exc.message())
            else:
                if time.time() >= deadline:
                    break
                roll = rng.random()
                try:
                    if roll < 0.30:
                        cmd = wb.undo()
                        record("undo", seq=cmd.seq if cmd else None)
                    elif roll < 0.40:
                        cmd = wb.redo()
                        record("redo", seq=cmd.seq if cmd else None)
                    else:
                        before = last_seq()
                        tid, length = rng.choice(transcripts)
                        if roll < 0.85:
                            start = rng.randrange(0, max(1, length - 40))
                            wb.codes.apply(tid, start, start + rng.randint(5, 40),
                                           name=rng.choice(NAMES))
                        else:
                            wb.search.autocode(rng.choice(QUERIES), code_name=rng.choice(NAMES),
                                               unit=rng.choice(["hit", "sentence"]))
                        after = last_seq()
                        if after != before:
                            record("do", seq=after)
                except UserError as exc:
                    record("error", key=exc.key, message=exc.message())
            rounds += 1
    except Exception as exc:  # noqa: BLE001 - a crash is a finding, report it
        record("crash", error=f"{type(exc).__name__}: {exc}", trace=traceback.format_exc())
    finally:
        wb.close()
        with open(out, "w", encoding="utf-8") as fh:
            for event in events:
                fh.write(json.dumps(event, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
