"""Extraction: find the passages that state a supply deal and propose candidates.

This package is also the one-call API: `custodiet.extract(text, url=None)` returns the
candidates (the package module is callable, so the name serves as both). Modules load
on first use so that `import custodiet` stays cheap.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from custodiet.extract.candidate import Candidate


def extract(text: str, *, url: str | None = None) -> list[Candidate]:
    """Candidate supply relations stated in `text`, each with its quote and offsets.

    Offsets refer to the normalised text (`custodiet.model.source.normalise_text`).
    """
    from custodiet.extract.pipeline import extract as run

    return run(text, url=url)


class _CallableModule(types.ModuleType):
    def __call__(self, text: str, *, url: str | None = None) -> list[Candidate]:
        return extract(text, url=url)


sys.modules[__name__].__class__ = _CallableModule
