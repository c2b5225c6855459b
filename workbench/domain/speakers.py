"""Who the speakers of the transcripts are: a label, a pseudonym, a role, and the metadata
quotes are attributed by (profession and group).

Transcripts carry the names informants introduced themselves with ("Kari:"). A speaker
sheet, kept by the researcher next to the transcripts, maps each label (and its other
spellings) to a :class:`SpeakerSpec`; the file forms are read by
:mod:`workbench.formats.speaker_sheet`. Plain values and rules, no file reading.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from workbench.domain.model import Role, name_key

ROLES: tuple[str, ...] = tuple(role.value for role in Role)
DEFAULT_ROLE = Role.INFORMANT.value

# Everything a researcher might write in the role column, mapped to the canonical role.
_ROLE_ALIASES: dict[str, str] = {
    "moderator": "moderator",
    "mod": "moderator",
    "intervjuer": "moderator",
    "interviewer": "moderator",
    "co-moderator": "co-moderator",
    "comoderator": "co-moderator",
    "co moderator": "co-moderator",
    "ko-moderator": "co-moderator",
    "komoderator": "co-moderator",
    "ko moderator": "co-moderator",
    "medmoderator": "co-moderator",
    "assistant moderator": "co-moderator",
    "informant": "informant",
    "deltaker": "informant",
    "deltakar": "informant",
    "participant": "informant",
}
_PROFESSION_CUT = re.compile(
    r"\s+(?:med\b|m/|with\b)|\s*[,;(]|\s+(?:og\s+)?videreutd\w*", re.IGNORECASE
)


@dataclass
class SpeakerSpec:
    """One row of a speaker sheet. Text fields are NFC and stripped; empty means unknown."""

    label: str
    pseudonym: str | None = None
    role: str = DEFAULT_ROLE
    profession: str = ""
    group: str = ""
    aliases: list[str] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        """The label followed by its aliases: every spelling this speaker appears under."""
        return [self.label, *self.aliases]

    @property
    def display_name(self) -> str:
        """What to show instead of the name: the pseudonym, or the label if none was given."""
        return self.pseudonym or self.label

    @property
    def base_profession(self) -> str:
        """The profession without further education (see :func:`base_profession`)."""
        return base_profession(self.profession)


def base_profession(profession: str | None) -> str:
    """The profession without further education, as quotes are attributed by:
    ``sykepleier med videreutdanning i psykisk helse`` → ``sykepleier``. Everything from
    ``med``, ``m/``, a comma, a semicolon or an opening bracket on is dropped, and so is a
    trailing ``videreutdanning …``; the rest keeps its spelling (NFC, spaces collapsed)."""
    text = " ".join(unicodedata.normalize("NFC", profession or "").split())
    match = _PROFESSION_CUT.search(text)
    if match and match.start() > 0:
        text = text[: match.start()]
    return text.strip(" -–,.;")


#: Two labels are compared as two names are (NFC, case-folded, inner whitespace collapsed).
label_key = name_key


def canonical_role(value: str) -> str | None:
    """The role (one of :data:`ROLES`) that ``value`` names in English or Norwegian
    (``"Intervjuer"``, ``"ko-moderator"``, ``"deltaker"`` …); None when it names none."""
    return _ROLE_ALIASES.get(name_key(value.replace("_", " ")))


def speaker_index(speakers: Iterable[SpeakerSpec]) -> dict[str, SpeakerSpec]:
    """Look-up from :func:`label_key` of every label and alias to its speaker."""
    return {label_key(name): spec for spec in speakers for name in spec.labels}
