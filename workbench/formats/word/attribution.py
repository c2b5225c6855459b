"""How a quote is attributed in the report: base profession and group, never a name.

The default pattern ``({profession}, {group})`` gives ``(Sykepleier, leder)``. The
placeholders (:data:`~workbench.formats.word.kinds.ATTRIBUTION_FIELDS`):

``{profession}``
    The base profession, capitalised: ``sykepleier med videreutdanning i psykisk helse``
    becomes ``Sykepleier``. Everything from ``med``, ``m/``, a comma, a semicolon or an
    opening bracket on is dropped, and so is a trailing ``videreutdanning …``.
``{profession_full}``
    The profession as stored, capitalised.
``{group}``
    The group as a singular, lower-case noun where that is sensible: ``Ledere`` →
    ``leder``, ``Miljøterapeuter`` → ``miljøterapeut``. A table of common group names is
    used first, then two cautious bokmål rules for a one-word name (``-ere`` → ``-er``;
    ``-er`` after ``ut, et, nt, st, om, og, or, ad`` is dropped: ``psykologer`` →
    ``psykolog``). A name the rules do not cover, or a name of several words, is kept and
    only its first letter lowered (``Fokusgruppe 1`` → ``fokusgruppe 1``; ``NAV`` stays).
``{group_raw}``
    The group exactly as stored (``Ledere``).

A speaker without a profession is called ``Informant`` (or their role, ``Moderator``). A
placeholder with no value leaves no stray comma or empty brackets behind.
"""

from __future__ import annotations

import re
import string
import unicodedata

from workbench.domain import speakers
from workbench.i18n import UserError, get_language, t

from .kinds import ATTRIBUTION_FIELDS, FIELD_NAMES, attribution_fields

GROUP_SINGULAR = {
    "ledere": "leder",
    "mellomledere": "mellomleder",
    "avdelingsledere": "avdelingsleder",
    "enhetsledere": "enhetsleder",
    "teamledere": "teamleder",
    "miljøterapeuter": "miljøterapeut",
    "miljøarbeidere": "miljøarbeider",
    "miljøpersonale": "miljøpersonale",
    "terapeuter": "terapeut",
    "ansatte": "ansatt",
    "brukere": "bruker",
    "tjenestebrukere": "tjenestebruker",
    "pårørende": "pårørende",
    "sykepleiere": "sykepleier",
    "vernepleiere": "vernepleier",
    "sosionomer": "sosionom",
    "helsefagarbeidere": "helsefagarbeider",
    "fagarbeidere": "fagarbeider",
    "assistenter": "assistent",
    "psykologer": "psykolog",
    "leger": "lege",
    "studenter": "student",
    "informanter": "informant",
    "deltakere": "deltaker",
    "medarbeidere": "medarbeider",
    "konsulenter": "konsulent",
    "koordinatorer": "koordinator",
    "erfaringskonsulenter": "erfaringskonsulent",
    "likepersoner": "likeperson",
    "leaders": "leader",
    "managers": "manager",
    "nurses": "nurse",
    "therapists": "therapist",
    "users": "user",
}

_SINGULAR_AFTER = ("ut", "et", "nt", "st", "om", "og", "or", "ad")


def _clean(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def base_profession(profession: str | None) -> str:
    """``sykepleier med videreutdanning i psykisk helse`` → ``Sykepleier`` (the rule is
    :func:`workbench.domain.speakers.base_profession`, capitalised)."""
    return _capitalise(speakers.base_profession(profession))


def _lower_first(word: str) -> str:
    if len(word) > 1 and not word[1:].islower():
        return word  # an acronym or a proper noun written in capitals: NAV, BUP
    return word[:1].lower() + word[1:]


def group_singular(group: str | None) -> str:
    """``Ledere`` → ``leder``, ``Miljøterapeuter`` → ``miljøterapeut`` (see module doc)."""
    text = _clean(group)
    if not text:
        return ""
    words = text.split(" ")
    if len(words) == 1:
        word = words[0]
        low = word.casefold()
        if low in GROUP_SINGULAR:
            return GROUP_SINGULAR[low]
        if word[1:].islower() and low.isalpha():
            if low.endswith("ere") and len(low) > 5:
                return low[:-1]
            if low.endswith("er") and len(low) > 5 and low[:-2].endswith(_SINGULAR_AFTER):
                return low[:-2]
    return " ".join([_lower_first(words[0]), *words[1:]])


def check_pattern(pattern: str) -> str:
    """The pattern with its placeholders in English (``{yrke}`` → ``{profession}``) if every
    placeholder is allowed; else a :class:`UserError`."""
    allowed = ", ".join("{" + f + "}" for f in attribution_fields(get_language()))
    aliases = {local: field for names in FIELD_NAMES.values() for field, local in names.items()}
    try:
        parts = list(string.Formatter().parse(pattern))
    except ValueError:
        raise UserError("export.error.attribution_syntax", pattern=pattern, fields=allowed) from None
    out: list[str] = []
    for text, name, spec, conv in parts:
        out.append(text.replace("{", "{{").replace("}", "}}"))
        if name is None:
            continue
        name = aliases.get(name, name)
        if name not in ATTRIBUTION_FIELDS:
            raise UserError("export.error.attribution_field", field=name, fields=allowed)
        out.append("{" + name + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "") + "}")
    return "".join(out)


def attribution_parts(
    profession: str | None, group: str | None, role: str | None, lang: str
) -> dict[str, str]:
    """The placeholder values for one speaker."""
    base = base_profession(profession)
    full = _capitalise(_clean(profession))
    if not base:
        who = role if role in ("moderator", "co-moderator") else "informant"
        base = full = _capitalise(t(f"role.{who}", lang=lang))
    return {
        "profession": base,
        "profession_full": full,
        "group": group_singular(group),
        "group_raw": _clean(group),
    }


def format_attribution(pattern: str, parts: dict[str, str]) -> str:
    """Fill in a checked pattern; drop separators and brackets left empty."""
    text = pattern.format(**parts)
    text = re.sub(r"([(\[])\s*[,;/–-]\s*", r"\1", text)
    text = re.sub(r"\s*[,;/–-]\s*([)\]])", r"\1", text)
    text = re.sub(r"([,;])\s*[,;]", r"\1", text)
    text = re.sub(r"\(\s*\)|\[\s*\]", "", text)
    return " ".join(text.split()).strip(" ,;")
