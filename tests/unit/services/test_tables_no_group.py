"""The code × group table counts codings in transcripts without a group too."""

from __future__ import annotations

from workbench.i18n import t
from workbench.services import Workbench

from tests.conftest import sample_parsed


def test_code_group_has_a_column_for_transcripts_without_a_group(wb_with_transcript):
    wb, grouped = wb_with_transcript
    loose = wb.transcripts.add_parsed(sample_parsed(), name="fg2")  # no group
    hope = wb.codes.create("Håp")
    moderator = next(p for p in wb.transcripts.participants() if p.label == "Moderator")
    wb.transcripts.update_participant(moderator.id, role="moderator")
    # the moderator has no group of their own: their turns count under the transcript's
    for summary, needle in ((grouped, "opplever håp"), (loose, "Velkommen"),
                            (loose, "Hva betyr forbedring")):
        text = wb.transcripts.get(summary.id).text
        start = text.index(needle)
        wb.codes.apply(summary.id, start, start + len(needle), code_id=hope.id)
    table = wb.tables.table("code-group")
    assert table.columns == [t("tables.col.code"), "Ledere", t("tables.no_group")]
    assert table.rows == [["Håp", 1, 2]]


def test_code_group_without_ungrouped_transcripts_has_no_such_column(wb: Workbench):
    wb.transcripts.add_parsed(sample_parsed(), name="fg1", group="Ledere")
    assert t("tables.no_group") not in wb.tables.table("code-group").columns
