"""Widgets shared by the screens: the modal family, the fuzzy picker, the help screen and
the command-palette provider."""
