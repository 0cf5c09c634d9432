"""The starter atlas shipped in the package: the founding article, sourced export
facts, the organisations they name, regime types per country, and two of the field's
datasets as their publishers released them (imported by their importers): the Carnegie
AI & Big Data Global Surveillance Index 2022 (company level, CC BY 4.0) and AidData's
records of Chinese state loans for safe-city systems (ODC-By 1.0). The folder's
SOURCES.md says where each file comes from."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from custodiet.ingest.bundle import Compiler
from custodiet.ingest.datafile import load_file
from custodiet.ingest.regimes import load_regimes

if TYPE_CHECKING:
    from custodiet.ingest.importing import Progress, Summary
    from custodiet.store.sql import SqlStore

BUNDLES = ("organizations.yaml", "founding-article.yaml", "export-facts.yaml")
REGIMES = "regimes-owid-vdem.csv"
IMPORTS = (  # (importer, file), imported after the bundles so that vendors resolve to them
    ("aigs", "carnegie-aigs-2022-company-level.csv"),
    ("aiddata", "aiddata-gcdf3-surveillance-projects.jsonl"),
)


def starter_compiler() -> Compiler:
    folder = resources.files("custodiet.data").joinpath("starter")
    compiler = Compiler()
    for name in BUNDLES:
        with resources.as_file(folder.joinpath(name)) as path:
            load_file(Path(path), compiler)
    load_regimes(folder.joinpath(REGIMES).read_text("utf-8"), compiler, file=REGIMES)
    compiler.check_required()
    return compiler


def import_starter(store: SqlStore, actor: str, progress: Progress | None = None) -> list[Summary]:
    """The shipped datasets, each imported in its own transaction (again: nothing new)."""
    from custodiet.ingest.importing import run

    folder = resources.files("custodiet.data").joinpath("starter")
    done = []
    for name, file in IMPORTS:
        with resources.as_file(folder.joinpath(file)) as path:
            done.append(run(store, name, Path(path), actor=actor, progress=progress))
    return done
