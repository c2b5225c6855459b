"""REFI-QDA 1.0, the exchange standard of NVivo, ATLAS.ti, MAXQDA and QualCoder.

:mod:`.model` holds the one set of values a document is made of; :mod:`.writer` writes them
(``.qdpx``, ``.qdc``) and :mod:`.reader` reads them back, from our files and other
programs'. Beside them: :mod:`.xml` (safe parsing, lenient matching, strict building),
:mod:`.layout` (where things are in a ``.qdpx``), :mod:`.positions` (how other programs
count positions), :mod:`.extension` (our own data in one note) and :mod:`.schemas` (the
consortium's XSDs and validation). ZIP safety is :mod:`workbench.formats.archive`.
"""
