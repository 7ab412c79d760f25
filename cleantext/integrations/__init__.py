"""Adapters that run ``cleantext.arrow.clean_table`` inside data engines.

Each adapter is a few lines over the engine-agnostic ``clean_table``, so behaviour (schema, per-row
errors, reports) is identical everywhere. Nothing is imported here: ``cleantext.integrations.ray``
imports Ray only when called, so installing cleantext never pulls an engine in.
"""
