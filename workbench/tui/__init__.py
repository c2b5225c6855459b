"""The terminal UI (Textual): the only package that imports textual.

- ``app``: :class:`~workbench.tui.app.WorkbenchApp`, its keys, undo/redo and the one refresh
  path (every change is announced to the screens as a ``DataChanged`` message);
- ``messages``: every typed message (``DataChanged`` and the results of thread workers);
- ``widgets``: what the screens share: the modal family, the fuzzy picker, the help screen,
  the command-palette provider;
- ``screens``: home, coding (with its codebook panel), themes (map, review, their dialogs),
  search, tables, export, importing;
- ``compat``: the one module that touches Textual's private API.
"""
