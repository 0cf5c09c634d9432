"""Exports, chosen by `custodiet export --format`: statements as JSON lines or CSV; the
atlas as FollowTheMoney entities (`ftm`) and as GeoJSON (`geojson`); and, as a folder
of files, CSV and Parquet tables per record kind (`csv`, `parquet`) and a SQLite file
for Datasette (`datasette`)."""

FORMATS = ("statements-jsonl", "statements-csv", "ftm", "geojson", "csv", "parquet", "datasette")
FOLDER_FORMATS = ("csv", "parquet", "datasette")  # written as a folder of files
