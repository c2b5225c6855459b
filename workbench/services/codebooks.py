"""Codebooks in and out: load a YAML codebook into the project, write the project's codes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.domain.codebook import CodebookSpec, CodeSpec, ThemeSpec
from workbench.domain.collation import sort_key
from workbench.domain.model import clean_name, name_key
from workbench.formats.codebook_yaml import dump_codebook, load_codebook
from workbench.i18n import UserError
from workbench.storage.models import Code, CodeTheme, Project, Theme

from .base import Service, next_position


@dataclass(frozen=True)
class CodebookImportResult:
    name: str
    codes_added: int
    codes_existing: int
    themes_added: int


class CodebookService(Service):
    def import_file(self, path: str | Path) -> CodebookImportResult:
        """Add a codebook's codes (and optional themes) to the project, as one command.

        A code whose name already exists (case and NFC insensitive) is reused, not
        duplicated; its description and colour are kept.
        """
        path = Path(path)
        if not path.is_file():
            raise UserError("codebook_io.missing", path=path)
        spec = load_codebook(path)
        return self.import_spec(spec, source=path.name)

    def import_spec(self, spec: CodebookSpec, *, source: str = "") -> CodebookImportResult:
        """Add ``spec``'s codes and themes. Its names, descriptions and definitions (the
        memos a codebook carries) and the file name go through the project's one
        pseudonymisation step first."""
        from .privacy import PrivacyService

        pz = PrivacyService(self.store).pseudonymiser()
        spec = pz.codebook(spec)
        source = pz.filename(source) if source else source
        with self.store.command("codebook.import", name=spec.name, file=source) as s:
            added = existing = 0
            by_key: dict[str, Code] = {c.name_key: c for c in s.scalars(select(Code))}

            def add(code_spec: CodeSpec, parent: Code | None) -> None:
                nonlocal added, existing
                name = clean_name(code_spec.name)
                code = by_key.get(name_key(name))
                if code is None:
                    parent_id = parent.id if parent else None
                    code = Code(
                        name=name, name_key=name_key(name), description=code_spec.description,
                        colour=code_spec.colour, origin=code_spec.origin, parent_id=parent_id,
                        position=next_position(s, Code.position, Code.parent_id == parent_id),
                    )
                    if code_spec.guid:
                        code.guid = code_spec.guid
                    s.add(code)
                    s.flush()
                    by_key[code.name_key] = code
                    added += 1
                else:
                    existing += 1
                for child in code_spec.children:
                    add(child, code)

            for code_spec in spec.codes:
                add(code_spec, None)
            themes_added = self._add_themes(s, spec.themes, None, by_key)
            return CodebookImportResult(spec.name, added, existing, themes_added)

    def _add_themes(
        self, s: Session, specs: list[ThemeSpec], parent: Theme | None, by_key: dict[str, Code]
    ) -> int:
        count = 0
        parent_id = parent.id if parent else None
        siblings = {name_key(t.name): t for t in s.scalars(select(Theme).where(Theme.parent_id == parent_id))}
        for spec in specs:
            theme = siblings.get(name_key(spec.name))
            if theme is None:
                theme = Theme(
                    name=clean_name(spec.name), definition=spec.definition, status=spec.status,
                    parent_id=parent_id,
                    position=next_position(s, Theme.position, Theme.parent_id == parent_id),
                )
                if spec.guid:
                    theme.guid = spec.guid
                s.add(theme)
                s.flush()
                count += 1
            linked = {link.code_id for link in theme.code_links}
            for i, code_name in enumerate(spec.codes):
                code = by_key[name_key(code_name)]
                if code.id not in linked:
                    s.add(CodeTheme(code_id=code.id, theme_id=theme.id, position=i))
                    linked.add(code.id)
            s.flush()
            count += self._add_themes(s, spec.subthemes, theme, by_key)
        return count

    def export_spec(self, *, with_themes: bool = True) -> CodebookSpec:
        with self.store.read() as s:
            project = s.scalars(select(Project)).one()
            codes = list(s.scalars(select(Code)))
            by_parent: dict[int | None, list[Code]] = {}
            for code in codes:
                by_parent.setdefault(code.parent_id, []).append(code)

            def code_specs(parent: int | None) -> list[CodeSpec]:
                return [
                    CodeSpec(
                        name=c.name, description=c.description, colour=c.colour,
                        origin=c.origin, guid=c.guid, children=code_specs(c.id),
                    )
                    for c in sorted(by_parent.get(parent, []), key=lambda c: (c.position, sort_key(c.name)))
                ]

            themes = list(s.scalars(select(Theme).order_by(Theme.position, Theme.id)))
            names = {c.id: c.name for c in codes}

            def theme_specs(parent: int | None) -> list[ThemeSpec]:
                return [
                    ThemeSpec(
                        name=th.name, definition=th.definition, status=th.status,
                        codes=[names[link.code_id] for link in th.code_links],
                        subthemes=theme_specs(th.id), guid=th.guid,
                    )
                    for th in themes if th.parent_id == parent
                ]

            return CodebookSpec(
                name=project.title, codes=code_specs(None),
                themes=theme_specs(None) if with_themes else [],
            )

    def export_yaml(self, *, with_themes: bool = True) -> str:
        return dump_codebook(self.export_spec(with_themes=with_themes))
