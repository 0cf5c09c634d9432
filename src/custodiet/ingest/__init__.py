"""Ingest: bring sources and data files in, validated, with their provenance."""
