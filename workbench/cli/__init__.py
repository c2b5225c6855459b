"""The ``workbench`` command: the scripting front end over :mod:`workbench.services`.

- ``main``: the entry point (``workbench = "workbench.cli.main:main"``): language, parsing,
  dispatch and the one-line error handling.
- ``parser``: builds the ``argparse`` parser from the command-group modules.
- ``output``: printing helpers (lines, JSON, progress on stderr) and exit statuses.
- ``launch``: starts the terminal UI; the one place the CLI reaches into ``workbench.tui``.
- ``session``: opens or creates the project of a command as the member it acts for
  (the global ``--as NAME``, else ``WORKBENCH_USER``); every command that opens a project
  goes through it.
- one module per command group (``project``, ``team``, ``importing``, ``codebook``,
  ``demo``, ``export``, ``search``, ``themes``): each defines ``add_parsers(sub)``, which
  adds its subcommands and binds each to its handler with ``set_defaults(run=...)``.

Group modules import only ``output``, ``session`` and ``launch`` from this package, never
``main`` or ``parser``; nothing outside ``workbench.cli`` imports it.
"""
