"""Response models for the JSON API: they document /openapi.json, with examples, and the
tests validate every JSON twin against them (no field undeclared, none missing).

A deployment is the typed record itself (`DeploymentRecord`), so the API cannot drift
from what analysis and exports use."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.dataclasses import dataclass

from custodiet.model.datasets import Dataset
from custodiet.model.records import DeploymentRecord

FOUNDING_ARTICLE = "501c0322bf0ad093056d20485d49c960aa915e68011900417111304cb1e4b641"
DATASET_EXAMPLE: dict[str, Any] = {
    "name": "custodiet",
    "title": "Custodiet",
    "publisher": "Custodiet maintainers and editors",
    "url": None,
    "licence": "CC BY 4.0",
    "citation": "Custodiet: an evidence-backed atlas of surveillance-technology exports",
    "version": None,
    "released": None,
    "description": "The editors' own work.",
}
LICENCE_EXAMPLE: dict[str, Any] = {
    "data": "CC BY 4.0",
    "cite": "Custodiet: an evidence-backed atlas of surveillance-technology exports, …",
    "datasets": [DATASET_EXAMPLE],
}
DEPLOYMENT_EXAMPLE: dict[str, Any] = {
    "id": "deployment:huawei-ug-kampala-cctv",
    "name": "Huawei Technologies · Uganda · safe_city_cctv",
    "vendor": "org:huawei",
    "vendor_name": "Huawei Technologies",
    "buyer_country": "UG",
    "buyer_country_name": "Uganda",
    "buyer": None,
    "buyer_name": None,
    "place": [],
    "buyer_city": "Kampala",
    "buyer_region": None,
    "buyer_agency": "Uganda Police Force",
    "technology": ["safe_city_cctv"],
    "technology_labels": ["Safe city and CCTV"],
    "year": 2019,
    "years": [2019],
    "value": "126000000",
    "currency": "USD",
    "financing": None,
    "financier": [],
    "project": [],
    "status": "operational",
    "description": None,
    "support": 1,
    "labels": {"org:huawei": "Huawei Technologies"},
    "members": ["deployment:huawei-ug-kampala-cctv"],
    "sources": [FOUNDING_ARTICLE],
    "datasets": ["custodiet"],
    "summary": "Huawei Technologies supplied, in operation, safe city and CCTV to Uganda Police "
    "Force in Kampala, Uganda, in 2019, valued at $126 M.",
    "support_label": "one source",
}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


@dataclass(config=ConfigDict(extra="forbid"))
class Deployment(DeploymentRecord):
    """A deployment's typed record, and how it reads."""

    summary: str = Field(description="The deployment in one sentence")
    support_label: str = Field(description="How well it is supported, in words")


class Fact(Strict):
    question: str = Field(description="What a reader asks: Vendor, Value, Financing…")
    answer: str = Field(description="The answer in words; disagreeing sources side by side")


class Summary(Strict):
    text: str = Field(description="A plain-language paragraph built from the page's facts")
    facts: list[Fact]


class Licence(Strict):
    data: str = Field(description="The licences of the datasets whose facts are shown")
    cite: str
    datasets: list[Dataset] = Field(description="Each dataset shown, with its citation")


class DeploymentPage(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [DEPLOYMENT_EXAMPLE],
                    "total": 1,
                    "limit": 100,
                    "offset": 0,
                    "licence": LICENCE_EXAMPLE,
                }
            ]
        }
    )

    items: list[Deployment]
    total: int
    limit: int
    offset: int
    licence: Licence


class CountryCount(Strict):
    code: str
    name: str
    deployments: int
    numeric: str | None = Field(None, description="ISO 3166-1 numeric, as world-atlas uses")


class VendorCount(Strict):
    id: str
    name: str
    deployments: int
    country: str | None = Field(None, description="Headquarters, ISO 3166-1 alpha-2")


class Atlas(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "filters": {"technology": "facial_recognition"},
                    "deployments": 9,
                    "countries": [
                        {"code": "UG", "name": "Uganda", "deployments": 1, "numeric": "800"}
                    ],
                    "latest": [DEPLOYMENT_EXAMPLE],
                    "top_vendors": [
                        {
                            "id": "org:huawei",
                            "name": "Huawei Technologies",
                            "deployments": 4,
                            "country": "CN",
                        }
                    ],
                    "technologies": {"facial_recognition": "Facial recognition"},
                    "licence": LICENCE_EXAMPLE,
                }
            ]
        }
    )

    filters: dict[str, Any] = Field(description="The filters in force")
    countries: list[CountryCount]
    latest: list[Deployment]
    top_vendors: list[VendorCount]
    deployments: int
    technologies: dict[str, str]
    datasets: list[DatasetChoice] = Field(description="The datasets one may filter by")
    licence: Licence


class Regime(Strict):
    value: str | None
    label: str | None
    year: str | None
    source: str = Field(description="The citation and licence of the dataset it comes from")


class SourceSummary(Strict):
    id: str
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    deployments: int = Field(description="How many of the country's deployments it supports")


class Reference(Strict):
    id: str
    schema_: str = Field(alias="schema")
    via: str = Field(description="The property by which it refers to this entity")
    caption: str


class Evidence(Strict):
    statement_id: str
    quote: str | None
    start: int | None
    end: int | None
    source_id: str
    source_url: str | None
    source_title: str | None
    publisher: str | None
    published: str | None
    method: str
    confidence: float
    author: str | None
    reviewer: str | None
    dataset: str
    original_value: str | None = Field(description="The value as the source wrote it")
    origin: str | None = Field(description="Where in its dataset: a row's key, a line")


class PropertyValue(Strict):
    value: str
    label: str | None
    evidence: list[Evidence]


class Entity(Strict):
    id: str
    requested: str
    merged: list[str] = Field(description="Ids merged into this one")
    schema_: str = Field(alias="schema")
    caption: str
    properties: dict[str, list[PropertyValue]]
    property_labels: dict[str, str] = Field(description="Each property's name in words")
    disagreements: list[str] = Field(description="Properties whose sources disagree")
    referenced_by: list[Reference]
    datasets: list[str]


class YearCount(Strict):
    year: int
    deployments: int


class IndexVendor(Strict):
    id: str
    name: str


class IndexCategory(Strict):
    deployments: int
    vendors: list[IndexVendor]
    since: int | None = Field(description="The earliest documented year")
    sources: int = Field(description="Independent sources (distinct documents and rows)")


class IndexRow(Strict):
    code: str
    name: str
    regime: str | None = Field(description="Regime type (Our World in Data based on V-Dem)")
    documented: list[str] = Field(description="The technology categories documented")
    vendors: int
    since: int | None
    sources: int = Field(description="The most independent sources of any one category")
    categories: dict[str, IndexCategory]


class IndexPage(Strict):
    sort: str
    categories: dict[str, str] = Field(description="The index's categories and their labels")
    countries: list[IndexRow]
    licence: Licence


class ComparisonRow(Strict):
    code: str
    name: str
    category: str
    category_label: str
    aigs: bool = Field(description="The Carnegie AIGS flags this category for the country")
    custodiet_deployments: int = Field(description="Deployments from other datasets and sources")
    status: str = Field(description="both, Custodiet only, or AIGS only")


class ComparisonPage(Strict):
    rows: list[ComparisonRow]
    totals: dict[str, int]
    columns: list[str]
    licence: Licence


class CountryPage(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "EC",
                    "name": "Ecuador",
                    "summary": {
                        "text": "Ecuador, an electoral democracy (2022): 2 documented "
                        "deployments since 2011 …",
                        "facts": [{"question": "Since", "answer": "2011"}],
                    },
                    "index": None,
                    "regime": {
                        "value": "2",
                        "label": "electoral democracy",
                        "year": "2022",
                        "source": "Our World in Data based on V-Dem, CC BY 4.0",
                    },
                    "deployments": [DEPLOYMENT_EXAMPLE],
                    "vendors": [["org:huawei", "Huawei Technologies"]],
                    "projects": [
                        {
                            "id": "project:ecu-911",
                            "schema": "Project",
                            "via": "country",
                            "caption": "ECU-911",
                        }
                    ],
                    "figures": [],
                    "restrictions": [],
                    "timeline": [{"year": 2011, "deployments": 2}],
                    "sources": [
                        {
                            "id": FOUNDING_ARTICLE,
                            "url": None,
                            "title": "Founding article",
                            "publisher": None,
                            "published": None,
                            "deployments": 4,
                        }
                    ],
                    "sources_total": 1,
                    "licence": LICENCE_EXAMPLE,
                }
            ]
        }
    )

    code: str
    name: str
    summary: Summary
    index: IndexRow | None = Field(description="Its row of the surveillance index")
    regime: Regime | None
    deployments: list[Deployment]
    vendors: list[tuple[str, str]] = Field(description="(id, name) of every vendor")
    projects: list[Reference]
    figures: list[Reference]
    restrictions: list[Reference]
    timeline: list[YearCount]
    sources: list[SourceSummary] = Field(description="The 50 most cited")
    sources_total: int
    licence: Licence


class VendorSummary(Strict):
    headquarters: str | None
    parent: str | None
    state_owned: str | None
    role: str | None


class VendorPage(Strict):
    entity: Entity
    answer: Summary
    summary: VendorSummary
    deployments: list[Deployment]
    footprint: list[CountryCount]
    by_regime: dict[str, int] = Field(description="Deployments by the buyer's regime type")
    restrictions: list[Reference]
    subsidiaries: list[Reference]
    licence: Licence


class ProjectPage(Strict):
    entity: Entity
    summary: Summary
    deployments: list[Deployment]
    licence: Licence


class DeploymentView(Strict):
    entity: Entity
    summary: Summary
    deployment: Deployment
    licence: Licence


class SearchHit(Strict):
    kind: str
    ref: str
    text: str
    entity_id: str | None
    prop: str | None
    value: str | None
    source_id: str | None
    dataset: str | None
    about: str | None = Field(description="What the hit is about, by name")
    reads: str = Field(description="The hit in words: the property and value by their labels")
    href: str | None = Field(description="The page to open")


class SearchPage(Strict):
    q: str
    kind: str | None = Field(None, description="The facet kept, if any (?kind=)")
    hits: list[SearchHit]
    facets: dict[str, int]
    notice: str | None = Field(None, description="Why there are no hits, if the search stopped")
    dataset: str | None = Field(None, description="The dataset searched, if one (?dataset=)")
    datasets: list[DatasetChoice]
    licence: Licence


class SourceRecord(Strict):
    id: str
    url: str | None
    title: str | None
    publisher: str | None
    author: str | None
    published: str | None
    retrieved: str | None
    language: str | None
    licence: str | None


class Segment(Strict):
    text: str
    quoted: bool
    gap: bool = Field(description="Text left out here (not shown under the licence)")


class SourcePage(Strict):
    source: SourceRecord
    shown: str = Field(description="full, or excerpts: the quotes in context (the licence)")
    segments: list[Segment] | None
    licence: Licence


class DatasetChoice(Strict):
    name: str
    title: str


class DatasetSummary(Strict):
    """A dataset, and what it holds."""

    name: str
    title: str
    licence: str
    citation: str
    publisher: str | None
    url: str | None
    version: str | None
    released: str | None = Field(description="The release's date, YYYY[-MM[-DD]]")
    description: str | None
    statements: int = Field(description="Statements of every status")
    accepted: int
    deployments: int
    buyer_countries: int
    corroborated: int = Field(
        description="Its deployments that another dataset or a quoted source also supports"
    )


class DatasetCountry(Strict):
    code: str
    name: str
    deployments: int


class DatasetDetail(DatasetSummary):
    statements_by_status: dict[str, int]
    records_by_schema: dict[str, int] = Field(description="Entities its accepted facts support")
    countries: list[DatasetCountry] = Field(description="Buyer countries, most first")
    technologies: dict[str, int] = Field(description="Deployments per technology code")


class DatasetsPage(Strict):
    datasets: list[DatasetSummary]
    licence: Licence


class DatasetPage(Strict):
    dataset: DatasetDetail
    licence: Licence


class AboutPage(Strict):
    licence: Licence


class ErrorBody(Strict):
    """What a 404 says."""

    error: str


class BadRequest(Strict):
    """What a 422 says: the parameter, what is wrong with it and what was given, and the
    same as a list."""

    error: str
    detail: list[dict[str, Any]]


ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such country, vendor, project or source"},
    503: {"model": ErrorBody, "description": "Another search is running; retry shortly"},
    422: {"model": BadRequest, "description": "A parameter is not what it should be"},
}
