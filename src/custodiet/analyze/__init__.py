"""Analysis: read-only views computed from accepted statements."""
