"""Custodiet: an open, evidence-backed atlas of surveillance-technology exports.

Importing the package stays cheap: heavy modules (the store, the CLI) load on use.
"""

__version__ = "0.1.0"
