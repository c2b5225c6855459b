"""Team views of the coding screen: whose codings are shown, and colours by coder.

A mixin of :class:`~.screen.CodingScreen` (kept in its own module so the screen's own
code stays as it is):

* ``h`` chooses the coder view: every coding, mine, one coder's, or only disagreements
  (codings no other coder backs with the same code on overlapping text; see
  :meth:`workbench.services.codes.CodeService.codings`). The status line says which.
* ``H`` colours the margin stripes by coder instead of by code, and splits the
  codebook's counts by coder (each coder's number in their colour, the legend in the
  codebook's title).

What a blind coder sees is decided by the services (:mod:`workbench.services.assignments`):
this screen only says so in the status line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from textual.content import Content

from workbench.domain.coders import coder_colours
from workbench.domain.collation import sort_key
from workbench.i18n import t
from workbench.services.codes import CodingView
from workbench.tui.widgets.picker import Choice, FuzzyPicker, Pick

if TYPE_CHECKING:
    from workbench.services import Workbench

ALL, MINE, CODER, DISAGREEMENTS = "all", "mine", "coder", "disagreements"
_MODE_IDS = {ALL: 0, MINE: 1, DISAGREEMENTS: 2}
_FIRST_CODER_ID = 10


@dataclass(frozen=True)
class CoderRead:
    """What a load read besides the codings (in the worker): for the status line, the
    picker and the split counts."""

    blind: bool
    coders: tuple[str, ...]
    split: dict[int, dict[str, int]] | None = field(default=None)


class CoderViews:
    """The coder filter and the coder colours of the coding screen (a mixin)."""

    coder_mode: str = ALL
    coder_name: str | None = None
    by_coder: bool = False
    _coder_reads: dict[int, CoderRead]
    _coder_state: CoderRead | None = None

    # -- reading (in the load worker) --------------------------------------------------

    def coder_read(self, wb: Workbench, transcript_id: int, generation: int) -> list[CodingView]:
        """The codings the coder view shows (called in the load worker); the rest of what
        it needs is kept for :meth:`coder_loaded` under ``generation``."""
        mode, name = self.coder_mode, self.coder_name
        if mode == MINE:
            codings = wb.codes.codings(transcript_id=transcript_id, coders=[wb.store.actor])
        elif mode == CODER and name:
            codings = wb.codes.codings(transcript_id=transcript_id, coders=[name])
        elif mode == DISAGREEMENTS:
            codings = wb.codes.codings(transcript_id=transcript_id, disagreements=True)
        else:
            codings = wb.codes.codings(transcript_id=transcript_id)
        read = CoderRead(
            blind=wb.assignments.is_blind_for_me(transcript_id),
            coders=tuple(wb.codes.coders(transcript_id=transcript_id)),
            split=wb.codes.counts_by_coder() if self.by_coder else None,
        )
        reads = self.__dict__.setdefault("_coder_reads", {})
        reads[generation] = read
        for old in [g for g in reads if g < generation]:
            reads.pop(old, None)
        return codings

    def coder_loaded(self, generation: int) -> None:
        """Show what :meth:`coder_read` read for the load ``generation`` (main thread)."""
        read = self.__dict__.get("_coder_reads", {}).pop(generation, None)
        if read is None:
            return
        self._coder_state = read
        self._show_coder_colours()

    # -- the status line ---------------------------------------------------------------

    def coder_status(self) -> str:
        """The coder view for the status line ("" for every coding, not blind)."""
        parts = []
        if self.coder_mode == MINE:
            parts.append(t("team_views.tui.status_mine"))
        elif self.coder_mode == CODER and self.coder_name:
            parts.append(t("team_views.tui.status_coder", name=self.coder_name))
        elif self.coder_mode == DISAGREEMENTS:
            parts.append(t("team_views.tui.status_disagreements"))
        if self._coder_state is not None and self._coder_state.blind:
            parts.append(t("team_views.tui.status_blind"))
        return " · ".join(parts)

    # -- choosing the view -------------------------------------------------------------

    def action_coders(self) -> None:
        screen: Any = self
        known = list(self._coder_state.coders) if self._coder_state else []
        for member in screen.wb.members.list():
            if member.role != "supervisor" and member.name not in known:
                known.append(member.name)
        choices = [
            Choice(_MODE_IDS[ALL], t("team_views.tui.mode_all")),
            Choice(_MODE_IDS[MINE], t("team_views.tui.mode_mine", actor=screen.wb.store.actor)),
            Choice(_MODE_IDS[DISAGREEMENTS], t("team_views.tui.mode_disagreements")),
        ]
        colours = coder_colours(known)
        choices += [Choice(_FIRST_CODER_ID + i, t("team_views.tui.mode_coder", name=name),
                           colours[name]) for i, name in enumerate(known)]

        def done(pick: Pick | None) -> None:
            if pick is None or pick.id is None:
                return
            if pick.id >= _FIRST_CODER_ID:
                self.set_coder_view(CODER, known[pick.id - _FIRST_CODER_ID])
            else:
                mode = next(m for m, i in _MODE_IDS.items() if i == pick.id)
                self.set_coder_view(mode)

        screen.app.push_screen(FuzzyPicker(t("team_views.tui.picker_title"), choices), done)

    def set_coder_view(self, mode: str, name: str | None = None) -> None:
        """Show every coding (``all``), ``mine``, one ``coder``'s (``name``) or only
        ``disagreements``, read again in the load worker."""
        screen: Any = self
        self.coder_mode, self.coder_name = mode, name if mode == CODER else None
        label = self.coder_status().split(" · ")[0] if mode != ALL else t("team_views.tui.mode_all")
        screen.notify(t("team_views.tui.view_set", view=label), timeout=3)
        screen.reload(None)

    def coders_changed_here(self) -> None:
        """This screen changed a coding: a filtered view is read again, so it still shows
        only what the filter asks for (a new coding of mine, in a colleague's view)."""
        if self.coder_mode in (CODER, DISAGREEMENTS) or self.by_coder:
            screen: Any = self
            screen.reload(None)

    # -- colours by coder ------------------------------------------------------------------

    def action_coder_colours(self) -> None:
        """Stripes coloured by coder and the codebook counts split by coder, or back."""
        screen: Any = self
        self.by_coder = not self.by_coder
        screen.notify(t("team_views.tui.by_coder_on" if self.by_coder
                        else "team_views.tui.by_coder_off"), timeout=3)
        if self.by_coder:
            screen.reload(None)  # reads the counts by coder
        else:
            self._show_coder_colours()

    def _show_coder_colours(self) -> None:
        screen: Any = self
        view, panel = screen.view, screen.codebook
        state = self._coder_state
        if not self.by_coder or state is None:
            view.set_coder_colours(None)
            panel.tree.set_split(None, ())
            panel.show_legend(None)
            return
        names = sorted(set(state.coders) | {c for n in (state.split or {}).values() for c in n},
                       key=sort_key)
        colours = coder_colours(names)
        view.set_coder_colours(colours)
        panel.tree.set_split(dict(state.split or {}), tuple((n, colours[n]) for n in names))
        legend = Content.assemble(*[part for n in names for part in (("■", colours[n]), f"{n} ")])
        panel.show_legend(legend)


__all__ = ["ALL", "CODER", "DISAGREEMENTS", "MINE", "CoderRead", "CoderViews"]
