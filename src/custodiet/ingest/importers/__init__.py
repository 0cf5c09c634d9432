"""The importers, one per dataset, listed in one registry."""

from __future__ import annotations

from pathlib import Path

from custodiet.ingest.importers.base import Importer
from custodiet.model.errors import DataError


def importers() -> dict[str, type[Importer]]:
    """Every importer by the name `custodiet import NAME` takes."""
    from custodiet.ingest.importers.aiddata import AidDataImporter
    from custodiet.ingest.importers.aigs import AigsImporter
    from custodiet.ingest.importers.eff_aos import EffAtlasImporter
    from custodiet.ingest.importers.ftm import FtmImporter
    from custodiet.ingest.importers.mapped import MappedImporter
    from custodiet.ingest.importers.sii import SiiImporter

    found: list[type[Importer]] = [AigsImporter, SiiImporter, EffAtlasImporter, AidDataImporter,
                                   MappedImporter, FtmImporter]  # fmt: skip
    return {i.name: i for i in found}


def importer(name: str, mapping: Path | None = None) -> Importer:
    """The named importer, reading through the mapping file where it takes one."""
    known = importers()
    if name not in known:
        raise DataError(f"no importer {name!r} (known: {', '.join(known)})")
    chosen = known[name]
    if mapping is not None and not chosen.takes_mapping:
        raise DataError(f"the {name} importer reads its dataset's own layout: no --mapping")
    return chosen(mapping)
