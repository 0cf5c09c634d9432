"""Exports: statements as JSON lines or CSV (more formats with the publishing issue)."""

FORMATS = ("statements-jsonl", "csv")
