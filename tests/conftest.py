from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

# The same settings for every test, whatever the developer's shell has set.
os.environ["TEXTUAL_ANIMATIONS"] = "none"
os.environ["WORKBENCH_USER"] = "tester"
os.environ["WORKBENCH_LANG"] = "nb"
os.environ.pop("WORKBENCH_DEBUG", None)

from benchmarks.pg import PgSchemas, with_schema  # noqa: E402  (one home, no pytest needed)
from workbench.cli.main import main  # noqa: E402
from workbench.domain.parsed import ParsedTranscript, ParsedTurn  # noqa: E402
from workbench.i18n import DEFAULT_LANGUAGE, set_language  # noqa: E402
from workbench.services import Workbench  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """No test reads the developer's own settings or data folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("WORKBENCH_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("WORKBENCH_DATA", str(home / "data"))


@pytest.fixture(autouse=True)
def _bokmaal_again():
    """Every test starts in bokmål, whatever the test before set (``main(["--lang", "en",
    ...])`` sets the language of this process)."""
    set_language(DEFAULT_LANGUAGE)
    yield
    set_language(DEFAULT_LANGUAGE)


# -- the workbench command -------------------------------------------------------------------


class CliResult(NamedTuple):
    """What one ``workbench`` command line did (unpacks as ``code, out, err``)."""

    returncode: int
    stdout: str
    stderr: str


CliRunner = Callable[..., CliResult]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> CliRunner:
    """``cli("info", path)`` runs ``workbench info PATH`` in this process through
    ``workbench.cli.main.main`` (the function the console script calls) and returns its exit
    status and what it wrote to stdout and stderr."""

    def run(*args: str | Path) -> CliResult:
        capsys.readouterr()  # drop whatever the test printed before
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def run_console_script(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """The installed ``workbench`` console script in a subprocess, as a user runs it. Only
    the tests of the entry point itself use this; everything else calls :func:`cli`."""
    return subprocess.run(
        [str(Path(sys.executable).with_name("workbench")), *map(str, args)],
        capture_output=True, text=True, env={**os.environ, "WORKBENCH_LANG": "nb"}, timeout=120,
    )


def sample_parsed() -> ParsedTranscript:
    return ParsedTranscript(
        source_format="txt",
        turns=[
            ParsedTurn(None, "Fokusgruppe 1, notat fra møterommet."),
            ParsedTurn("Moderator", "Velkommen. Kan dere fortelle litt om dere selv?", 0, 4000),
            ParsedTurn("Leder 1", "Jeg er sykepleier og har vært leder i fem år (latter).", 4000, 9000),
            ParsedTurn("Leder 2", "Vernepleier. Jeg tenker at brukerne må få bestemme mer.", 9000, 15000),
            ParsedTurn("Moderator", "Hva betyr forbedring for dere?", 15000, 17000),
            ParsedTurn("Leder 1", "At brukeren opplever håp, og at vi har tid til relasjonen.", 17000, 24000),
        ],
    )


# -- projects built once per test process ----------------------------------------------------

ProjectTemplate = Callable[..., Path]


@pytest.fixture(scope="session")
def project_template(tmp_path_factory: pytest.TempPathFactory) -> ProjectTemplate:
    """``project_template(build, title=...)``: a project file made with ``Workbench.create``
    and filled by ``build(wb)``, built once per test process (per ``build`` and options).
    Tests never use it directly: :func:`copy_project` gives each test its own copy."""
    built: dict[tuple, Path] = {}

    def template(build: Callable[[Workbench], object], **create: object) -> Path:
        key = (build.__module__, build.__qualname__, tuple(sorted(create.items())))
        if key not in built:
            path = tmp_path_factory.mktemp("template") / "studie.wbp"
            with Workbench.create(path, **create) as project:  # type: ignore[arg-type]
                build(project)
            leftovers = [f for f in (Path(f"{path}-wal"), Path(f"{path}-shm")) if f.exists()]
            assert not leftovers, f"the closed project left {leftovers}: copy it with them"
            built[key] = path
        return built[key]

    return template


def copy_project(template: Path, target: Path) -> Path:
    """A copy of a closed project file at ``target`` (a project is one SQLite file)."""
    shutil.copyfile(template, target)
    return target


@pytest.fixture
def wb(tmp_path: Path):
    project = Workbench.create(tmp_path / "studie.wbp", title="Teststudie")
    yield project
    project.close()


# -- backends: a SQLite file, and a real PostgreSQL server -----------------------------------
#
# ``project_target`` yields where a new project goes: a path for SQLite, a URL for
# PostgreSQL. The PostgreSQL server comes from ``WORKBENCH_TEST_PG_URL`` (``.ci/start-postgres``
# starts one and prints its URL); without it the PostgreSQL cases are skipped and say why.
# Tests that take ``project_target`` (or ``wb`` in tests/unit/storage, tests/unit/services
# and tests/cli, whose conftests point ``wb`` at :func:`wb_on_backend`) run on both.
#
# Isolation: each PostgreSQL test gets a schema of its own (``t_<hex>``), chosen through the
# connection's ``search_path`` (``?options=-csearch_path%3Dt_<hex>``) and dropped afterwards.
# Measured on the CI cluster: 15 ms to create and drop a schema against 43 ms for a
# database (a whole new project, schema included, takes about 165 ms either way).

PG_ENV = "WORKBENCH_TEST_PG_URL"
BACKENDS = ["sqlite", "postgresql"]


def pg_base_url() -> str | None:
    return os.environ.get(PG_ENV) or None


@pytest.fixture
def pg_schemas() -> Iterator[PgSchemas]:
    base = pg_base_url()
    if base is None:
        pytest.skip(f"{PG_ENV} is not set: no PostgreSQL server for this run (see .ci/start-postgres)")
    schemas = PgSchemas(base)
    try:
        yield schemas
    finally:
        schemas.drop_all()


@pytest.fixture
def pg_url(pg_schemas: PgSchemas) -> str:
    """A URL of an empty schema of its own on the PostgreSQL test server."""
    return pg_schemas.new()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def project_target(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """Where a new project goes: a SQLite path, or a PostgreSQL URL of an empty schema."""
    if backend == "sqlite":
        return str(tmp_path / "studie.wbp")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def same_backend(backend: str, tmp_path: Path, request: pytest.FixtureRequest
                 ) -> tuple[Callable[[], str], Callable[[str], str]]:
    """``(new_target, url_of)``: another empty target on the test's backend, and the
    SQLAlchemy URL of a target (a SQLite path becomes ``sqlite:///path``)."""
    if backend == "sqlite":
        counter = itertools.count()
        return (lambda: str(tmp_path / f"other{next(counter)}.wbp"), lambda t: f"sqlite:///{t}")
    schemas: PgSchemas = request.getfixturevalue("pg_schemas")
    return schemas.new, lambda t: t



@pytest.fixture
def wb_on_backend(project_target: str) -> Iterator[Workbench]:
    """A new empty project on the test's backend (what ``wb`` is in the backend suites)."""
    project = Workbench.create(project_target, title="Teststudie")
    yield project
    project.close()


@pytest.fixture
def wb_with_transcript(wb: Workbench):
    summary = wb.transcripts.add_parsed(sample_parsed(), name="fg1", group="Ledere")
    return wb, summary
