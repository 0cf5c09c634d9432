"""Regime type per country (latest year) from Our World in Data, based on V-Dem."""

from __future__ import annotations

import csv
import io

from custodiet.ingest.bundle import Compiler, EntitySpec, Provenance, SourceSpec
from custodiet.model.errors import DataError
from custodiet.model.statement import Status

OWID_SOURCE = SourceSpec(
    url="https://ourworldindata.org/grapher/political-regime",
    title="Political regime (Regimes of the World)",
    publisher="Our World in Data based on V-Dem",
    licence="CC BY 4.0",
)
DEFAULTS = Provenance(
    source="owid",
    dataset="owid-vdem",
    method="import:owid-vdem",
    status=Status.ACCEPTED,
    author="custodiet-maintainers",
)


def load_regimes(text: str, compiler: Compiler, *, file: str) -> None:
    """Rows of code,name,year,regime become Country entities cited to OWID / V-Dem."""
    compiler.begin_file(file)
    compiler.add_source("owid", OWID_SOURCE, ("owid",))
    reader = csv.DictReader(io.StringIO(text))
    for number, row in enumerate(reader, start=2):
        try:
            spec = EntitySpec.model_validate(
                {
                    "id": f"country:{row['code']}",
                    "properties": {
                        "name": row["name"],
                        "code": row["code"],
                        "regime": row["regime"],
                        "regime_year": row["year"],
                    },
                }
            )
            compiler.add_entity(spec, DEFAULTS, ("row",))
        except (DataError, KeyError, ValueError) as exc:
            message = exc.message if isinstance(exc, DataError) else f"bad row: {exc}"
            raise DataError(message, file=file, line=number) from None
