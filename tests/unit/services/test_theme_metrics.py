"""How the themes stand against the data: extracts, matrices, thin themes, the deductive trap."""

from __future__ import annotations

import pytest

from workbench.services import Workbench
from workbench.services.theme_metrics import names_mirror


def test_theme_extracts_are_grouped_with_attribution(study):
    wb, c = study.wb, study.codes
    a = wb.themes.create("A", code_ids=[c["håp"]])
    wb.themes.create("Under", parent_id=a.id, code_ids=[c["brukeren bestemmer"], c["håp"]])
    review = wb.metrics.extracts(a.id)
    assert [(g.transcript_name, g.group) for g in review.groups] == [
        ("fg1", "Ledere"), ("fg2", "Miljøterapeuter"),
    ]
    rows = [(x.text, x.speaker, x.profession, x.group, x.theme_name) for x in review.all]
    assert rows == [
        ("brukerne må få bestemme mer", "Leder 2", "vernepleier", "Ledere", "Under"),
        ("brukeren opplever håp", "Leder 1", "sykepleier", "Ledere", "A"),
        ("Brukerne får bestemme mer selv", "Miljøterapeut 2", "sosionom", "Miljøterapeuter", "Under"),
        ("det gir håp", "Miljøterapeut 2", "sosionom", "Miljøterapeuter", "A"),
    ]
    assert review.stats.extracts == 4 and review.stats.informants == 3
    assert review.stats.groups == 2 and not review.stats.thin


def test_matrices_make_thin_themes_visible(study):
    wb, c = study.wb, study.codes
    broad = wb.themes.create("Bred", code_ids=[c["håp"], c["brukeren bestemmer"]])
    thin = wb.themes.create("Tynn", code_ids=[c["personavhengig"]])
    moderator = wb.themes.create("Moderator", code_ids=[c["latter"]])
    wb.themes.create("Forkastet", code_ids=[c["håp"]])
    wb.themes.discard(wb.themes.tree()[-1].id)
    groups = wb.metrics.matrix("group")
    assert groups.columns == ("Ledere", "Miljøterapeuter")
    rows = {r.name: r for r in groups.rows}
    assert "Forkastet" not in rows
    assert [(x.extracts, x.informants) for x in rows["Bred"].cells] == [(2, 2), (2, 1)]
    assert not rows["Bred"].thin
    assert rows["Tynn"].thin and rows["Tynn"].cells[0].extracts == 0
    assert rows["Moderator"].thin and rows["Moderator"].total.informants == 0
    people = wb.metrics.matrix("informant")
    assert people.columns == ("Leder 1", "Leder 2", "Miljøterapeut 1", "Miljøterapeut 2")
    row = {r.name: r for r in people.rows}["Bred"]
    assert [x.extracts for x in row.cells] == [1, 1, 0, 2]
    stats = wb.metrics.stats()
    assert (stats[broad.id].informants, stats[thin.id].informants, stats[moderator.id].informants) == (3, 1, 0)


def test_mirror_warning_when_main_themes_repeat_the_interview_guide(wb: Workbench):
    guide = wb.codes.create("a: Bakgrunn for innføringen", origin="deductive")
    wb.codes.create("Initiativ ovenfra", origin="deductive", parent_id=guide.id)
    wb.codes.create("b: Er det mulig å innføre", origin="deductive")
    practice = wb.codes.create("c: Endringer i måten å arbeide på", origin="deductive")
    new = wb.codes.create("Ny praksis", origin="deductive", parent_id=practice.id)
    own = wb.codes.create("Nye ord på gammel praksis")
    wb.themes.create("Bakgrunn for innføringen")  # the focus area's name, label dropped
    wb.themes.create("Om det er mulig å innføre")  # adds one word: still a mirror
    report = wb.metrics.mirror_check()
    assert report.warn and [m.reason for m in report.mirrors] == ["name", "name"]
    wb.themes.create("En arbeidsmåte som hviler på noen få", code_ids=[own.id])
    wb.themes.create("Å bære håpet for brukeren")
    report = wb.metrics.mirror_check()
    assert report.warn and report.share == 0.5  # two of four
    wb.themes.create("Hvem bestemmer hva som er bedring")
    assert not wb.metrics.mirror_check().warn  # two of five
    # built from a focus area's codes, whatever the name says
    area = wb.codes.create("d: Personalets forståelse", origin="deductive")
    wrong = wb.codes.create("Misforståelser", origin="deductive", parent_id=area.id)
    wb.themes.create("Ledelsen ville det", code_ids=[wrong.id, own.id])
    wb.themes.create("Noe nytt", code_ids=[new.id])
    report = wb.metrics.mirror_check()
    assert report.warn and {m.reason for m in report.mirrors} == {"name", "codes"}
    assert len(report.mirrors) == 4  # four of seven
    wb.themes.create("Også fra a", code_ids=[guide.id])
    assert len(wb.metrics.mirror_check().mirrors) == 4  # each deductive code is matched once


@pytest.mark.parametrize(
    ("theme", "code", "mirrors"),
    [
        ("Bakgrunn for innføringen", "a: Bakgrunn for innføringen", True),
        ("a) Bakgrunn for innføringen", "a: Bakgrunn for innføringen", True),
        ("Håp og optimisme", "Håp", True),
        ("Håp", "Håp", True),
        ("Hvem bestemmer hva som er forbedring?", "Nøkkelspørsmål: Hvem bestemmer hva som er forbedring", True),
        ("Å bære håpet for brukeren", "Håp", False),
        ("Tiden som ramme for medvirkning", "Medvirkning", False),
        ("Tid: en ramme", "Tid", True),
        ("", "Håp", False),
    ],
)
def test_names_mirror(theme, code, mirrors):
    assert names_mirror(theme, code) is mirrors


def test_mirror_ignores_misc_and_discarded_and_inductive_codes(wb: Workbench):
    wb.codes.create("Håp", origin="inductive")
    wb.codes.create("Tid")
    wb.themes.create("Håp")
    wb.themes.create("Tid")
    assert not wb.metrics.mirror_check().mirrors
    wb.codes.create("Tilknytning", origin="deductive")
    wb.codes.create("Mening", origin="deductive")
    t1 = wb.themes.create("Tilknytning")
    wb.themes.create("Mening", is_misc=True)
    wb.themes.discard(t1.id)
    assert not wb.metrics.mirror_check().mirrors
