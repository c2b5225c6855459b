"""The REFI-QDA 1.0 XML schemas (Project.xsd, Codebook.xsd), kept as package data.

Published by the REFI-QDA consortium; copied unchanged from ``shared/refi/`` so that exports
are validated even where ``shared/`` is absent.
"""
