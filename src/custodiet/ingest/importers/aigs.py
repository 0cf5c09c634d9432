"""The Carnegie AI & Big Data Global Surveillance Index, company level, in either layout
it is published in: the 2022 update (commas, 1/0 flags, Company 1-5) and version 1
(semicolons, decimal commas, `x` flags, unnamed columns carrying a sixth company on).

Each company named for a country becomes a deployment whose technologies are the
country's flagged categories; a country with flags and no company named gets one
deployment without a vendor per flagged category. The V-Dem and Freedom on the Net
columns become figures about the country, cited to the index.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from custodiet.ingest.cleaning import VendorResolver
from custodiet.ingest.importers.base import Facts, Importer, Release, vendors_in
from custodiet.model.datasets import Dataset
from custodiet.model.errors import DataError
from custodiet.model.text import slug

URL = "https://data.mendeley.com/datasets/gjhf5y4xjp"
CATEGORIES = {  # the index's four categories, onto the technology taxonomy
    "Safe City System": "safe_city_cctv",
    "Facial Recognition System": "facial_recognition",
    "Smart Policing": "smart_policing",
    "Social Media Surveillance": "internet_monitoring",
}
REGIME = {"CA": "0", "EA": "1", "ED": "2", "LD": "3"}  # as Regimes of the World number them


@dataclass(frozen=True)
class Layout:
    version: str
    delimiter: str
    doi: str
    democracy: str  # the V-Dem electoral democracy index column
    regime: str
    fotn_status: str
    fotn_score: str
    year: str  # of the V-Dem and Freedom on the Net figures
    flag: str  # how a documented category is marked

    def documented(self, cell: str) -> bool:
        return cell.strip().lower() == self.flag

    def number(self, cell: str) -> str:
        return cell.strip().replace(",", ".") if self.delimiter == ";" else cell.strip()


LAYOUTS = {
    "2022": Layout("2022", ",", "10.17632/gjhf5y4xjp.4", "V-Dem Electoral Democracy Index 2021",
                   "V-Dem Regime Type 2021", "Freedom on the Net 2021 Status",
                   "Freedom on the Net 2021 Score", "2021", "1"),
    "1": Layout("1", ";", "10.17632/gjhf5y4xjp.1", "v2x_polyarchy", "v2x_regime",
                '"Freedom on the Net 2019" Status', '"Freedom on the Net 2019" Total Score',
                "2019", "x"),
}  # fmt: skip


def dataset(layout: Layout) -> Dataset:
    return Dataset(
        name="aigs",
        title="AI & Big Data Global Surveillance Index",
        publisher="Carnegie Endowment for International Peace (Steven Feldstein)",
        url=URL,
        licence="CC BY 4.0",
        citation=(
            "Steven Feldstein, AI & Big Data Global Surveillance Index"
            f"{' (2022 update)' if layout.version == '2022' else ''}, Carnegie Endowment for "
            f"International Peace, Mendeley Data, doi:{layout.doi}"
        ),
        version=layout.version,
        description=(
            "Which countries use AI surveillance (safe cities, facial recognition, smart "
            "policing, social media surveillance) and which companies supply it."
        ),
    )


def layout_of(header: list[str], where: str) -> Layout:
    for layout in LAYOUTS.values():
        if layout.democracy in header:
            return layout
    raise DataError(
        "not a Carnegie AIGS company-level file: expected the 2022 layout (Country, …, "
        "V-Dem Electoral Democracy Index 2021, …, Company 1-5, commas) or version 1 "
        "(Country;Region;v2x_polyarchy;…, semicolons)",
        file=where,
    )


class AigsImporter(Importer):
    name = "aigs"
    dataset = "aigs"
    summary = (
        "Carnegie AI & Big Data Global Surveillance Index, company level (2022 and v1): "
        "countries, categories, companies, V-Dem and Freedom on the Net figures"
    )

    def read(self, path: Path, vendors: VendorResolver, facts: Facts) -> Release:
        text = path.read_text("utf-8-sig")
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = [h.strip() for h in next(rows, [])]
        layout = layout_of(header, str(path))
        required = ["Country", layout.democracy, layout.regime, *CATEGORIES, "Company 1"]
        for column in required:
            if column not in header:
                raise DataError(f"missing column {column!r}", file=str(path))
        source = facts.source(
            URL,
            title="AI & Big Data Global Surveillance Index",
            publisher="Carnegie Endowment for International Peace",
            licence="CC BY 4.0",
        )
        # Company columns: Company 1-5, then (version 1) the unnamed ones after them.
        companies = [i for i, h in enumerate(header) if h.startswith("Company")]
        companies += [i for i in range(companies[-1] + 1, len(header)) if not header[i]]
        count = 0
        for row in rows:
            if not any(cell.strip() for cell in row):
                continue
            count += 1
            cells = dict(zip(header, row, strict=False))
            named = [row[i] for i in companies if i < len(row)]
            with facts.record():
                _country(facts, vendors, layout, cells, named, source, rows.line_num)
        return Release(dataset(layout), facts, count)


def _country(
    facts: Facts,
    vendors: VendorResolver,
    layout: Layout,
    cells: dict[str, str],
    companies: list[str],
    source: str,
    line: int,
) -> None:
    code = facts.country(cells["Country"], column="Country", line=line)
    original = cells["Country"].strip()
    techs = [tech for column, tech in CATEGORIES.items() if layout.documented(cells[column])]
    named = [
        found
        for i, cell in enumerate(companies)
        for found in vendors_in(facts, vendors, cell, source, line=line, column=f"Company {i + 1}")
    ]
    for org, name, _match in named:
        deployment = f"deployment:aigs-{code.lower()}-{org.split(':', 1)[1]}"
        facts.add(deployment, "vendor", org, source, line=line, original=name)
        _buyer(facts, deployment, code, original, techs, source, line)
    if not named:
        for tech in techs:
            deployment = f"deployment:aigs-{code.lower()}-{slug(tech)}"
            _buyer(facts, deployment, code, original, [tech], source, line)
    _figures(facts, layout, cells, code, source, line)


def _buyer(
    facts: Facts,
    deployment: str,
    code: str,
    original: str,
    techs: list[str],
    source: str,
    line: int,
) -> None:
    facts.add(deployment, "buyer_country", code, source, line=line, column="Country",
              original=original if original != code else None)  # fmt: skip
    for tech in techs:
        facts.add(deployment, "technology", tech, source, line=line)


def _figures(
    facts: Facts, layout: Layout, cells: dict[str, str], code: str, source: str, line: int
) -> None:
    """The context columns, as figures about the country cited to the index."""
    country = f"country:{code}"
    base = f"figure:aigs-{code.lower()}"
    measures = [
        ("vdem-edi", "V-Dem electoral democracy index", layout.number(cells[layout.democracy]),
         None, layout.democracy),
        ("vdem-regime", "V-Dem regime type", REGIME.get(cells[layout.regime].strip()),
         "0 closed autocracy, 1 electoral autocracy, 2 electoral democracy, 3 liberal democracy",
         layout.regime),
        ("fotn", "Freedom on the Net score", layout.number(cells.get(layout.fotn_score, "")),
         cells.get(layout.fotn_status, "").strip().capitalize() or None, layout.fotn_score),
    ]  # fmt: skip
    for key, measure, value, note, column in measures:
        if not value:
            continue
        figure = f"{base}-{key}"
        facts.add(figure, "value", value, source, line=line, column=column,
                  original=cells[column].strip() if key == "vdem-regime" else None)  # fmt: skip
        facts.add(figure, "subject", country, source, line=line)
        facts.add(figure, "measure", measure, source, line=line)
        facts.add(figure, "year", layout.year, source, line=line)
        facts.add(figure, "description", note, source, line=line)
