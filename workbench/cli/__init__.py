"""More ``workbench`` subcommands, one module per area.

Each module here defines ``add_parsers(sub)`` (adds its subparsers to the CLI's
``argparse`` sub-parser action) and registers a handler per subcommand with
``workbench.cli.handler(name)``. ``workbench.cli.main`` imports every module in this package when
it builds its parser, so a new area adds a file here and touches nothing else.
"""
