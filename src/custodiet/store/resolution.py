"""Which ids are one entity, stored: merge, split and "not the same" events, and each
entity's canonical id kept current whenever a merge or split is made.

Pages look a canonical id up in the entities table instead of replaying the events, so
their cost does not grow with the number of merges.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from custodiet.model.statement import Status
from custodiet.store import tables
from custodiet.store.base import Reader, WriteBase, insert_returning_id
from custodiet.store.facts import chunks
from custodiet.store.records import ENTITY_PROPS

MERGE, SPLIT, DISTINCT, UNDISTINCT = "merge", "split", "distinct", "undistinct"


def pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


class ResolutionReads(Reader):
    def canonical(self, entity_id: str) -> str:
        """The id that answers for this one (itself when not merged, or unknown)."""
        e = tables.entities
        found = self.conn.execute(
            select(e.c.canonical_id).where(e.c.id == entity_id)
        ).scalar_one_or_none()
        return str(found) if found else entity_id

    def members(self, entity_id: str) -> list[str]:
        """The canonical id first, then every id merged into it, directly or not."""
        e = tables.entities
        root = self.canonical(entity_id)
        others = self.conn.execute(
            select(e.c.id).where(e.c.canonical_id == root, e.c.id != root).order_by(e.c.id)
        ).scalars()
        return [root, *others]

    def merge_in_force(self, merged: str) -> tuple[int, str] | None:
        """(event id, the id it was merged into) of the merge that holds `merged`, if any."""
        ev = tables.merge_events
        rows = self.conn.execute(
            select(ev.c.id, ev.c.kind, ev.c.canonical, ev.c.merge_id)
            .where(ev.c.merged == merged, ev.c.kind.in_([MERGE, SPLIT]))
            .order_by(ev.c.id)
        ).all()
        split = {r.merge_id for r in rows if r.kind == SPLIT}
        held = [(r.id, r.canonical) for r in rows if r.kind == MERGE and r.id not in split]
        return held[-1] if held else None

    def distinct_pairs(self) -> set[tuple[str, str]]:
        """Pairs judged not to be the same entity, and not undone since."""
        ev = tables.merge_events
        rows = self.conn.execute(
            select(ev.c.id, ev.c.kind, ev.c.canonical, ev.c.merged, ev.c.merge_id)
            .where(ev.c.kind.in_([DISTINCT, UNDISTINCT]))
            .order_by(ev.c.id)
        ).all()
        undone = {r.merge_id for r in rows if r.kind == UNDISTINCT}
        return {
            pair(r.canonical, r.merged) for r in rows if r.kind == DISTINCT and r.id not in undone
        }

    def distinct_event(self, a: str, b: str) -> int | None:
        """The judgement in force that a and b are not the same, if any."""
        ev = tables.merge_events
        x, y = pair(a, b)
        rows = self.conn.execute(
            select(ev.c.id, ev.c.kind, ev.c.merge_id)
            .where(ev.c.canonical == x, ev.c.merged == y, ev.c.kind.in_([DISTINCT, UNDISTINCT]))
            .order_by(ev.c.id)
        ).all()
        undone = {r.merge_id for r in rows if r.kind == UNDISTINCT}
        held = [r.id for r in rows if r.kind == DISTINCT and r.id not in undone]
        return held[-1] if held else None

    def judged_distinct(self, a: str, b: str) -> tuple[str, str] | None:
        """A pair in force between the two clusters, if their members were judged apart."""
        left, right = set(self.members(a)), set(self.members(b))
        for x, y in self.distinct_pairs():
            if (x in left and y in right) or (x in right and y in left):
                return x, y
        return None


class ResolutionWrites(ResolutionReads, WriteBase):
    def _event(
        self, kind: str, canonical: str, merged: str, reason: str | None, **extra: Any
    ) -> int:
        return insert_returning_id(
            self.conn,
            tables.merge_events,
            kind=kind,
            canonical=canonical,
            merged=merged,
            reason=reason,
            actor=self.actor,
            at=self.began,
            **extra,
        )

    def record_merge(self, keep: str, merged: str, reason: str | None) -> int:
        """`merged` (and all that answers to it) answers to `keep`'s canonical id now."""
        event = self._event(MERGE, keep, merged, reason)
        root = self.canonical(keep)
        e = tables.entities
        moved = list(self.conn.execute(select(e.c.id).where(e.c.canonical_id == merged)).scalars())
        self.conn.execute(update(e).where(e.c.canonical_id == merged).values(canonical_id=root))
        self._touch_cluster([root, *moved])
        return event

    def record_split(self, merged: str, merge_event: int, keep: str, reason: str | None) -> None:
        """The merge no longer holds: canonical ids of its cluster follow the merges left."""
        self._event(SPLIT, keep, merged, reason, merge_id=merge_event)
        e, ev = tables.entities, tables.merge_events
        root = self.canonical(merged)
        cluster = list(self.conn.execute(select(e.c.id).where(e.c.canonical_id == root)).scalars())
        into: dict[str, str] = {}
        for chunk in chunks(cluster):
            rows = self.conn.execute(
                select(ev.c.id, ev.c.kind, ev.c.canonical, ev.c.merged, ev.c.merge_id)
                .where(ev.c.merged.in_(chunk), ev.c.kind.in_([MERGE, SPLIT]))
                .order_by(ev.c.id)
            ).all()
            split = {r.merge_id for r in rows if r.kind == SPLIT}
            into.update(
                {r.merged: r.canonical for r in rows if r.kind == MERGE and r.id not in split}
            )
        for member in cluster:
            answer, seen = member, {member}
            while answer in into and into[answer] not in seen:
                answer = into[answer]
                seen.add(answer)
            self.conn.execute(update(e).where(e.c.id == member).values(canonical_id=answer))
        self._touch_cluster(cluster)

    def record_distinct(self, a: str, b: str, reason: str | None) -> int:
        x, y = pair(a, b)
        return self._event(DISTINCT, x, y, reason)

    def record_undistinct(self, a: str, b: str, event: int, reason: str | None) -> int:
        x, y = pair(a, b)
        return self._event(UNDISTINCT, x, y, reason, merge_id=event)

    def _touch_cluster(self, ids: list[str]) -> None:
        """The cluster's records, and those of every entity whose statements name one of
        its ids, must be folded again."""
        st = tables.statements
        self.touch(ids)
        for chunk in chunks(sorted(set(ids))):
            self.touch(
                self.conn.execute(
                    select(st.c.entity_id)
                    .where(
                        st.c.prop.in_(ENTITY_PROPS),
                        st.c.value.in_(chunk),
                        st.c.status == Status.ACCEPTED.value,
                    )
                    .distinct()
                ).scalars()
            )
