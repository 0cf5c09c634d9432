"""The View: every read of the store, on one connection inside one transaction, so a page,
an export or a report sees one consistent snapshot."""

from __future__ import annotations

from custodiet.store.accounts import AccountReads
from custodiet.store.atlas import RecordReads
from custodiet.store.corrections import CorrectionReads
from custodiet.store.datasets import DatasetCounts, DatasetReads
from custodiet.store.facts import FactReads
from custodiet.store.history import AuditReads
from custodiet.store.judgements import JudgementReads
from custodiet.store.resolution import ResolutionReads
from custodiet.store.search import SearchHit, search


class View(
    FactReads,
    RecordReads,
    ResolutionReads,
    DatasetReads,
    DatasetCounts,
    JudgementReads,
    CorrectionReads,
    AccountReads,
    AuditReads,
):
    """Handed out by SqlStore.view(); not to be kept after the block ends."""

    def search(self, text: str, *, limit: int = 20, dataset: str | None = None) -> list[SearchHit]:
        return search(self.conn, text, limit=limit, dataset=dataset)
