"""Exports: statements as JSON lines or CSV, the atlas as FollowTheMoney entities
(`ftm`) and as Parquet tables (`parquet`, a folder)."""

FORMATS = ("statements-jsonl", "csv", "ftm", "parquet")
FOLDER_FORMATS = ("parquet",)  # written as a folder of files
