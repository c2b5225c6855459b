"""What a project's database holds, as bytes, for the privacy tests: the SQLite file with
its journal files and a dump of every table, or ``pg_dump`` of the PostgreSQL schema."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url


def database_bytes(target: str) -> bytes:
    """Everything the project at ``target`` stores (close it first)."""
    if "://" not in target:
        path = Path(target)
        con = sqlite3.connect(path)
        try:
            dump = "\n".join(con.iterdump()).encode("utf-8")
        finally:
            con.close()
        raw = path.read_bytes()
        for extra in (Path(f"{path}-wal"), Path(f"{path}-shm")):
            if extra.exists():
                raw += extra.read_bytes()
        return dump + b"\n" + raw
    url = make_url(target)
    options = str(url.query.get("options", ""))
    schema = options.split("search_path=", 1)[1].split()[0]
    env = {**os.environ, "PGPASSWORD": url.password or ""}
    done = subprocess.run(
        ["pg_dump", "--data-only", "--schema", schema, "--host", url.host or "localhost",
         "--port", str(url.port or 5432), "--username", url.username or "",
         url.database or ""],
        capture_output=True, env=env, timeout=120, check=True,
    )
    assert b"COPY " in done.stdout, done.stderr  # the dump holds the tables' rows
    return done.stdout


def forms(word: str) -> list[bytes]:
    """A word as a text column stores it, and as JSON (the change log) writes it."""
    return [word.encode("utf-8"), json.dumps(word)[1:-1].encode("ascii")]


def assert_absent(target: str, words: list[str]) -> None:
    data = database_bytes(target)
    for word in words:
        for form in forms(word):
            assert form not in data, f"{word!r} is stored in the project ({target})"
