"""Deployments as typed records, chosen by the atlas's filters."""

from __future__ import annotations

from custodiet.model.filters import Filters
from custodiet.model.records import DeploymentRecord
from custodiet.store.view import View

__all__ = ["Filters", "deployments"]


def deployments(
    view: View, filters: Filters, *, limit: int | None = None, offset: int = 0
) -> list[DeploymentRecord]:
    """The chosen deployments, the latest reviewed first."""
    return [DeploymentRecord.of(r) for r in view.deployments(filters, limit=limit, offset=offset)]
