"""Another person working on the same project, in a process of its own.

``python -m tests.ui.second_process TARGET ACTOR ACTION`` opens the project as ACTOR
through the services (as the CLI does) and does one thing:

- ``code``: codes the first transcript's "håp" with the code "håp"
- ``comment``: comments on the project
- ``undo``: undoes ACTOR's latest command
- ``delete-code``: deletes the code "håp"
- ``replace-code``: deletes the code "håp" and creates "tillit"
- ``delete-first``: deletes the first transcript

It prints when its commit was done (``time.time()``), a tab, and the change log's summary
of what it did (the newest entry).
"""

from __future__ import annotations

import sys
import time

from workbench.services import Workbench


def main(target: str, actor: str, action: str) -> int:
    with Workbench.open(target, actor=actor) as wb:
        code = wb.codes.find("håp")
        if action == "code":
            tr = wb.info().transcripts[0]
            text = wb.transcripts.get(tr.id).text
            start = text.index("håp")
            wb.codes.apply(tr.id, start, start + len("håp"), code_id=code.id if code else None,
                           name=None if code else "håp")
        elif action == "comment":
            wb.review.comment("project", None, "Kan dere se på tema 2 igjen?")
        elif action == "undo":
            if wb.undo() is None:
                return 1
        elif action in ("delete-code", "replace-code"):
            assert code is not None
            wb.codes.delete(code.id)
            if action == "replace-code":
                wb.codes.create("tillit")
        elif action == "delete-first":
            wb.transcripts.delete(wb.info().transcripts[0].id)
        else:
            return 2
        committed = time.time()
        print(f"{committed}\t{wb.history(1)[0].summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
