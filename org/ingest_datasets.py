"""Datasets of the org app (registered with the ingest framework)."""
