"""The EFF Atlas of Surveillance, as the CSV EFF publishes (28 columns): each row a
deployment keyed by its AOSNUMBER — the agency (an organisation), its city, county and
state (places, each part of the next), the technology, the vendor when the row names
one — with the row's Summary sentence as the quote of its facts and its links (with
their source names and dates) as their sources.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from custodiet.ingest.cleaning import VendorResolver
from custodiet.ingest.importers.base import Facts, Importer, Release, vendors_in
from custodiet.model.datasets import Dataset
from custodiet.model.errors import DataError
from custodiet.model.text import slug

URL = "https://atlasofsurveillance.org/"
COLUMNS = (
    "AOSNUMBER", "City", "County", "State", "Agency", "Type of LEA", "Summary", "Technology",
    "Vendor", "Link 1", "Link 1 Source", "Link 1 Date", "Link 2", "Link 2 Source",
    "Link 2 Date", "Link 3", "Link 3 Source", "Link 3 Date",
)  # fmt: skip
# The Atlas's technologies onto the taxonomy (its words kept as the original value).
TECHNOLOGY = {
    "automated license plate readers": "safe_city_cctv",
    "body-worn cameras": "other",
    "camera registry": "safe_city_cctv",
    "cell-site simulator": "internet_monitoring",
    "drones": "other",
    "frt": "facial_recognition",
    "face recognition": "facial_recognition",
    "fusion center": "smart_policing",
    "gunshot detection": "smart_policing",
    "predictive policing": "smart_policing",
    "real-time crime center": "safe_city_cctv",
    "third-party investigative platforms": "smart_policing",
    "video analytics": "safe_city_cctv",
}
DATASET = Dataset(
    name="eff-aos",
    title="Atlas of Surveillance",
    publisher="Electronic Frontier Foundation and the Reynolds School of Journalism",
    url=URL,
    licence="CC BY 4.0",
    citation="Electronic Frontier Foundation, Atlas of Surveillance, atlasofsurveillance.org",
    description="US law enforcement agencies and the surveillance technologies they use, "
    "each with the reporting that documents it.",
)


@cache
def _states() -> dict[str, str]:
    import pycountry

    found = pycountry.subdivisions.get(country_code="US")  # type: ignore[no-untyped-call]
    return {s.code.split("-")[1]: s.name for s in found}


class EffAtlasImporter(Importer):
    name = "eff-aos"
    dataset = "eff-aos"
    summary = (
        "EFF Atlas of Surveillance: US agencies, their places and the technologies they "
        "use (vendor where known), each row's summary and links"
    )

    def read(self, path: Path, vendors: VendorResolver, facts: Facts) -> Release:
        count = 0
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = csv.DictReader(f)
            missing = [c for c in COLUMNS if c not in (rows.fieldnames or [])]
            if missing:
                raise DataError(
                    f"missing column {missing[0]!r}: expected the Atlas of Surveillance CSV "
                    "as EFF publishes it (AOSNUMBER, City, County, State, Agency, …)",
                    file=str(path),
                )
            for row in rows:
                count += 1
                with facts.record():
                    _row(facts, vendors, row, rows.line_num)
        return Release(DATASET, facts, count)


def _sources(facts: Facts, row: dict[str, str], line: int) -> Iterator[str]:
    found = False
    for n in (1, 2, 3):
        url = (row.get(f"Link {n}") or "").strip()
        if not url.startswith(("http://", "https://")):
            continue
        found = True
        yield facts.source(
            url,
            publisher=(row.get(f"Link {n} Source") or "").strip() or None,
            published=_date(row.get(f"Link {n} Date"), facts, line, n),
        )
    if not found:
        yield facts.source(URL, title="Atlas of Surveillance", publisher=DATASET.publisher)


def _date(raw: str | None, facts: Facts, line: int, n: int) -> str | None:
    text = (raw or "").strip()
    if not text:
        return None
    # EFF writes M/D/YYYY and, in older rows, M/D/YY (all of them this century) or M/YYYY;
    # a range ("2017-2019") or a remark is left out.
    formats = (("%m/%d/%Y", "%Y-%m-%d"), ("%m/%d/%y", "%Y-%m-%d"), ("%Y-%m-%d", "%Y-%m-%d"))
    for fmt, out in (*formats, ("%m/%Y", "%Y-%m"), ("%Y", "%Y")):
        try:
            return dt.datetime.strptime(text, fmt).strftime(out)
        except ValueError:
            continue
    message = f"{text!r} is not a date (M/D/YYYY, M/D/YY or M/YYYY): left out"
    facts.problem(DataError(message, file=facts.file, line=line, field=f"Link {n} Date"))
    return None


def _row(facts: Facts, vendors: VendorResolver, row: dict[str, str], line: int) -> None:
    key = (row.get("AOSNUMBER") or "").strip()
    if not key:
        raise DataError("no AOSNUMBER", file=facts.file, line=line, field="AOSNUMBER")
    deployment = f"deployment:eff-{slug(key)}"
    quote = (row.get("Summary") or "").strip() or None
    places = _places(row, line, facts)
    raw_tech = (row.get("Technology") or "").strip()
    tech = TECHNOLOGY.get(raw_tech.lower())
    if raw_tech and tech is None:
        raise DataError(f"{raw_tech!r} is not a technology of the Atlas", file=facts.file,
                        line=line, field="Technology")  # fmt: skip
    agency_name = (row.get("Agency") or "").strip()
    state = (row.get("State") or "").strip().upper()
    agency = f"org:eff-{state.lower()}-{slug(agency_name)}" if agency_name else None
    # What the agency and its places are the Atlas says itself; that the agency uses the
    # technology, each of the row's links reports.
    atlas = _Fact(facts, facts.source(URL, title=DATASET.title, publisher=DATASET.publisher),
                  line, None, key)  # fmt: skip
    if agency:
        atlas(agency, "name", agency_name, "Agency")
        atlas(agency, "role", "agency", "Type of LEA")
        atlas(agency, "country", "US", "State")
        atlas(agency, "description", (row.get("Type of LEA") or "").strip() or None, "Type of LEA")
        if places:
            atlas(agency, "jurisdiction", places[0][0], "City")
    for place, props in places:
        for prop, value in props.items():
            atlas(place, prop, value, "City" if props.get("kind") == "city" else "County")
    for source in _sources(facts, row, line):
        fact = _Fact(facts, source, line, quote, key)
        fact(deployment, "buyer_country", "US", "State")
        if tech:
            fact(deployment, "technology", tech, "Technology", original=raw_tech)
        if agency:
            fact(deployment, "buyer", agency, "Agency")
            fact(deployment, "buyer_agency", agency_name, "Agency")
        if places:
            fact(deployment, "place", places[0][0], "City")
            fact(deployment, "buyer_city", (row.get("City") or "").strip() or None, "City")
        for org, name, _match in vendors_in(facts, vendors, row.get("Vendor"), source, line=line,
                                            column="Vendor", quote=quote, origin=key):  # fmt: skip
            fact(deployment, "vendor", org, "Vendor", original=name)


class _Fact:
    """Adds the row's facts from one of its sources, with its quote and key."""

    def __init__(self, facts: Facts, source: str, line: int, quote: str | None, key: str) -> None:
        self.facts, self.source, self.line, self.quote, self.key = facts, source, line, quote, key

    def __call__(
        self, entity: str, prop: str, raw: object, column: str, original: str | None = None
    ) -> None:
        self.facts.add(entity, prop, raw, self.source, line=self.line, column=column,
                       quote=self.quote, original=original, origin=self.key)  # fmt: skip


def _places(row: dict[str, str], line: int, facts: Facts) -> list[tuple[str, dict[str, str]]]:
    """The row's city, county and state, most specific first, each part of the next."""
    state = (row.get("State") or "").strip().upper()
    if state and state not in _states():
        raise DataError(f"{state!r} is not a US state", file=facts.file, line=line, field="State")
    found: list[tuple[str, dict[str, str]]] = []
    if state:
        found.append((f"place:us-{state.lower()}", {"name": _states()[state], "kind": "state",
                                                     "country": "US"}))  # fmt: skip
    county = (row.get("County") or "").strip()
    if county and state:
        found.insert(0, (f"place:us-{state.lower()}-{slug(county)}",
                         {"name": county, "kind": "county", "country": "US",
                          "parent": found[0][0]}))  # fmt: skip
    city = (row.get("City") or "").strip()
    if city and state:
        found.insert(0, (f"place:us-{state.lower()}-city-{slug(city)}",
                         {"name": city, "kind": "city", "country": "US",
                          "parent": found[0][0]}))  # fmt: skip
    return found
