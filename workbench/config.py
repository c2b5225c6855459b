"""User settings: language and key remapping, from a TOML file in the user's config folder.

``~/.config/workbench/config.toml`` (or ``$WORKBENCH_CONFIG``)::

    language = "en"          # nb (default) or en

    [keys]                   # binding id = key(s); see the help screen (F1) for the ids
    "app.quit" = "ctrl+q"
    "coding.apply" = "c"
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir


def config_path() -> Path:
    env = os.environ.get("WORKBENCH_CONFIG")
    return Path(env) if env else Path(user_config_dir("workbench")) / "config.toml"


def data_dir() -> Path:
    env = os.environ.get("WORKBENCH_DATA")
    return Path(env) if env else Path(user_data_dir("workbench"))


@dataclass
class Settings:
    language: str | None = None
    keys: dict[str, str] = field(default_factory=dict)
    problem: str | None = None  # a config file that could not be read: shown, not fatal


def load_settings(path: Path | None = None) -> Settings:
    path = path or config_path()
    if not path.exists():
        return Settings()
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        return Settings(problem=f"{path}: {exc}")
    language = data.get("language")
    keys = {str(k): str(v) for k, v in (data.get("keys") or {}).items()}
    return Settings(language=language if language in ("nb", "en") else None, keys=keys)
