"""Plural forms in the message catalogues: «1 sitat», «2 sitater», never «sitat(er)».

The catalogues choose the form in the template (``{n} {n:sitat|sitater}``, see
``workbench.i18n``), so these tests render every message with each count set to 1 and to 2
and look for a number next to the wrong form of a noun, and scan for «(er)»-style stopgaps.
"""

from __future__ import annotations

import re
import string

import pytest

from workbench.i18n import LANGUAGES, _FORMATTER, catalogue, format_template, plural, t, tn

# Nouns that follow a count in the catalogues: (singular, plural). Bokmål nouns whose two
# forms are the same (tema, utdrag, treff, ord, avsnitt, sett) cannot be wrong.
NOUNS = {
    "nb": [
        ("sitat", "sitater"), ("transkripsjon", "transkripsjoner"), ("oppføring", "oppføringer"),
        ("ytring", "ytringer"), ("kode", "koder"), ("koding", "kodinger"), ("taler", "talere"),
        ("informant", "informanter"), ("gruppe", "grupper"), ("deltaker", "deltakere"),
        ("notat", "notater"), ("kommentar", "kommentarer"), ("rad", "rader"), ("fil", "filer"),
        ("endring", "endringer"), ("kilde", "kilder"), ("markering", "markeringer"),
        ("blokk", "blokker"), ("tekstblokk", "tekstblokker"), ("tilfelle", "tilfeller"),
        ("dag", "dager"), ("temaet", "temaene"), ("kobling", "koblinger"),
        ("øyeblikksbilde", "øyeblikksbilder"), ("opphold", "opphold"), ("time", "timer"),
        ("medlem", "medlemmer"), ("utdraget", "utdragene"), ("navn", "navn"),
    ],
    "en": [
        ("quote", "quotes"), ("transcript", "transcripts"), ("entry", "entries"),
        ("turn", "turns"), ("code", "codes"), ("coding", "codings"), ("speaker", "speakers"),
        ("informant", "informants"), ("group", "groups"), ("participant", "participants"),
        ("note", "notes"), ("comment", "comments"), ("row", "rows"), ("file", "files"),
        ("change", "changes"), ("source", "sources"), ("selection", "selections"),
        ("block", "blocks"), ("cue", "cues"), ("case", "cases"), ("day", "days"),
        ("theme", "themes"), ("link", "links"), ("snapshot", "snapshots"), ("stay", "stays"),
        ("extract", "extracts"), ("hit", "hits"), ("set", "sets"), ("word", "words"),
        ("paragraph", "paragraphs"), ("minute", "minutes"), ("hour", "hours"),
        ("member", "members"), ("name", "names"), ("visit", "visits"),
    ],
}
# Plurals whose singular may also stand for the plural («2 tema»): only «1 temaer» is wrong.
ONE_ONLY = {"nb": [("tema", "temaer"), ("byte", "byter")], "en": [("byte", "bytes")]}
# Words that may stand between the number and the noun.
BETWEEN = {
    "nb": r"(?:nye |åpne |andre |brukte |flere |ulike )?",
    "en": r"(?:new |open |other |more |used |different |main |sub-)?",
}
STOPGAP = re.compile(r"\w\((?:er|e|r|s|es|ne|ene)\)")


# Fields that name something rather than count it: they get a word, not the number.
NAMES = {"path", "name", "file", "label", "source", "query", "kind", "title", "url", "folder",
         "dialect", "author", "when", "roles", "pairs", "places", "code", "theme", "names"}


class _Any(dict):
    """Every field of a template that may be a count gets the same value."""

    def __init__(self, value: object) -> None:
        super().__init__()
        self.value = value

    def __missing__(self, key: str) -> object:
        return "«x»" if key in NAMES else self.value


def rendered(lang: str, value: int) -> dict[str, str]:
    """Every message of ``lang`` with each of its fields set to ``value``."""
    out = {}
    for key, template in catalogue(lang).items():
        try:
            out[key] = string.Formatter.vformat(_FORMATTER, template, (), _Any(value))
        except (KeyError, IndexError, ValueError, AttributeError, TypeError):
            continue  # a field that is not a number ({x.name}, {x[0]}): nothing to count
    return out


def chosen_by_code(key: str, keys: set[str]) -> bool:
    """A message the code picks by number itself: ``x.one``/``x.other``, ``x_one``/``x_other``,
    or ``x`` beside an ``x_one`` for the count of 1."""
    return (key.rsplit(".", 1)[-1] in ("one", "other") or key.endswith(("_one", "_other"))
            or f"{key}_one" in keys)


def wrong_forms(lang: str) -> list[str]:
    between = BETWEEN[lang]
    one = "|".join(re.escape(p) for s, p in NOUNS[lang] + ONE_ONLY[lang] if s != p)
    other = "|".join(re.escape(s) for s, p in NOUNS[lang] if s != p)
    bad_one = re.compile(rf"(?<![\d.,–-])\b1 {between}(?:{one})\b")
    bad_other = re.compile(rf"(?<![\d.,–-])\b2 {between}(?:{other})\b")
    keys = set(catalogue(lang))
    ones = {k: v for k, v in rendered(lang, 1).items() if not chosen_by_code(k, keys)}
    twos = {k: v for k, v in rendered(lang, 2).items() if not chosen_by_code(k, keys)}
    found = []
    for key, text in ones.items():
        found += [f"{key}: «{m.group(0)}» in {text!r}" for m in bad_one.finditer(text)]
    for key, text in twos.items():
        found += [f"{key}: «{m.group(0)}» in {text!r}" for m in bad_other.finditer(text)]
    if lang == "en":  # the verb follows the count too
        for key, text in ones.items():
            found += [f"{key}: {m.group(0)!r}" for m in
                      re.finditer(r"\b1 (?:[\w-]+ ){1,3}(?:have|were|are|do|refer|rest|mirror)\b", text)]
        for key, text in twos.items():
            found += [f"{key}: {m.group(0)!r}" for m in
                      re.finditer(r"\b2 (?:[\w-]+ ){1,3}(?:has|was|is|does|refers|rests|mirrors)\b", text)]
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_count_stands_next_to_the_wrong_form(lang: str) -> None:
    assert wrong_forms(lang) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_stopgap_plurals_in_the_catalogues(lang: str) -> None:
    found = [f"{key}: {template!r}" for key, template in catalogue(lang).items()
             if STOPGAP.search(template)]
    assert found == []


def test_the_scan_finds_what_it_looks_for() -> None:
    text = "{n} sitater og {n} kode(r)"
    assert STOPGAP.search(text)
    assert not STOPGAP.search("{n} {n:sitat|sitater} (se vedlegg)")


@pytest.mark.parametrize(("key", "params", "one", "two"), [
    ("themes_ui.details_stats", {"extracts": "{n}", "informants": "{n}", "quotes": "{n}",
                                 "groups": "A"}, "1 sitat", "2 sitater"),
    ("themes_ui.details_stats", {"extracts": "{n}", "informants": "{n}", "quotes": "{n}",
                                 "groups": "A"}, "1 informant ·", "2 informanter"),
    ("checklist.detail.journal", {"n": "{n}"}, "1 oppføring i", "2 oppføringer i"),
    ("checklist.detail.transcribed", {"n": "{n}"}, "1 transkripsjon i", "2 transkripsjoner i"),
    ("checklist.detail.uncoded", {"n": "{n}", "names": "x"}, "1 transkripsjon er", "2 transkripsjoner er"),
    ("search.count", {"n": "{n}", "transcripts": "{n}"}, "1 transkripsjon.",
     "2 transkripsjoner."),
    ("exchange.warning.out_of_range", {"n": "{n}", "source": "x"}, "1 markering i",
     "2 markeringer i"),
    ("exchange.warning.skipped_sources", {"n": "{n}", "kind": "x"}, "1 kilde av", "2 kilder av"),
    ("exchange.warning.unknown_code", {"n": "{n}", "source": "x"}, "1 koding i", "2 kodinger i"),
    ("exchange.warning.cases_ignored", {"n": "{n}"}, "1 tilfelle (cases)", "2 tilfeller (cases)"),
    ("import.warning.cues_without_time", {"count": "{n}", "name": "x"}, "1 blokk i",
     "2 blokker i"),
    ("export.warn.unplaced", {"n": "{n}"}, "1 sitat er", "2 sitater er"),
])
def test_messages_with_one_and_two(key: str, params: dict, one: str, two: str) -> None:
    def render(n: int) -> str:
        return t(key, lang="nb", **{k: n if v == "{n}" else v for k, v in params.items()})

    assert key in catalogue("nb"), key
    assert one in render(1), render(1)
    assert two in render(2), render(2)
    assert "(" + "er)" not in render(1) + render(2)


def test_english_messages_with_one_and_two() -> None:
    assert "1 quote" in t("themes_ui.details_stats", lang="en", extracts=1, informants=1,
                          quotes=1, groups="A")
    assert "1 quotes" not in t("themes_ui.details_stats", lang="en", extracts=1, informants=1,
                               quotes=1, groups="A")
    assert "2 quotes" in t("themes_ui.details_stats", lang="en", extracts=2, informants=2,
                           quotes=2, groups="A")
    assert t("checklist.detail.empty_themes", lang="en", n=1, names="A").startswith("1 theme has")
    assert t("checklist.detail.empty_themes", lang="en", n=2, names="A").startswith("2 themes have")
    assert "1 selection in" in t("exchange.warning.out_of_range", lang="en", n=1, source="x")
    assert "2 selections in" in t("exchange.warning.out_of_range", lang="en", n=2, source="x")


def test_plural_picks_the_form_by_number() -> None:
    assert plural(1, "sitat", "sitater") == "sitat"
    assert plural(0, "sitat", "sitater") == "sitater"
    assert plural(2, "sitat", "sitater") == "sitater"
    assert plural("1", "sitat", "sitater") == "sitat"
    assert plural("mange", "sitat", "sitater") == "sitater"
    assert plural(1.5, "sitat", "sitater") == "sitater"


def test_format_specs_other_than_plurals_still_work() -> None:
    assert format_template("{x:.1f} {y:>3} {n:,} {{n}}", x=2, y="a", n=12345) == \
        "2.0   a 12,345 {n}"
    with pytest.raises(ValueError):
        format_template("{n:d}", n="x")


def test_the_history_renders_plurals() -> None:
    """The change log picks its templates itself (storage/undo.py) and fills them in with
    the same formatter."""
    from workbench.storage.undo import describe

    one = describe("participant.withdraw", {"label": "Leder 1", "turns": 1, "codings": 1,
                                            "notes": 2}, "nb")
    assert "1 ytring," in one and "1 koding og" in one and "2 notater" in one


def test_tn_chooses_between_whole_messages() -> None:
    assert tn("participant_ui.turns", 1, lang="nb") == "1 ytring"
    assert tn("participant_ui.turns", 3, lang="nb") == "3 ytringer"
    assert tn("participant_ui.turns", 1, lang="en") == "1 turn"
    # without a .one/.other pair, the key itself
    assert tn("themes_ui.journal_added_missing", 1) == "themes_ui.journal_added_missing"
