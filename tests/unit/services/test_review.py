"""Supervisor comments: anchored to a theme, a code or an extract; replies; resolving."""

from __future__ import annotations


def test_comments_anchor_to_theme_code_and_extract(study):
    wb, c = study.wb, study.codes
    a = wb.themes.create("A", code_ids=[c["håp"]])
    extract = wb.metrics.extracts(a.id).all[0]
    on_theme = wb.review.comment("theme", a.id, "Er dette et tema eller en kode?")
    wb.review.comment("code", c["håp"], "Uklar kode")
    on_extract = wb.review.comment("coding", extract.coding_id, "Godt sitat")
    assert on_extract.anchor_label == "brukeren opplever håp"
    counts = wb.review.open_counts()
    assert counts[a.guid] == 1 and counts[extract.coding_guid] == 1
    assert wb.metrics.extracts(a.id).all[0].open_comments == 1
    wb.review.reply(on_theme.id, "Et tema, mener jeg.")
    (thread,) = wb.review.comments(anchor_guid=a.guid)
    assert [r.text for r in thread.replies] == ["Et tema, mener jeg."]
    wb.review.resolve(on_theme.id)
    assert a.guid not in wb.review.open_counts()
    wb.themes.rename(a.id, "Nytt navn")
    assert wb.review.comments(anchor_guid=a.guid)[0].anchor_label == "A"  # kept as written
