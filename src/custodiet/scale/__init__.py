"""Corpus scans: the extractor mapped over shards of a corpus on Dask distributed."""
