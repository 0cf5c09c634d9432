"""Data files shipped with the package (the starter atlas)."""
