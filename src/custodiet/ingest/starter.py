"""The starter atlas shipped in the package: the founding article, sourced export
facts, the organisations they name, and regime types per country."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from custodiet.ingest.bundle import Compiler
from custodiet.ingest.datafile import load_file
from custodiet.ingest.regimes import load_regimes

BUNDLES = ("organizations.yaml", "founding-article.yaml", "export-facts.yaml")
REGIMES = "regimes-owid-vdem.csv"


def starter_compiler() -> Compiler:
    folder = resources.files("custodiet.data").joinpath("starter")
    compiler = Compiler()
    for name in BUNDLES:
        with resources.as_file(folder.joinpath(name)) as path:
            load_file(Path(path), compiler)
    load_regimes(folder.joinpath(REGIMES).read_text("utf-8"), compiler, file=REGIMES)
    compiler.check_required()
    return compiler
