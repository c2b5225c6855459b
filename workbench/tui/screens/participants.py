"""The participant view: one informant's turns and codings across all transcripts.

Reached with «w» from the home screen (choose a participant) and from the coding screen (the
speaker under the cursor). Enter on a turn shows it in the coding screen, with the turn
selected.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from workbench.i18n import UserError, t
from workbench.services.transcripts import ParticipantTurn
from workbench.tui.messages import DataChanged
from workbench.tui.widgets.picker import Choice, FuzzyPicker, Pick

from .base import ProjectScreen, app_of, counted

EXCERPT = 220


def _excerpt(text: str, width: int = EXCERPT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def choose_participant(screen: ProjectScreen[object]) -> None:
    """Ask which participant to show (informants first), then open their view."""
    app = app_of(screen)
    people = sorted(app.wb.transcripts.participants(),
                    key=lambda p: p.role != "informant")
    choices = [
        Choice(p.id, p.label, None, " · ".join(
            x for x in (t(f"coding_ui.role.{p.role}"), p.profession or "", p.group or "") if x
        ))
        for p in people
    ]

    def done(pick: Pick | None) -> None:
        if pick is not None and pick.id is not None:
            app.push_screen(ParticipantScreen(pick.id))

    app.push_screen(FuzzyPicker(t("participant_ui.choose"), choices), done)


class ParticipantScreen(ProjectScreen[None]):
    """Every turn of one participant, transcript by transcript, with the codes on it."""

    DEFAULT_CSS = """
    ParticipantScreen #participant-body { padding: 0 1; }
    ParticipantScreen #participant-title { text-style: bold; height: auto; margin: 1 0 0 0; }
    ParticipantScreen #participant-summary { color: $text-muted; height: auto; }
    ParticipantScreen #participant-turns { height: 1fr; max-width: 110; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", t("tui.key.close"), id="participant.close"),
        Binding("w", "choose", t("participant_ui.key.other"), id="participant.other"),
    ]

    def __init__(self, participant_id: int, *, near: tuple[int, int] | None = None) -> None:
        """``near``: (transcript id, stored offset) whose turn is highlighted first."""
        super().__init__()
        self.participant_id = participant_id
        self.near = near
        self.turns: list[ParticipantTurn] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="participant-body"):
            yield Static(id="participant-title", markup=False)
            yield Static(id="participant-summary", markup=False)
            yield OptionList(id="participant-turns")
        yield Footer()

    def on_mount(self) -> None:
        self.show_turns()
        self.query_one("#participant-turns", OptionList).focus()

    def reload(self, change: DataChanged | None) -> None:
        self.show_turns()

    def show_turns(self) -> None:
        wb = self.wb
        options = self.query_one("#participant-turns", OptionList)
        kept = options.highlighted
        try:
            person = next(p for p in wb.transcripts.participants() if p.id == self.participant_id)
            self.turns = wb.transcripts.participant_turns(self.participant_id)
        except (StopIteration, UserError):  # merged away or removed
            self.notify(t("participant_ui.gone"), severity="warning")
            self.dismiss()
            return
        details = " · ".join(
            x for x in (t(f"coding_ui.role.{person.role}"), person.profession or "",
                        person.group or "") if x
        )
        self.sub_title = t("participant_ui.title", name=person.label)
        self.query_one("#participant-title", Static).update(
            f"{person.label} · {details}" if details else person.label
        )
        coded = sum(1 for x in self.turns if x.codes)
        transcripts = len({x.transcript_id for x in self.turns})
        self.query_one("#participant-summary", Static).update(
            t("participant_ui.summary", turns=counted("participant_ui.turns", len(self.turns)),
              transcripts=counted("participant_ui.transcripts", transcripts), coded=coded)
        )
        options.clear_options()
        for i, turn in enumerate(self.turns):
            text = Text()
            head = t("participant_ui.turn_head", transcript=turn.transcript,
                     n=turn.index + 1, total=turn.turns)
            text.append(head, style="bold")
            text.append("\n" + _excerpt(turn.text))
            text.append("\n")
            if turn.codes:
                text.append("  ".join(f"■ {name}" for name in turn.codes), style="italic")
            else:
                text.append(t("participant_ui.no_codes"), style="dim")
            options.add_option(Option(text, id=str(i)))
        if not self.turns:
            options.add_option(Option(t("participant_ui.no_turns"), disabled=True))
            return
        if self.near is not None:
            tid, offset = self.near
            self.near = None
            kept = next((i for i, x in enumerate(self.turns)
                         if x.transcript_id == tid and x.end > offset), kept)
        options.highlighted = min(kept or 0, len(self.turns) - 1)

    @on(OptionList.OptionSelected, "#participant-turns")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is None:
            return
        turn = self.turns[int(event.option.id)]
        from .coding import CodingScreen, open_coding_screen

        app = self.workbench_app
        if any(isinstance(s, CodingScreen) for s in app.screen_stack):
            self.dismiss()  # back to the coding screen below, which shows the turn
        open_coding_screen(app, turn.transcript_id, select=(turn.start, turn.end))

    def action_choose(self) -> None:
        below = self.workbench_app.screen_stack[-2]
        self.dismiss()
        if isinstance(below, ProjectScreen):
            choose_participant(below)

    def action_close(self) -> None:
        self.dismiss()
