"""Imported by the import workers' fork server (:mod:`workbench.nlp.workers`): loads the
NLP pipeline and the index's text processing once, before any worker is forked from it.

A failure here must not stop the server: a worker then meets the same error when it first
processes a text, and reports it there like any other."""

from __future__ import annotations

import gc

try:
    from workbench.nlp import postings

    postings.warm_up()
except Exception:  # noqa: BLE001 - reported by the first worker that needs the pipeline
    pass
# What is loaded now lives as long as the workers: the collector need not walk it, and
# leaving its objects untouched keeps their pages shared with the forked workers.
gc.freeze()
