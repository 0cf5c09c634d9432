"""Response models for the JSON API: they document /openapi.json, with examples."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

FOUNDING_ARTICLE = "501c0322bf0ad093056d20485d49c960aa915e68011900417111304cb1e4b641"


class Licence(BaseModel):
    data: str = "CC BY 4.0"
    regime_types: str
    cite: str


class Deployment(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "deployment:huawei-ug-kampala-cctv",
                    "vendor": "org:huawei",
                    "vendor_name": "Huawei Technologies",
                    "buyer_country": "UG",
                    "buyer_country_name": "Uganda",
                    "buyer_city": "Kampala",
                    "buyer_agency": "Uganda Police Force",
                    "technology": ["safe_city_cctv"],
                    "technology_labels": ["Safe city and CCTV"],
                    "year": 2019,
                    "value": "126000000",
                    "currency": "USD",
                    "financing": None,
                    "financier": [],
                    "project": [],
                    "status": "operational",
                    "sources": [FOUNDING_ARTICLE],
                }
            ]
        }
    )

    id: str
    vendor: str
    vendor_name: str
    buyer_country: str = Field(description="ISO 3166-1 alpha-2")
    buyer_country_name: str
    buyer_city: str | None = None
    buyer_agency: str | None = None
    technology: list[str] = Field(description="Technology taxonomy codes")
    technology_labels: list[str] = []
    year: int | None = None
    value: str | None = Field(None, description="Amount as a decimal string")
    currency: str | None = Field(None, description="ISO 4217")
    financing: str | None = None
    financier: list[str] = []
    project: list[str] = []
    status: str | None = None
    sources: list[str] = Field([], description="Ids of the sources behind it: /sources/{id}")


class DeploymentPage(BaseModel):
    items: list[Deployment]
    total: int
    limit: int
    offset: int
    licence: Licence


class CountryCount(BaseModel):
    code: str
    name: str
    deployments: int
    numeric: str | None = Field(None, description="ISO 3166-1 numeric, as world-atlas uses")


class Atlas(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "filters": {"technology": "facial_recognition"},
                    "deployments": 9,
                    "countries": [
                        {"code": "UG", "name": "Uganda", "deployments": 1, "numeric": "800"}
                    ],
                    "latest": [],
                    "top_vendors": [
                        {
                            "id": "org:huawei",
                            "name": "Huawei Technologies",
                            "deployments": 4,
                            "country": "CN",
                        }
                    ],
                    "technologies": {"facial_recognition": "Facial recognition"},
                    "licence": {
                        "data": "CC BY 4.0",
                        "regime_types": "Our World in Data based on V-Dem",
                        "cite": "Custodiet",
                    },
                }
            ]
        }
    )

    filters: dict[str, Any]
    countries: list[CountryCount]
    latest: list[Deployment]
    top_vendors: list[dict[str, Any]]
    deployments: int
    technologies: dict[str, str]
    licence: Licence


class Regime(BaseModel):
    value: str | None
    label: str | None
    year: str | None
    source: str


class SourceSummary(BaseModel):
    id: str
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    deployments: int = Field(description="How many of the country's deployments it supports")


class CountryPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "EC",
                    "name": "Ecuador",
                    "regime": {
                        "value": "2",
                        "label": "electoral democracy",
                        "year": "2022",
                        "source": "Our World in Data based on V-Dem, CC BY 4.0",
                    },
                    "deployments": [],
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
                    "licence": {
                        "data": "CC BY 4.0",
                        "regime_types": "Our World in Data based on V-Dem",
                        "cite": "Custodiet",
                    },
                }
            ]
        }
    )

    code: str
    name: str
    regime: Regime | None
    deployments: list[Deployment]
    vendors: list[list[str]]
    projects: list[dict[str, str]]
    figures: list[dict[str, str]]
    restrictions: list[dict[str, str]]
    timeline: list[dict[str, int]]
    sources: list[SourceSummary] = Field(description="The 50 most cited")
    sources_total: int
    licence: Licence


class EntityPage(BaseModel):
    """A vendor's or project's page: the entity's view and its deployments."""

    entity: dict[str, Any]
    deployments: list[Deployment]
    licence: Licence


class SearchPage(BaseModel):
    q: str
    kind: str | None = Field(None, description="The facet kept, if any (?kind=)")
    hits: list[dict[str, Any]]
    facets: dict[str, int]
    licence: Licence


class SourcePage(BaseModel):
    source: dict[str, Any]
    segments: list[dict[str, Any]] | None
    licence: Licence
