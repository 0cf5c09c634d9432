"""Datasets in the store: the metadata of every dataset a statement names."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import delete, func, insert, select

from custodiet.model.datasets import FIELDS, Dataset, catalogue
from custodiet.model.errors import DataError
from custodiet.store import tables
from custodiet.store.base import Reader, WriteBase

KEY_PROPS = ("_dataset", "vendor", "buyer_country", "technology")


def _dataset(row: object) -> Dataset:
    return Dataset(name=row.name, **{f: getattr(row, f) for f in FIELDS})  # type: ignore[attr-defined]


class DatasetReads(Reader):
    def datasets(self, names: Sequence[str] | None = None) -> list[Dataset]:
        """The named datasets (all of them when None), in order of name."""
        d = tables.datasets
        query = select(d).order_by(d.c.name)
        if names is not None:
            query = query.where(d.c.name.in_(list(set(names))))
        return [_dataset(r) for r in self.conn.execute(query)]


class DatasetWrites(DatasetReads, WriteBase):
    def declare_dataset(self, dataset: Dataset) -> bool:
        """Store a dataset's metadata, or its new metadata; True when anything changed."""
        known = self.datasets([dataset.name])
        if known and known[0] == dataset:
            return False
        d = tables.datasets
        self.conn.execute(delete(d).where(d.c.name == dataset.name))
        self.conn.execute(insert(d).values(**dataset.to_dict(), updated_at=self.began))
        self.public = True
        self.audit("dataset.declare", f"dataset:{dataset.name}", dataset.to_dict())
        return True

    def ensure_datasets(self, names: Iterable[str]) -> None:
        """Every named dataset is stored: from the catalogue when it ships with Custodiet,
        else an error naming it."""
        wanted = set(names)
        missing = wanted - {d.name for d in self.datasets(sorted(wanted))}
        shipped = catalogue()
        for name in sorted(missing):
            if name not in shipped:
                raise DataError(
                    f"unknown dataset {name!r}: declare it first (title, licence, citation)"
                )
            self.declare_dataset(shipped[name])


class DatasetCounts(Reader):
    """What each dataset holds, counted in SQL (the /datasets pages)."""

    def statement_counts(self) -> dict[str, dict[str, int]]:
        """dataset -> status -> statements."""
        st = tables.statements
        query = select(st.c.dataset, st.c.status, func.count()).group_by(st.c.dataset, st.c.status)
        found: dict[str, dict[str, int]] = {}
        for name, status, n in self.conn.execute(query):
            found.setdefault(name, {})[status] = int(n)
        return found

    def record_counts(self) -> dict[str, dict[str, int]]:
        """dataset -> schema -> records some accepted statement of the dataset supports."""
        rv = tables.record_values
        query = (
            select(rv.c.value, rv.c.schema, func.count())
            .where(rv.c.prop == "_dataset")
            .group_by(rv.c.value, rv.c.schema)
        )
        found: dict[str, dict[str, int]] = {}
        for name, schema, n in self.conn.execute(query):
            found.setdefault(name, {})[schema] = int(n)
        return found

    def deployment_keys(self) -> Iterator[tuple[str, str, str]]:
        """(deployment, prop, value) of what says which deployment it is: its datasets,
        vendor, buyer country and technologies, ordered by deployment."""
        rv = tables.record_values
        query = (
            select(rv.c.record_id, rv.c.prop, rv.c.value)
            .where(rv.c.schema == "Deployment", rv.c.prop.in_(KEY_PROPS))
            .order_by(rv.c.record_id)
        )
        for row in self.conn.execute(query):
            yield row[0], row[1], row[2]
