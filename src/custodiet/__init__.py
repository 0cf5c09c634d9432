"""Custodiet: an open, evidence-backed atlas of surveillance-technology exports.

Importing the package stays cheap: heavy modules (the store, the CLI) load on use.
"""

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    # `custodiet.extract(text)` without importing the extractor at `import custodiet`.
    if name == "extract":
        import custodiet.extract as extract_package

        return extract_package
    raise AttributeError(name)
