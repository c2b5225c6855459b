"""The codebook beside the transcript: a Tree of codes with colour, name and count."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.fuzzy import Matcher
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from workbench.domain.collation import sort_key
from workbench.services.codes import CodeView


class CodebookTree(Tree[int]):
    """Codes nested by parent; node data is the code id. Filter with :meth:`set_filter`."""

    DEFAULT_CSS = """
    CodebookTree {
        height: 1fr;
        background: $surface;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__("codes", id=id)
        self.show_root = False
        self.guide_depth = 2
        self.codes: dict[int, CodeView] = {}
        self.nodes: dict[int, TreeNode[int]] = {}
        self.filter_text = ""
        self._collapsed: set[int] = set()
        self.split: dict[int, dict[str, int]] | None = None  # counts by coder (team views)
        self.split_coders: tuple[tuple[str, str], ...] = ()  # (coder, colour) in order

    # -- building ----------------------------------------------------------------------

    def set_codes(self, codes: Iterable[CodeView]) -> None:
        self.codes = {c.id: c for c in codes}
        self.rebuild()

    def set_filter(self, text: str) -> None:
        self.filter_text = text.strip()
        self.rebuild()

    def _children(self) -> dict[int | None, list[CodeView]]:
        children: dict[int | None, list[CodeView]] = {}
        for code in self.codes.values():
            parent = code.parent_id if code.parent_id in self.codes else None
            children.setdefault(parent, []).append(code)
        for group in children.values():
            group.sort(key=lambda c: sort_key(c.name))
        return children

    def rebuild(self) -> None:
        """Rebuild every node, keeping the cursor on the same code."""
        keep = self.cursor_code_id
        for code_id, node in self.nodes.items():
            if not node.is_expanded and node.children:
                self._collapsed.add(code_id)
            else:
                self._collapsed.discard(code_id)
        self.clear()
        self.nodes = {}
        children = self._children()
        visible: set[int] | None = None
        matcher: Matcher | None = None
        if self.filter_text:
            matcher = Matcher(self.filter_text)
            visible = set()
            for code in self.codes.values():
                if matcher.match(code.name) > 0:
                    node_id: int | None = code.id
                    while node_id is not None and node_id in self.codes and node_id not in visible:
                        visible.add(node_id)
                        node_id = self.codes[node_id].parent_id
        self._add_code_children(self.root, None, children, visible, matcher)
        if keep is not None and keep in self.nodes:
            self.select_code(keep)
        elif self.nodes:
            self.move_cursor_to_line(0)

    def _add_code_children(
        self, parent: TreeNode[int], parent_id: int | None,
        children: dict[int | None, list[CodeView]], visible: set[int] | None,
        matcher: Matcher | None,
    ) -> None:
        for code in children.get(parent_id, []):
            if visible is not None and code.id not in visible:
                continue
            self._add_subtree(parent, code, children, visible, matcher)

    def _add_subtree(
        self, parent: TreeNode[int], code: CodeView, children: dict[int | None, list[CodeView]],
        visible: set[int] | None, matcher: Matcher | None, before: int | None = None,
    ) -> TreeNode[int]:
        kids = children.get(code.id, [])
        expand = visible is not None or code.id not in self._collapsed
        if kids:
            node = parent.add(self.label_for(code, matcher), data=code.id, expand=expand,
                              before=before)
        else:
            node = parent.add_leaf(self.label_for(code, matcher), data=code.id, before=before)
        self.nodes[code.id] = node
        self._add_code_children(node, code.id, children, visible, matcher)
        return node

    def label_for(self, code: CodeView, matcher: Matcher | None = None) -> Text:
        name = Text(code.label)
        if matcher is not None:
            for offset in matcher.highlight(code.name).spans:
                name.stylize("bold underline", offset.start, offset.end)
        label = Text.assemble(("■ ", code.colour), name, (f"  {code.codings}", "dim"))
        if self.split is not None and self.split_coders:
            counts = self.split.get(code.id, {})
            label.append(" (", "dim")
            for i, (coder, colour) in enumerate(self.split_coders):
                label.append("·" if i else "", "dim")
                label.append(str(counts.get(coder, 0)), colour)
            label.append(")", "dim")
        return label

    def set_split(self, split: dict[int, dict[str, int]] | None,
                  coders: tuple[tuple[str, str], ...]) -> None:
        """Show each code's count split by coder (``code → coder → n``; ``coders``: who,
        in which colour, in order), or only the total (None)."""
        if split == self.split and coders == self.split_coders:
            return
        self.split, self.split_coders = split, coders
        for code_id, node in self.nodes.items():
            if code_id in self.codes:
                node.set_label(self.label_for(self.codes[code_id]))

    # -- updates without a rebuild -------------------------------------------------------

    def update_code(self, code: CodeView) -> None:
        """New name, colour or count for one code (same parent)."""
        self.codes[code.id] = code
        node = self.nodes.get(code.id)
        if node is not None:
            node.set_label(self.label_for(code))

    def reparent(self, code: CodeView) -> None:
        """Move a code's subtree under its (new) parent: Tree has no move, so re-add it."""
        old = self.nodes.get(code.id)
        self.codes[code.id] = code
        if old is None or self.filter_text:
            self.rebuild()
            return
        children = self._children()
        parent_node = self.nodes.get(code.parent_id) if code.parent_id else self.root
        if parent_node is None:
            self.rebuild()
            return
        old_parent = old.parent
        old.remove()
        self.nodes.pop(code.id, None)
        self._drop_descendants(code.id, children)
        if old_parent is not None and old_parent is not self.root and not old_parent.children:
            old_parent.allow_expand = False
        siblings = children.get(code.parent_id if code.parent_id in self.codes else None, [])
        index = [c.id for c in siblings].index(code.id)
        before = None
        # the first sibling after it that is already in the tree
        for later in siblings[index + 1 :]:
            if later.id in self.nodes:
                before = parent_node.children.index(self.nodes[later.id])
                break
        parent_node.allow_expand = True
        parent_node.expand()
        self._add_subtree(parent_node, code, children, None, None, before=before)
        self.select_code(code.id)

    def _drop_descendants(self, code_id: int, children: dict[int | None, list[CodeView]]
                          ) -> None:
        for child in children.get(code_id, []):
            self.nodes.pop(child.id, None)
            self._drop_descendants(child.id, children)

    # -- cursor --------------------------------------------------------------------------

    @property
    def cursor_code_id(self) -> int | None:
        node = self.cursor_node
        if node is None or node is self.root:
            return None
        return node.data

    def select_code(self, code_id: int) -> None:
        node = self.nodes.get(code_id)
        if node is None:
            return
        parent = node.parent
        while parent is not None and parent is not self.root:
            parent.expand()
            parent = parent.parent
        if self.last_line < 0 or node.line < 0:  # lays out the lines: new nodes get a line
            return
        top, height = self.scroll_offset.y, self.scrollable_content_region.height
        if node is self.cursor_node and top <= node.line < top + height:
            return  # already there and in view (every coding under the cursor asks again)
        self.move_cursor(node)
