"""The atlas's filters over deployments, as the home page, lists and downloads take them."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


@dataclass
class Filters:
    technology: str | None = None
    vendor: str | None = None  # an entity id
    vendor_country: str | None = None  # the vendor's headquarters, ISO alpha-2
    year_from: int | None = None  # some year of the deployment is this or later
    year_to: int | None = None  # some year of the deployment is this or earlier
    state_loans: bool = False  # financed by a loan or a named financier
    buyer_country: str | None = None
    project: str | None = None  # an entity id
    dataset: str | None = None

    def exact(self) -> dict[str, str]:
        """The filters that are one property's value."""
        pairs = {
            "technology": self.technology,
            "vendor": self.vendor,
            "buyer_country": self.buyer_country,
            "project": self.project,
            "_dataset": self.dataset,
        }
        return {k: v for k, v in pairs.items() if v}

    def given(self) -> dict[str, Any]:
        """The filters in force, by name."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return {k: v for k, v in values.items() if v not in (None, False)}

    @property
    def none(self) -> bool:
        return not self.given()
