"""Every message key the terminal UI uses exists in both catalogues."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

from textual.binding import Binding

import workbench.tui
from workbench.i18n import catalogue
from workbench.tui.widgets.modals import RENAMED_BINDING_IDS

# t("key") and keys passed on to t(): "coding_ui.picker.new", PALETTE_GROUP = "…"
_KEY = re.compile(r'"((?:tui|coding_ui|themes_ui|review_ui|journal_ui|phase_ui|phase|phases|'
                  r'search_ui|search|tables_ui|tables|export|project|cli|diff|themes|role|'
                  r'checklist|themes_cli)\.[a-z0-9_.\-]*[a-z0-9_])"')


def test_every_key_the_tui_uses_exists_in_both_languages():
    root = Path(workbench.tui.__file__).parent
    used: set[str] = set()
    for path in root.rglob("*.py"):
        used |= set(_KEY.findall(path.read_text("utf-8")))
    assert len(used) > 300
    binding_ids = set(RENAMED_BINDING_IDS)  # they look like keys ("search.close") but are not
    for info in pkgutil.walk_packages(workbench.tui.__path__, "workbench.tui."):
        for cls in vars(importlib.import_module(info.name)).values():
            if inspect.isclass(cls):
                binding_ids |= {b.id for b in getattr(cls, "BINDINGS", ()) if isinstance(b, Binding)}
    for lang in ("nb", "en"):
        texts = catalogue(lang)
        missing = sorted(k for k in used - binding_ids if k not in texts
                         and not any(t.startswith(k + ".") for t in texts))
        assert missing == [], (lang, missing)


def test_tui_catalogue_has_the_same_keys_in_both_languages():
    nb = {k for k in catalogue("nb") if k.startswith("tui.")}
    en = {k for k in catalogue("en") if k.startswith("tui.")}
    assert nb == en and {"tui.key.save", "tui.modal.text_hint", "tui.palette.help"} <= nb
