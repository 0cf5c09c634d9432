"""The atlas's overview under its filters: deployments per buyer country and per vendor,
and the latest facts, counted in SQL over the stored records (a few index scans,
whatever the number of deployments)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from custodiet.model.filters import Filters
from custodiet.model.records import DeploymentRecord
from custodiet.store.view import View


@dataclass
class Overview:
    total: int = 0
    per_country: list[tuple[str, int]] = field(default_factory=list)  # most first
    per_vendor: list[dict[str, Any]] = field(default_factory=list)  # id, name, country, n
    latest: list[DeploymentRecord] = field(default_factory=list)  # newest first
    datasets: list[str] = field(default_factory=list)


def vendor_tally(view: View, filters: Filters, limit: int | None) -> list[dict[str, Any]]:
    """Vendors by their number of chosen deployments, with name and home country."""
    out = []
    for vendor, n, name, data in view.tally("vendor", filters, limit):
        values = json.loads(data)["values"] if data else {}
        out.append(
            {
                "id": vendor,
                "name": name or vendor,
                "deployments": int(n),
                "country": (values.get("country") or [None])[0],
            }
        )
    return out


def overview(view: View, filters: Filters, latest: int = 20, vendors: int | None = 10) -> Overview:
    return Overview(
        total=view.count_deployments(filters),
        per_country=[(c, int(n)) for c, n, _name, _data in view.tally("buyer_country", filters)],
        per_vendor=vendor_tally(view, filters, vendors),
        latest=[DeploymentRecord.of(r) for r in view.deployments(filters, limit=latest)]
        if latest
        else [],
        datasets=view.deployment_datasets(filters),
    )
