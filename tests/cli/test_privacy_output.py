"""Printed output goes through the same check as files: ``show``, ``search``, ``table`` and
``codebook export`` on stdout refuse a real name from the linking key (listing the places,
printing nothing), warn about common first names, and every export that shows a
speaker's profession and group warns about labels that fit a single informant."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.domain.speakers import SpeakerSpec
from workbench.services import Workbench

EXIT_USER_ERROR = 2


@pytest.fixture
def leaky(project_target: str, tmp_path: Path) -> str:
    """A project whose key learnt «Kari» after a transcript naming her was imported: that
    old text still says «Kari» (what the output check is there for). Leder 2 is the only
    psychologist among the leaders; the others are nurses."""
    with Workbench.create(project_target) as wb:
        early = tmp_path / "fg1.txt"
        early.write_text(
            "Moderator: Velkommen.\n"
            "Leder 1: Kari sa at hun håper på mer tid.\n"
            "Leder 2: Jeg håper det også; Ola var enig.\n"
            "Leder 3: Vi håper alle.\n", encoding="utf-8")
        wb.imports.import_file(early, group="Ledere", sheet=[
            SpeakerSpec("Moderator", None, "moderator"),
            SpeakerSpec("Leder 1", None, "informant", "sykepleier", "Ledere"),
            SpeakerSpec("Leder 2", None, "informant", "psykolog", "Ledere"),
            SpeakerSpec("Leder 3", None, "informant", "sykepleier", "Ledere"),
        ])
        later = tmp_path / "fg2.txt"
        later.write_text("Moderator: Hei.\nKari: Hei, jeg håper på en god samtale.\n",
                         encoding="utf-8")
        wb.imports.import_file(later, group="Ledere", sheet=[
            SpeakerSpec("Kari", "Leder 4", "informant", "sykepleier", "Ledere")])
        assert [r for r, _ in wb.privacy.key().pairs] == ["Kari"]
        tr = wb.transcripts.get("fg1")
        start = tr.text.index("Jeg håper det også")
        wb.codes.apply(tr.id, start, start + len("Jeg håper det også"), name="håp")
    return project_target


def test_show_with_a_real_name_prints_nothing_and_lists_the_places(leaky, cli):
    result = cli("show", leaky, "fg1")
    assert result.returncode == EXIT_USER_ERROR
    assert result.stdout == ""
    assert "Skriver ikke ut" in result.stderr and "Kari" in result.stderr
    assert "workbench show fg1, linje 5" in result.stderr
    as_json = cli("show", leaky, "fg1", "--json")
    assert as_json.returncode == EXIT_USER_ERROR and as_json.stdout == ""


def test_search_with_a_real_name_in_a_hit_prints_nothing(leaky, cli):
    result = cli("search", leaky, "mer tid")
    assert result.returncode == EXIT_USER_ERROR
    assert result.stdout == ""
    assert "Kari" in result.stderr and "workbench search, linje 1" in result.stderr


def test_search_for_a_real_name_itself_says_no_hits(leaky, cli):
    """The text is pseudonymised, so a real name is not found; echoing the query back is
    not a leak."""
    with Workbench.open(leaky) as wb:
        wb.transcripts.delete(wb.transcripts.get("fg1").id)
    result = cli("search", leaky, "Kari")
    assert result.returncode == 0, result.stderr
    assert "Ingen treff på «Kari»" in result.stdout


def test_show_without_real_names_warns_about_first_names_and_prints(leaky, cli, tmp_path):
    result = cli("show", leaky, "fg2")
    assert result.returncode == 0, result.stderr
    assert "Leder 4:" in result.stdout and "Kari" not in result.stdout
    with Workbench.open(leaky) as wb:
        wb.transcripts.delete(wb.transcripts.get("fg1").id)  # (it holds «Kari»)
        path = tmp_path / "fg3.txt"
        path.write_text("Leder 4: Ola og jeg håper på mer.\n", encoding="utf-8")
        wb.imports.import_file(path)
    shown = cli("show", leaky, "fg3")
    assert shown.returncode == 0, shown.stderr
    assert "Ola og jeg" in shown.stdout
    assert "vanlige norske fornavn" in shown.stderr and "Ola" in shown.stderr
    assert "workbench show fg3, linje 2" in shown.stderr
    found = cli("search", leaky, "håper")
    assert found.returncode == 0 and "[håper]" in found.stdout
    assert "Ola" in found.stderr and "workbench search" in found.stderr


def test_single_informant_labels_warn_in_every_export_that_shows_them(leaky, cli, tmp_path):
    with Workbench.open(leaky) as wb:
        wb.transcripts.delete(wb.transcripts.get("fg1").id)  # (it holds «Kari»)
    with Workbench.open(leaky) as wb:
        path = tmp_path / "fg5.txt"
        path.write_text("Moderator: Hei.\nLeder 5: Jeg er den eneste sosionomen her.\n"
                        "Leder 6: Og jeg er sykepleier.\n", encoding="utf-8")
        result = wb.imports.import_file(path, group="Ledere", sheet=[
            SpeakerSpec("Leder 5", None, "informant", "sosionom", "Ledere"),
            SpeakerSpec("Leder 6", None, "informant", "sykepleier", "Ledere")])
        tr = wb.transcripts.get(result.transcript_id)
        start = tr.text.index("Jeg er den eneste")
        wb.codes.apply(tr.id, start, start + 17, name="rolle")
    single = "(Sosionom, leder) for Leder 5"
    for kind, name in (("segments", "seg.csv"), ("qdpx", "p.qdpx")):
        out = cli("export", leaky, kind, "-o", tmp_path / name)
        assert out.returncode == 0, out.stderr
        assert "passer på bare én informant" in out.stderr and single in out.stderr, kind
        assert name in out.stderr
    shown = cli("show", leaky, "fg5", "--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["name"] == "fg5"
    assert single in shown.stderr
    plain = cli("show", leaky, "fg5")  # no profession, no group: nothing to warn about
    assert plain.returncode == 0 and "passer på bare én informant" not in plain.stderr
    # two social workers among the leaders: no warning any more
    with Workbench.open(leaky) as wb:
        six = next(p for p in wb.transcripts.participants() if p.label == "Leder 6")
        wb.transcripts.update_participant(six.id, profession="sosionom")
    again = cli("export", leaky, "segments", "-o", tmp_path / "seg2.csv")
    assert again.returncode == 0 and "passer på bare én informant" not in again.stderr


def test_the_word_report_warns_about_single_informant_labels(leaky, tmp_path):
    with Workbench.open(leaky) as wb:
        (coding,) = wb.codes.codings()
        wb.codes.set_quote(coding.id, True)
        theme = wb.themes.create("Håp i hverdagen")
        code = next(c for c in wb.codes.list() if c.name == "håp")
        wb.themes.link_code(theme.id, code.id)
        _data, notes = wb.exports.theme_map()
        assert notes.unique_labels == {"(Psykolog, leder)": 1}
        assert any("(Psykolog, leder)" in w for w in notes.warnings("report"))


def test_table_and_codebook_on_stdout_and_in_files_are_checked(leaky, cli, tmp_path):
    with Workbench.open(leaky) as wb:
        wb.codes.create("Karis ønsker")  # typed by hand: the check is the last line
    for args in (("table", leaky, "frequencies"),
                 ("table", leaky, "frequencies", "--csv", tmp_path / "f.csv"),
                 ("codebook", "export", leaky),
                 ("codebook", "export", leaky, "-o", tmp_path / "k.yaml")):
        result = cli(*args)
        assert result.returncode == EXIT_USER_ERROR, (args, result.stdout)
        assert "Kari" in result.stderr and "Kari" not in result.stdout, args
    assert not (tmp_path / "f.csv").exists() and not (tmp_path / "k.yaml").exists()


def test_export_results_carry_the_checks_warnings_for_the_tui(leaky, tmp_path):
    """The TUI shows ``ExportResult.warnings``: the output check's warnings are in them."""
    with Workbench.open(leaky) as wb:
        wb.transcripts.delete(wb.transcripts.get("fg1").id)  # (it holds «Kari»)
        path = tmp_path / "fg5.txt"
        path.write_text("Moderator: Hei.\nLeder 5: Jeg er den eneste sosionomen her, sa Ola.\n",
                        encoding="utf-8")
        result = wb.imports.import_file(path, group="Ledere", sheet=[
            SpeakerSpec("Leder 5", None, "informant", "sosionom", "Ledere")])
        tr = wb.transcripts.get(result.transcript_id)
        start = tr.text.index("Jeg er den eneste")
        wb.codes.apply(tr.id, start, len(tr.text), name="rolle")
        done = wb.exports.export("segments", tmp_path / "seg.csv")
        assert any("(Sosionom, leder) for Leder 5" in w for w in done.warnings)
        assert any("vanlige norske fornavn" in w and "Ola" in w for w in done.warnings)
        assert wb.privacy.take_output_warnings() == []  # taken once, not shown twice
