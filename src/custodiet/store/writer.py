"""The Writer: every write, inside one transaction, each appended to the audit chain.

It reads too (it is a View on the same connection), so a write sees what it changes.
Before the transaction commits, the records of every entity it touched are folded
again, so pages never fold statements themselves.
"""

from __future__ import annotations

from custodiet.store.accounts import AccountWrites
from custodiet.store.corrections import CorrectionWrites
from custodiet.store.datasets import DatasetWrites
from custodiet.store.facts import FactWrites
from custodiet.store.judgements import JudgementWrites
from custodiet.store.records import RecordWrites
from custodiet.store.resolution import ResolutionWrites
from custodiet.store.view import View


class Writer(
    View,
    FactWrites,
    RecordWrites,
    ResolutionWrites,
    DatasetWrites,
    JudgementWrites,
    CorrectionWrites,
    AccountWrites,
):
    """Handed out by SqlStore.writer(); not to be kept after the block ends."""

    def finish(self) -> None:
        """What every transaction does last: its datasets stored, its records current, the
        public version raised if the public sees a change, its audit records written."""
        self.ensure_datasets(self.datasets_used)
        self.refresh_records()
        self.publish()
        self.flush_audit()
