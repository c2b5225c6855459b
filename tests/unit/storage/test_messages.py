"""Every storage message exists in both languages, and every command has a summary."""

from __future__ import annotations

import re
from pathlib import Path

from workbench.i18n import catalogue
from workbench.storage.commands import COMMANDS

ROOT = Path(__file__).resolve().parents[3] / "workbench"


def test_storage_and_member_messages_exist_in_both_languages():
    nb, en = catalogue("nb"), catalogue("en")
    tables = ("storage.", "members.")
    assert {k for k in nb if k.startswith(tables)} == {k for k in en if k.startswith(tables)}
    files = [*(ROOT / "storage").glob("*.py"), ROOT / "services" / "members.py"]
    used: set[str] = set()
    for path in files:
        used |= set(re.findall(r'"((?:storage|members|project|review)\.[a-z_]+\.[a-z_.]+)"',
                               path.read_text("utf-8")))
    assert len(used) > 30
    assert used <= set(nb) and used <= set(en), used - (set(nb) & set(en))


def test_every_declared_command_has_a_summary_in_both_languages():
    for lang in ("nb", "en"):
        keys = set(catalogue(lang))
        missing = {name for name in COMMANDS if f"command.{name}" not in keys}
        assert not missing, (lang, missing)


def test_every_declared_command_has_a_kind_in_the_audit_in_both_languages():
    # the audit export counts the change log by kind; a command without its own label
    # would be lumped into «Andre endringer»
    for lang in ("nb", "en"):
        keys = set(catalogue(lang))
        missing = {name for name in COMMANDS if f"export.audit.kind.{name}" not in keys}
        assert not missing, (lang, missing)
