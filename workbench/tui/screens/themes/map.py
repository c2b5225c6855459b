"""The theme map (phases 3–5): main themes → sub-themes → codes, beside the codes that are
under no theme yet.

Every key calls one service command, so every change is undoable with the app's ctrl+z.
After a change (or an undo, or a change made elsewhere) the app's ``DataChanged`` makes the
screen re-read the map in a thread worker; the tree is then rebuilt from the result and the
cursor goes back to the item it was on. ``Tree`` has no move API, so a move is shown by
rebuilding, not by moving nodes.

``g`` shows the same map as a box-drawing diagram (:mod:`workbench.domain.map_text`, the
tree shape of the report's figure) across the whole screen, ``K`` adds the codes; the
diagram only shows the map, so the keys that change it are off until ``g`` goes back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Header, OptionList, Static, Tree
from textual.widgets.option_list import Option
from textual.widgets.tree import TreeNode

from workbench.domain.map_text import MapNode
from workbench.i18n import UserError, t
from workbench.services.snapshots import describe_diff
from workbench.services.themes import ThemeView, walk
from workbench.tui.messages import DataChanged, ThemeMapLoaded
from workbench.tui.widgets.modals import (
    ChoiceModal,
    LinesModal,
    MultiChoiceModal,
    PromptModal,
    TextModal,
)
from workbench.tui.widgets.map_diagram import MapDiagram
from workbench.tui.widgets.palette import InPalette

from ..base import ProjectScreen
from .common import STATUS_STYLE, local_time, phase_label, status_name
from .modals import CommentsModal


@dataclass(frozen=True)
class NodeRef:
    """What a tree line (or a line of the free-code list) stands for."""

    kind: str  # "root", "theme", "code"
    theme_id: int | None = None  # the theme, or the theme a code sits under
    code_id: int | None = None


ROOT = NodeRef("root")

# Actions a supervisor may use in review mode (everything else is hidden).
REVIEW_ACTIONS = frozenset({"review", "comment", "comments", "snapshot", "diff", "back",
                            "diagram", "list", "diagram_codes"})
# Actions left when the file is open read-only (--read-only, or not writable).
READONLY_ACTIONS = frozenset({"review", "comments", "diff", "back", "diagram", "list",
                              "diagram_codes"})
# Actions left while the map is shown as a diagram (it has no cursor to act on).
DIAGRAM_ACTIONS = frozenset({"list", "diagram_codes", "snapshot", "diff", "back"})


class ThemeMapScreen(InPalette, ProjectScreen[None]):
    """Build and rework the theme map."""

    PALETTE_GROUP = "tui.palette.theme_map"

    DEFAULT_CSS = """
    ThemeMapScreen #banner { color: $warning; text-style: bold; padding: 0 1; height: auto; }
    ThemeMapScreen #review-banner { background: $warning 20%; color: $text; padding: 0 1; height: auto; }
    ThemeMapScreen #map-body { height: 1fr; }
    ThemeMapScreen #theme-tree { width: 3fr; border: round $primary; }
    ThemeMapScreen #side { width: 2fr; }
    ThemeMapScreen #free-codes { height: 1fr; max-height: 100%; border: round $secondary; }
    ThemeMapScreen #details { height: auto; max-height: 12; border: round $secondary; padding: 0 1; }
    ThemeMapScreen #comments-panel { height: auto; max-height: 10; border: round $warning; padding: 0 1; }
    ThemeMapScreen #diagram { height: 1fr; border: round $primary; display: none; }
    ThemeMapScreen.diagram #diagram { display: block; }
    ThemeMapScreen.diagram #map-body { display: none; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_theme", t("themes_ui.key.new"), id="themes.new"),
        # g switches list -> diagram and back; one of the two is shown at a time.
        Binding("g", "diagram", t("themes_ui.key.diagram"), id="themes.diagram"),
        Binding("g", "list", t("themes_ui.key.list"), id="themes.list"),
        Binding("K", "diagram_codes", t("themes_ui.key.diagram_codes"), id="themes.diagram_codes"),
        Binding("a", "new_subtheme", t("themes_ui.key.new_sub"), id="themes.new_sub", show=False),
        Binding("space", "mark", t("themes_ui.key.mark"), id="themes.mark", show=False),
        Binding("r,f2", "rename", t("themes_ui.key.rename"), id="themes.rename"),
        Binding("e", "definition", t("themes_ui.key.definition"), id="themes.definition"),
        Binding("s", "status", t("themes_ui.key.status"), id="themes.status"),
        Binding("x", "discard", t("themes_ui.key.discard"), id="themes.discard", show=False),
        Binding("greater_than_sign", "indent", t("themes_ui.key.indent"), id="themes.indent"),
        Binding("less_than_sign", "outdent", t("themes_ui.key.outdent"), id="themes.outdent"),
        Binding("alt+up,ctrl+up", "reorder(-1)", t("themes_ui.key.up"), id="themes.up", show=False),
        Binding("alt+down,ctrl+down", "reorder(1)", t("themes_ui.key.down"), id="themes.down", show=False),
        Binding("ctrl+x", "cut", t("themes_ui.key.cut"), id="themes.cut"),
        Binding("ctrl+v", "paste", t("themes_ui.key.paste"), id="themes.paste"),
        Binding("l", "link", t("themes_ui.key.link"), id="themes.link", show=False),
        Binding("m", "merge", t("themes_ui.key.merge"), id="themes.merge"),
        Binding("k", "split", t("themes_ui.key.split"), id="themes.split", show=False),
        Binding("p", "promote", t("themes_ui.key.promote"), id="themes.promote", show=False),
        Binding("P", "demote", t("themes_ui.key.demote"), id="themes.demote", show=False),
        Binding("b", "misc", t("themes_ui.key.misc"), id="themes.misc", show=False),
        Binding("delete", "delete", t("themes_ui.key.delete"), id="themes.delete", show=False),
        Binding("v", "review", t("themes_ui.key.review"), id="themes.review"),
        Binding("c", "comment", t("review_ui.key.comment"), id="themes.comment"),
        Binding("o", "comments", t("review_ui.key.comments"), id="themes.comments", show=False),
        Binding("f", "snapshot", t("themes_ui.key.snapshot"), id="themes.snapshot", show=False),
        Binding("d", "diff", t("themes_ui.key.diff"), id="themes.diff", show=False),
        Binding("escape", "back", t("themes_ui.key.back"), id="themes.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: Any = None
        self.marked: set[int] = set()
        self.clipboard: NodeRef | None = None
        self.collapsed: set[int] = set()
        self._want: NodeRef | None = None
        self._generation = 0  # counts reads of the map: a late one is dropped
        self.diagram_mode = False
        self.diagram_codes = False

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="review-banner")
        yield Static(id="banner")
        with Horizontal(id="map-body"):
            tree: Tree[NodeRef] = Tree(t("themes_ui.root"), data=ROOT, id="theme-tree")
            tree.guide_depth = 3
            yield tree
            with Vertical(id="side"):
                yield OptionList(id="free-codes")
                yield VerticalScroll(Static(id="details-text"), id="details")
                yield VerticalScroll(Static(id="comments-text"), id="comments-panel")
        yield MapDiagram(id="diagram")
        yield Footer()

    def on_mount(self) -> None:
        review_mode = self.workbench_app.review
        self.query_one("#free-codes", OptionList).border_title = t(
            "themes_ui.free_codes_review" if review_mode else "themes_ui.free_codes"
        )
        self.query_one("#theme-tree", Tree).border_title = t("themes_ui.title")
        self.query_one("#details", VerticalScroll).border_title = t("themes_ui.details")
        self.query_one("#comments-panel", VerticalScroll).border_title = t("review_ui.comments")
        self.query_one("#diagram", MapDiagram).border_title = t("themes_ui.diagram.title")
        review = self.query_one("#review-banner", Static)
        review.update(t("review_ui.banner", actor=self.wb.store.actor))
        review.display = review_mode
        self.query_one("#theme-tree", Tree).focus()
        self.read_map()

    # -- reading the services -----------------------------------------------------------

    def reload(self, change: DataChanged | None) -> None:
        self.read_map()

    def read_map(self) -> None:
        """Read the whole map again (in a thread worker); :meth:`on_theme_map_loaded`
        shows it."""
        self._generation += 1
        self._read(self._generation)

    @work(thread=True, exclusive=True, group="theme-map")
    def _read(self, generation: int) -> None:
        wb = self.wb
        self.post_message(ThemeMapLoaded(wb.metrics.map(), wb.phases.current(),
                                         generation=generation))

    def on_theme_map_loaded(self, message: ThemeMapLoaded) -> None:
        if message.generation != self._generation:
            return  # a newer read is on its way
        first_read = self.data is None
        self.data = message.data
        self.workbench_app.sub_title = phase_label(message.phase)
        if first_read and self._want is None and self.data.themes:
            self._want = NodeRef("theme", self.data.themes[0].id)
        self.render_map()

    def render_map(self) -> None:
        """Rebuild the tree, the free codes and the panels from the map last read."""
        if self.data is None:
            return
        codes = self.data.codes
        self.marked &= {c.id for c in self.data.unassigned}
        want = self._want or self._ref()
        self._want = None
        self._build_tree(want)
        self._build_free_codes(want)
        banner = self.query_one("#banner", Static)
        mirror = self.data.mirror
        if mirror.warn:
            pairs = "; ".join(f"«{m.theme_name}» ≈ «{m.code_name}»" for m in mirror.mirrors)
            banner.update(t("themes_ui.mirror_warning", pairs=pairs))
        banner.display = mirror.warn
        if self.clipboard and self.clipboard.code_id and self.clipboard.code_id not in codes:
            self.clipboard = None
        self._show_details()
        self._draw_diagram()

    def _theme(self, theme_id: int | None) -> ThemeView | None:
        if theme_id is None or self.data is None:
            return None
        return next((th for th, _ in walk(self.data.themes) if th.id == theme_id), None)

    def _theme_label(self, th: ThemeView, depth: int) -> Text:
        stats = self.data.stats[th.id]
        text = Text()
        style = STATUS_STYLE.get(th.status, "")
        text.append(th.name, style=("bold " if depth == 0 else "") + style)
        text.append(f"  [{status_name(th.status)}]", style="dim")
        text.append(
            "  " + t("themes_ui.counts", extracts=stats.extracts, informants=stats.informants,
                     groups=stats.groups),
            style="dim",
        )
        if th.is_misc:
            text.append("  " + t("themes_ui.misc_flag"), style="cyan")
        if stats.thin:
            text.append("  " + t("themes_ui.thin_flag"), style="yellow")
        n = self.data.open_comments.get(th.guid, 0)
        if n:
            text.append(f"  ⚑{n}", style="bold magenta")
        if self.clipboard == NodeRef("theme", th.id):
            text.append("  ✂", style="bold")
        return text

    def _code_label(self, code_id: int, theme_id: int | None) -> Text:
        code = self.data.codes[code_id]
        text = Text()
        text.append("■ ", style=code.colour)
        text.append(code.name)
        text.append(f" ({code.codings})", style="dim")
        if code.origin == "deductive":
            text.append(" " + t("themes_ui.deductive_flag"), style="dim italic")
        if code.themes > 1:
            text.append(" " + t("themes_ui.shared_flag", n=code.themes), style="dim")
        n = self.data.open_comments.get(code.guid, 0)
        if n:
            text.append(f"  ⚑{n}", style="bold magenta")
        if self.clipboard == NodeRef("code", theme_id, code_id):
            text.append("  ✂", style="bold")
        return text

    def _build_tree(self, want: NodeRef | None) -> None:
        tree: Tree[NodeRef] = self.query_one("#theme-tree", Tree)
        tree.clear()
        tree.root.data = ROOT
        tree.root.expand()
        found: list[TreeNode[NodeRef]] = []

        def add(parent: TreeNode[NodeRef], th: ThemeView, depth: int) -> None:
            ref = NodeRef("theme", th.id)
            node = parent.add(self._theme_label(th, depth), data=ref)
            if ref == want:
                found.append(node)
            for code_id in th.code_ids:
                cref = NodeRef("code", th.id, code_id)
                leaf = node.add_leaf(self._code_label(code_id, th.id), data=cref)
                if cref == want:
                    found.append(leaf)
            for child in th.children:
                add(node, child, depth + 1)
            if th.id not in self.collapsed:
                node.expand()

        for th in self.data.themes:
            add(tree.root, th, 0)
        if not self.data.themes:
            tree.root.add_leaf(Text(t("themes_ui.empty"), style="dim italic"), data=ROOT)
        target = found[0] if found else None
        if target is None and want is not None and want.theme_id is not None:
            target = self._find_node(tree, NodeRef("theme", want.theme_id))
        if target is not None:
            node = target.parent
            while node is not None:
                node.expand()
                node = node.parent
            if tree.last_line >= 0 and target.line >= 0:  # lays out the lines: nodes get one
                tree.move_cursor(target)
            else:
                self.call_after_refresh(tree.move_cursor, target)

    @staticmethod
    def _find_node(tree: Tree[NodeRef], ref: NodeRef) -> TreeNode[NodeRef] | None:
        stack = [tree.root]
        while stack:
            node = stack.pop()
            if node.data == ref:
                return node
            stack.extend(node.children)
        return None

    def _build_free_codes(self, want: NodeRef | None) -> None:
        options = self.query_one("#free-codes", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        for code in self.data.unassigned:
            text = Text()
            text.append("[x] " if code.id in self.marked else "[ ] ", style="bold")
            text.append("■ ", style=code.colour)
            text.append(code.name)
            text.append(f" ({code.codings})", style="dim")
            if code.origin == "deductive":
                text.append(" " + t("themes_ui.deductive_flag"), style="dim italic")
            if self.clipboard == NodeRef("code", None, code.id):
                text.append("  ✂", style="bold")
            options.add_option(Option(text, id=str(code.id)))
        if not self.data.unassigned:
            options.add_option(Option(Text(t("themes_ui.no_free_codes"), style="dim"), disabled=True))
            return
        if want is not None and want.kind == "code" and want.theme_id is None:
            index = next(
                (i for i, c in enumerate(self.data.unassigned) if c.id == want.code_id), None
            )
            options.highlighted = index if index is not None else highlighted
        else:
            options.highlighted = min(highlighted or 0, len(self.data.unassigned) - 1)

    # -- what is selected ---------------------------------------------------------------

    def _ref(self) -> NodeRef | None:
        """The item the user is on: the free-code list when it has focus, else the tree."""
        options = self.query_one("#free-codes", OptionList)
        if options.has_focus:
            if options.highlighted is None or not self.data or not self.data.unassigned:
                return None
            option = options.get_option_at_index(options.highlighted)
            return NodeRef("code", None, int(option.id)) if option.id else None
        node = self.query_one("#theme-tree", Tree).cursor_node
        return node.data if node is not None else None

    def _selected_theme(self, *, codes_too: bool = True) -> ThemeView | None:
        ref = self._ref()
        if ref is None or ref.theme_id is None or (ref.kind == "code" and not codes_too):
            return None
        return self._theme(ref.theme_id)

    def _need_theme(self) -> ThemeView | None:
        theme = self._selected_theme(codes_too=False)
        if theme is None:
            self.notify(t("themes_ui.msg.choose_theme"), severity="warning")
        return theme

    def _need_code(self) -> NodeRef | None:
        ref = self._ref()
        if ref is None or ref.kind != "code":
            self.notify(t("themes_ui.msg.choose_code"), severity="warning")
            return None
        return ref

    def _run(self, fn: Callable[[], Any], done: str | None = None) -> tuple[bool, Any]:
        """Run one command; the DataChanged that follows reads the map again."""
        return self.workbench_app.run_command(fn, done=done, origin=self)

    def _changed(self, want: NodeRef | None = None) -> None:
        """After a command: put the cursor on ``want`` when the map has been read again."""
        self._want = want

    def _redraw(self, want: NodeRef | None = None) -> None:
        """Show a change of this screen's own state (marks, the cut item) at once."""
        self._want = want
        self.render_map()

    # -- details panels -----------------------------------------------------------------

    def on_tree_node_highlighted(self, _event: Tree.NodeHighlighted[NodeRef]) -> None:
        self._show_details()

    def on_option_list_option_highlighted(self, _event: OptionList.OptionHighlighted) -> None:
        self._show_details()

    def on_descendant_focus(self, _event: object) -> None:
        self._show_details()

    def _show_details(self) -> None:
        if self.data is None:
            return
        details = self.query_one("#details-text", Static)
        comments = self.query_one("#comments-text", Static)
        ref = self._ref()
        guid = None
        text = Text()
        if ref is not None and ref.kind == "theme":
            th = self._theme(ref.theme_id)
            if th is not None:
                guid = th.guid
                stats = self.data.stats[th.id]
                text.append(th.name + "\n", style="bold")
                text.append(th.definition or t("themes_ui.no_definition"),
                            style="" if th.definition else "dim italic")
                text.append("\n" + t("themes_ui.details_stats", extracts=stats.extracts,
                                     informants=stats.informants, quotes=stats.quotes,
                                     groups=", ".join(stats.group_names) or "–"), style="dim")
        elif ref is not None and ref.kind == "code" and ref.code_id in self.data.codes:
            code = self.data.codes[ref.code_id]
            guid = code.guid
            text.append(code.name + "\n", style="bold")
            text.append(t("themes_ui.code_details", n=code.codings, themes=code.themes,
                          origin=t(f"themes_ui.origin.{code.origin}")), style="dim")
        else:
            text.append(t("themes_ui.help_review" if self.workbench_app.review
                          else "themes_ui.help"), style="dim")
        details.update(text)
        panel = self.query_one("#comments-panel", VerticalScroll)
        threads = self.wb.review.comments(status="open", anchor_guid=guid) if guid else []
        body = Text()
        for c in threads:
            body.append(f"{c.author}: ", style="bold")
            body.append(c.text + "\n")
            for r in c.replies:
                body.append(f"  ↳ {r.author}: {r.text}\n", style="italic")
        comments.update(body)
        panel.display = bool(threads)

    # -- review mode ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("diagram_codes", "list") and not self.diagram_mode:
            return False
        if self.diagram_mode and action not in DIAGRAM_ACTIONS:
            return False
        if self.wb.readonly and action not in READONLY_ACTIONS:
            return False
        if self.workbench_app.review and action not in REVIEW_ACTIONS:
            return False
        return True

    # -- actions: building ------------------------------------------------------------------

    def action_mark(self) -> None:
        ref = self._ref()
        if ref is None or ref.kind != "code" or ref.theme_id is not None:
            return
        assert ref.code_id is not None
        self.marked ^= {ref.code_id}
        self._redraw(ref)
        options = self.query_one("#free-codes", OptionList)
        if options.highlighted is not None and options.highlighted < options.option_count - 1:
            options.highlighted += 1

    def _codes_for_new(self) -> list[int]:
        if self.marked:
            return [c.id for c in self.data.unassigned if c.id in self.marked]
        ref = self._ref()
        if ref is not None and ref.kind == "code" and ref.theme_id is None and ref.code_id:
            return [ref.code_id]
        return []

    def _create(self, parent_id: int | None, after_id: int | None) -> None:
        code_ids = self._codes_for_new()
        names = [self.data.codes[c].name for c in code_ids]
        hint = t("themes_ui.new_hint", codes=", ".join(names)) if names else t("themes_ui.new_hint_empty")
        title = t("themes_ui.new_sub_title") if parent_id else t("themes_ui.new_title")

        def done(name: str | None) -> None:
            if name is None:
                return
            ok, theme = self._run(
                lambda: self.wb.themes.create(
                    name, parent_id=parent_id, code_ids=code_ids, after_id=after_id
                )
            )
            if ok and theme is not None:
                self.marked -= set(code_ids)
                self.query_one("#theme-tree", Tree).focus()
                self._changed(NodeRef("theme", theme.id))

        self.app.push_screen(PromptModal(title, hint=hint), done)

    def action_new_theme(self) -> None:
        """A new main theme (from the marked codes), after the selected main theme."""
        theme = self._selected_theme()
        after = None
        if theme is not None:
            while theme.parent_id is not None:
                parent = self._theme(theme.parent_id)
                assert parent is not None
                theme = parent
            after = theme.id
        self._create(None, after)

    def action_new_subtheme(self) -> None:
        theme = self._selected_theme()
        if theme is None:
            self.notify(t("themes_ui.msg.choose_theme"), severity="warning")
            return
        self._create(theme.id, None)

    def action_rename(self) -> None:
        ref = self._ref()
        if ref is None or ref.kind == "root":
            return
        wb = self.wb
        if ref.kind == "theme":
            th = self._theme(ref.theme_id)
            assert th is not None

            def done(name: str | None) -> None:
                if name is not None and self._run(lambda: wb.themes.rename(th.id, name))[0]:
                    self._changed(ref)

            self.app.push_screen(PromptModal(t("themes_ui.rename_title"), th.name), done)
        else:
            assert ref.code_id is not None
            code = self.data.codes[ref.code_id]

            def done_code(name: str | None) -> None:
                if name is not None and self._run(lambda: wb.codes.rename(code.id, name))[0]:
                    self._changed(ref)

            self.app.push_screen(PromptModal(t("themes_ui.rename_code_title"), code.name), done_code)

    def action_definition(self) -> None:
        th = self._need_theme()
        if th is None:
            return

        def done(text: str | None) -> None:
            if text is not None and self._run(lambda: self.wb.themes.set_definition(th.id, text))[0]:
                self._changed(NodeRef("theme", th.id))

        self.app.push_screen(
            TextModal(t("themes_ui.definition_title", name=th.name), th.definition,
                      hint=t("themes_ui.definition_hint")),
            done,
        )

    def action_status(self) -> None:
        th = self._need_theme()
        if th is not None:
            ok, new = self._run(lambda: self.wb.themes.cycle_status(th.id))
            if ok and new is not None:
                self.notify(t("themes_ui.msg.status", name=th.name, status=status_name(new.status)))
                self._changed(NodeRef("theme", th.id))

    def action_discard(self) -> None:
        th = self._need_theme()
        if th is not None:
            discard = th.status != "discarded"
            if self._run(lambda: self.wb.themes.discard(th.id, discard))[0]:
                self._changed(NodeRef("theme", th.id))

    # -- actions: moving --------------------------------------------------------------------

    def action_indent(self) -> None:
        th = self._need_theme()
        if th is not None and self._run(lambda: self.wb.themes.indent(th.id))[0]:
            self._changed(NodeRef("theme", th.id))

    def action_outdent(self) -> None:
        th = self._need_theme()
        if th is not None and self._run(lambda: self.wb.themes.outdent(th.id))[0]:
            self._changed(NodeRef("theme", th.id))

    def action_reorder(self, delta: int) -> None:
        ref = self._ref()
        wb = self.wb
        if ref is None or ref.kind == "root" or ref.theme_id is None:
            return
        if ref.kind == "theme":
            ok, _ = self._run(lambda: wb.themes.reorder(ref.theme_id, delta))
        else:
            ok, _ = self._run(lambda: wb.themes.reorder_code(ref.theme_id, ref.code_id, delta))
        if ok:
            self._changed(ref)

    def action_promote(self) -> None:
        th = self._need_theme()
        if th is not None and self._run(lambda: self.wb.themes.promote(th.id))[0]:
            self._changed(NodeRef("theme", th.id))

    def _choose_theme(self, title: str, then: Any, *, exclude: set[int] = frozenset(),
                      default: int | None = None) -> None:
        options = [
            (str(th.id), "    " * depth + th.name)
            for th, depth in walk(self.data.themes) if th.id not in exclude
        ]
        if not options:
            self.notify(t("themes_ui.msg.no_other_theme"), severity="warning")
            return

        def done(choice: str | None) -> None:
            if choice is not None:
                then(int(choice))

        modal = ChoiceModal(title, options)
        self.app.push_screen(modal, done)
        if default is not None:
            ids = [key for key, _ in options]
            if str(default) in ids:
                def highlight() -> None:
                    modal.query_one(OptionList).highlighted = ids.index(str(default))

                self.call_after_refresh(highlight)

    def _subtree_ids(self, th: ThemeView) -> set[int]:
        return {x.id for x, _ in th.walk()}

    def action_demote(self) -> None:
        th = self._need_theme()
        if th is None:
            return
        siblings = (
            self.data.themes if th.parent_id is None
            else self._theme(th.parent_id).children  # type: ignore[union-attr]
        )
        index = next(i for i, x in enumerate(siblings) if x.id == th.id)
        default = siblings[index - 1].id if index > 0 else None

        def done(parent_id: int) -> None:
            if self._run(lambda: self.wb.themes.demote(th.id, parent_id))[0]:
                self._changed(NodeRef("theme", th.id))

        self._choose_theme(t("themes_ui.demote_title", name=th.name), done,
                           exclude=self._subtree_ids(th), default=default)

    def action_cut(self) -> None:
        ref = self._ref()
        if ref is None or ref.kind == "root":
            return
        self.clipboard = ref
        name = (self._theme(ref.theme_id).name if ref.kind == "theme"  # type: ignore[union-attr]
                else self.data.codes[ref.code_id].name)
        self.notify(t("themes_ui.msg.cut", name=name))
        self._redraw(ref)

    def action_paste(self) -> None:
        clip = self.clipboard
        if clip is None:
            self.notify(t("themes_ui.msg.nothing_cut"), severity="warning")
            return
        ref = self._ref()
        if ref is not None and ref.kind == "code" and ref.theme_id is None:
            ref = None  # pasting "into" the free-code list takes a code out of its theme
        target = ref.theme_id if ref is not None else None
        wb = self.wb
        if clip.kind == "theme":
            assert clip.theme_id is not None
            ok, _ = self._run(lambda: wb.themes.move(clip.theme_id, target))
            want = clip
        else:
            assert clip.code_id is not None
            if clip.theme_id is None and target is None:
                return
            ok, _ = self._run(lambda: wb.themes.move_code(clip.code_id, clip.theme_id, target))
            want = NodeRef("code", target, clip.code_id)
        if ok:
            self.clipboard = None
            if want.kind == "theme" or want.theme_id is not None:
                self.query_one("#theme-tree", Tree).focus()
            self._changed(want)

    def action_link(self) -> None:
        ref = self._need_code()
        if ref is None:
            return
        code = self.data.codes[ref.code_id]
        exclude = {th.id for th, _ in walk(self.data.themes) if ref.code_id in th.code_ids}

        def done(theme_id: int) -> None:
            if self._run(lambda: self.wb.themes.link_code(theme_id, code.id),
                         t("themes_ui.msg.linked", code=code.name))[0]:
                self._changed(ref)

        self._choose_theme(t("themes_ui.link_title", name=code.name), done, exclude=exclude)

    def action_merge(self) -> None:
        th = self._need_theme()
        if th is None:
            return

        def done(target_id: int) -> None:
            target = self._theme(target_id)
            if self._run(lambda: self.wb.themes.merge(th.id, target_id),
                         t("themes_ui.msg.merged", name=th.name,
                           target=target.name if target else ""))[0]:
                self._changed(NodeRef("theme", target_id))

        self._choose_theme(t("themes_ui.merge_title", name=th.name), done,
                           exclude=self._subtree_ids(th))

    def action_split(self) -> None:
        th = self._need_theme()
        if th is None:
            return
        if not th.code_ids:
            self.notify(t("themes.error.split_empty", name=th.name), severity="warning")
            return
        codes = [(self.data.codes[c].name, c) for c in th.code_ids]

        def chosen(code_ids: list[int] | None) -> None:
            if not code_ids:
                return

            def named(name: str | None) -> None:
                if name is None:
                    return
                ok, new = self._run(lambda: self.wb.themes.split(th.id, code_ids, name))
                if ok and new is not None:
                    self._changed(NodeRef("theme", new.id))

            self.app.push_screen(PromptModal(t("themes_ui.split_name", name=th.name)), named)

        self.app.push_screen(
            MultiChoiceModal(t("themes_ui.split_title", name=th.name), codes,
                             hint=t("themes_ui.choose_hint")),
            chosen,
        )

    def action_misc(self) -> None:
        ref = self._ref()
        wb = self.wb
        if ref is None or ref.kind == "root":
            return
        if ref.kind == "code":
            assert ref.code_id is not None
            ok, bin_ = self._run(lambda: wb.themes.to_misc(ref.code_id, ref.theme_id))
            if ok and bin_ is not None:
                self.notify(t("themes_ui.msg.to_misc", code=self.data.codes[ref.code_id].name,
                              name=bin_.name))
                self._changed(ref if ref.theme_id is None else NodeRef("theme", ref.theme_id))
        else:
            th = self._theme(ref.theme_id)
            assert th is not None
            if self._run(lambda: wb.themes.set_misc(th.id, not th.is_misc))[0]:
                self._changed(ref)

    def action_delete(self) -> None:
        ref = self._ref()
        wb = self.wb
        if ref is None or ref.kind == "root" or ref.theme_id is None:
            return
        th = self._theme(ref.theme_id)
        assert th is not None
        if ref.kind == "theme":
            parent = NodeRef("theme", th.parent_id) if th.parent_id else None
            if self._run(lambda: wb.themes.delete(th.id),
                         t("themes_ui.msg.deleted", name=th.name))[0]:
                self._changed(parent)
        else:
            assert ref.code_id is not None
            if self._run(lambda: wb.themes.unlink_code(th.id, ref.code_id),
                         t("themes_ui.msg.unlinked", code=self.data.codes[ref.code_id].name,
                           name=th.name))[0]:
                self._changed(NodeRef("theme", th.id))

    # -- actions: review ---------------------------------------------------------------

    def action_review(self) -> None:
        from .review import ThemeReviewScreen

        th = self._selected_theme()
        if th is None:
            self.notify(t("themes_ui.msg.choose_theme"), severity="warning")
            return
        self.app.push_screen(ThemeReviewScreen(th.id))

    def _anchor(self) -> tuple[str, int | None, str | None, str] | None:
        ref = self._ref()
        if ref is None or ref.kind == "root":
            return None
        if ref.kind == "theme":
            th = self._theme(ref.theme_id)
            assert th is not None
            return ("theme", th.id, th.guid, th.name)
        code = self.data.codes[ref.code_id]
        return ("code", code.id, code.guid, code.name)

    def action_comment(self) -> None:
        anchor = self._anchor()
        if anchor is None:
            self.notify(t("themes_ui.msg.choose_anything"), severity="warning")
            return
        kind, ref_id, _guid, name = anchor
        ref = self._ref()

        def done(text: str | None) -> None:
            if text and self._run(lambda: self.wb.review.comment(kind, ref_id, text),
                                  t("review_ui.msg.commented"))[0]:
                self._changed(ref)

        self.app.push_screen(PromptModal(t("review_ui.comment_on", name=name)), done)

    def action_comments(self) -> None:
        """Read, add, reply to and resolve comments (the map re-reads when it is shown
        again after a change there)."""
        anchor = self._anchor()
        if anchor is None:
            modal = CommentsModal(t("review_ui.all_open"), None)
        else:
            kind, ref_id, guid, name = anchor
            modal = CommentsModal(t("review_ui.comments_on", name=name), (kind, ref_id, guid))
        self.app.push_screen(modal)

    def action_snapshot(self) -> None:
        def done(name: str | None) -> None:
            if name is not None:
                self._run(lambda: self.wb.snapshots.create(name),
                          t("themes_ui.msg.snapshot", name=name.strip()))

        self.app.push_screen(
            PromptModal(t("themes_ui.snapshot_title"), hint=t("themes_ui.snapshot_hint")), done
        )

    def action_diff(self) -> None:
        snaps = self.wb.snapshots.list()
        if not snaps:
            self.notify(t("themes_cli.no_snapshots"), severity="warning")
            return
        options = [
            (str(s.id), f"{s.name}  ({s.author}, {local_time(s.created)})")
            for s in reversed(snaps)
        ]

        def done(choice: str | None) -> None:
            if choice is None:
                return
            snap = next(s for s in snaps if str(s.id) == choice)
            try:
                diff = self.wb.snapshots.diff(snap.id)
            except UserError as exc:
                self.notify(exc.message(), severity="error")
                return
            ok = True
            if ok and diff is not None:
                self.app.push_screen(
                    LinesModal(t("diff.title", a=snap.name, b=t("diff.current")),
                               describe_diff(diff), empty=t("diff.none"))
                )

        self.app.push_screen(ChoiceModal(t("themes_ui.diff_choose"), options), done)

    def action_back(self) -> None:
        if self.diagram_mode:
            self.action_diagram()
            return
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    # -- keep collapsed state across rebuilds -------------------------------------------

    def on_tree_node_collapsed(self, event: Tree.NodeCollapsed[NodeRef]) -> None:
        if event.node.data and event.node.data.kind == "theme":
            self.collapsed.add(event.node.data.theme_id)  # type: ignore[arg-type]

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[NodeRef]) -> None:
        if event.node.data and event.node.data.kind == "theme":
            self.collapsed.discard(event.node.data.theme_id)  # type: ignore[arg-type]

    # -- the diagram ----------------------------------------------------------------------

    def action_list(self) -> None:
        self.action_diagram()

    def action_diagram(self) -> None:
        """Switch between the list (tree) and the diagram of the map."""
        self.diagram_mode = not self.diagram_mode
        self.set_class(self.diagram_mode, "diagram")
        self._draw_diagram()
        if self.diagram_mode:
            self.query_one("#diagram", MapDiagram).focus()
        else:
            self.query_one("#theme-tree", Tree).focus()
        self.refresh_bindings()

    def action_diagram_codes(self) -> None:
        self.diagram_codes = not self.diagram_codes
        self._draw_diagram()
        self.notify(t("themes_ui.diagram.codes_on" if self.diagram_codes
                      else "themes_ui.diagram.codes_off"), timeout=3)

    def diagram_nodes(self) -> tuple[list[MapNode], list[str]]:
        """The map as the diagram draws it, and what it leaves out: like the report's
        figure, no discarded theme and no misc bin; a main theme takes the colour of its
        first code."""
        codes = self.data.codes
        left_out: list[str] = []

        def kept(th: ThemeView) -> bool:
            if th.status == "discarded" or th.is_misc:
                reason = "discarded" if th.status == "discarded" else "misc"
                left_out.append(f"«{th.name}» ({t(f'themes_ui.diagram.{reason}')})")
                return False
            return True

        def node(th: ThemeView) -> tuple[MapNode, list[int]]:
            children: list[MapNode] = []
            code_ids = list(th.code_ids)
            for child in th.children:
                if kept(child):
                    sub, sub_codes = node(child)
                    children.append(sub)
                    code_ids.extend(c for c in sub_codes if c not in code_ids)
            names = tuple(codes[c].name for c in th.code_ids if c in codes)
            first = next((codes[c].colour for c in code_ids if c in codes and codes[c].colour), "")
            return MapNode(th.name, names, tuple(children), first), code_ids

        nodes = [node(th)[0] for th in self.data.themes if kept(th)]
        return nodes, left_out

    def _draw_diagram(self) -> None:
        if not self.diagram_mode or self.data is None:
            return
        nodes, left_out = self.diagram_nodes()
        note = t("themes_ui.diagram.left_out", names=", ".join(left_out)) if left_out else ""
        self.query_one("#diagram", MapDiagram).show(
            nodes, codes=self.diagram_codes, note=note, empty=t("themes_ui.empty"))

    def _allowed_in_list(self, action: str) -> bool:
        self.diagram_mode = False
        try:
            return bool(self.check_action(action, ()))
        finally:
            self.diagram_mode = True

    def _bindings_for(self, key: str) -> list[Binding]:
        keymap = getattr(self.app, "keymap", {}) or {}
        return [
            binding for binding in self.BINDINGS
            if isinstance(binding, Binding) and key in [
                k.strip() for k in (keymap.get(binding.id, binding.key) if binding.id
                                    else binding.key).split(",")]
        ]

    async def on_key(self, event: events.Key) -> None:
        """The diagram's keys, and a hint for the keys that only work in the list.

        Textual calls every ``on_key`` of the class's MRO before the bindings run, so
        :class:`ProjectScreen`'s handler (which explains keys refused in review mode) runs
        after this one unless the event is dealt with here: a diagram key runs its action
        here, a key that works in the list gets the hint; other refusals fall through to it.
        """
        bindings = self._bindings_for(event.key)
        if not bindings:
            return
        if not self.diagram_mode:
            if all(b.action == "diagram_codes" for b in bindings):
                event.stop()  # the diagram's codes: nothing to refuse in the list
                event.prevent_default()
            return
        name = [b.action.split("(")[0] for b in bindings]
        allowed = [b for b, n in zip(bindings, name, strict=True) if self.check_action(n, ())]
        if allowed:
            event.stop()
            event.prevent_default()
            await self.run_action(allowed[0].action)
        elif any(self._allowed_in_list(n) for n in name):
            event.stop()
            event.prevent_default()
            self.notify(t("themes_ui.diagram.refused"), severity="warning", timeout=4)
