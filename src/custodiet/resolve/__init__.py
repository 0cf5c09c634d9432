"""Resolution: one id per vendor, country, place and project; merges and splits."""
