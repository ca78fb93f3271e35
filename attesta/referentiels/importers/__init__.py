"""Importers: a source document (bytes) in, a canonical référentiel out.

- ``canonical``: the shape every importer produces; ``reader.parse`` recognises the format;
- ``ministry``: titres professionnels (REAC + RE); ``certifier``: certifier tables (RNCP style);
- ``canonical_json``: Attesta's own JSON (lossless round trip).

Nothing in this package touches the database (import-linter enforces it).
"""
