"""An entity's history: the audit records about it and every id merged into it."""

from __future__ import annotations

from typing import Any

from custodiet.store.view import View


def history(view: View, entity_id: str) -> list[dict[str, Any]]:
    return view.history(view.members(entity_id))
