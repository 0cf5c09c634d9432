"""Exports: statements as JSON lines or CSV, the atlas as FollowTheMoney entities
(`ftm`), as Parquet tables (`parquet`, a folder), as GeoJSON (`geojson`) and as a SQLite file
for Datasette (`datasette`, a folder)."""

FORMATS = ("statements-jsonl", "csv", "ftm", "parquet", "geojson", "datasette")
FOLDER_FORMATS = ("parquet", "datasette")  # written as a folder of files
