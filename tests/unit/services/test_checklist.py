"""Braun & Clarke's checklist, filled in from the data."""

from __future__ import annotations


def test_checklist_is_filled_from_the_data(study):
    wb, c = study.wb, study.codes
    items = {i.key.rsplit(".", 1)[1]: i for i in wb.checklist.items(2)}
    assert items["coverage"].status == "ok" and "fg1" in items["coverage"].detail
    assert items["uncoded"].status == "ok"
    assert items["single_extract"].params["n"] == 2  # personavhengig, latter
    assert items["active"].status == "info"
    wb.themes.create("Bred", code_ids=[c["håp"], c["brukeren bestemmer"]])
    wb.themes.create("Tynn", code_ids=[c["personavhengig"]])
    items = {i.key.rsplit(".", 1)[1]: i for i in wb.checklist.items(4)}
    assert items["one_informant"].status == "warn" and "Tynn" in items["one_informant"].detail
    assert "Bred" not in items["one_informant"].detail
    assert items["one_group"].status == "warn"
    assert items["collated"].status == "warn"  # tid til relasjon, latter not under a theme
    assert items["coherent"].status == "info"
    phase5 = {i.key.rsplit(".", 1)[1]: i for i in wb.checklist.items(5)}
    assert phase5["defined"].params["n"] == 2
    phase6 = {i.key.rsplit(".", 1)[1]: i for i in wb.checklist.items(6)}
    assert phase6["quotes"].status == "warn"
    assert all(i.text and not i.text.startswith("checklist.") for i in wb.checklist.items(6))
    wb.journal.add("Jeg merker at jeg leter etter håp.")
    assert {i.key: i.status for i in wb.checklist.items()}["checklist.item.active"] == "ok"


def test_uncoded_transcript_is_flagged(wb_with_transcript):
    wb, _tr = wb_with_transcript
    items = {i.key.rsplit(".", 1)[1]: i for i in wb.checklist.items(2)}
    assert items["uncoded"].status == "warn" and "fg1" in items["uncoded"].detail
    assert items["coverage"].status == "warn"
