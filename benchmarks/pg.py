"""Schemas of their own on a PostgreSQL server, for the benchmarks and the tests (one home,
importable without pytest): each ``new()`` creates an empty schema and returns a URL whose
connections use it; ``drop_all()`` drops every schema made."""

from __future__ import annotations

import uuid

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool


def with_schema(url: str, schema: str) -> str:
    """``url`` with its connections' search path set to ``schema``."""
    return make_url(url).update_query_dict(
        {"options": f"-csearch_path={schema}"}
    ).render_as_string(hide_password=False)


class PgSchemas:
    """Creates schemas on a server and drops them at the end."""

    def __init__(self, base: str, *, prefix: str = "t_", digits: int = 12) -> None:
        self.base = base
        self.prefix, self.digits = prefix, digits
        self.engine = create_engine(base, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        self.made: list[str] = []

    def new(self) -> str:
        schema = f"{self.prefix}{uuid.uuid4().hex[:self.digits]}"
        with self.engine.connect() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        self.made.append(schema)
        return with_schema(self.base, schema)

    def drop_all(self) -> None:
        with self.engine.connect() as conn:
            for schema in self.made:
                conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        self.engine.dispose()
