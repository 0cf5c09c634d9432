"""Query parameters, declared and validated: a bad value is a 422 that names it, never
silently ignored. The home page's form sends empty fields, which mean "any"."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import BaseModel, BeforeValidator, Field, StringConstraints

from custodiet.model.filters import Filters
from custodiet.model.taxonomy import technologies
from custodiet.model.types import ENTITY_ID


def _blank(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) and value.strip() else _blank(value)


Blank = BeforeValidator(_blank)
Technology = Annotated[
    Annotated[str, StringConstraints(pattern="^(" + "|".join(technologies()) + ")$")] | None,
    Blank,
    Field(description="A technology code: " + ", ".join(technologies())),
]
EntityId = Annotated[
    Annotated[str, StringConstraints(pattern=ENTITY_ID.pattern)] | None,
    Blank,
    Field(description="An entity id, such as org:huawei"),
]
CountryCode = Annotated[
    Annotated[str, StringConstraints(pattern="^[A-Z]{2}$")] | None,
    BeforeValidator(_upper),
    Field(description="ISO 3166-1 alpha-2"),
]
Year = Annotated[Annotated[int, Field(ge=1800, le=2100)] | None, Blank]
DatasetName = Annotated[
    Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$")] | None,
    Blank,
    Field(description="A dataset's name"),
]
Kind = Annotated[Annotated[str, StringConstraints(pattern=r"^[a-z]+$")] | None, Blank]


CountryPath = Annotated[
    str, Path(pattern="^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2 (EC, or ec)")
]
Slug = Annotated[
    str,
    Path(pattern="^[A-Za-z0-9][A-Za-z0-9._-]{0,190}$", description="The id after the prefix"),
]
DatasetPath = Annotated[
    str, Path(pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$", description="A dataset's name")
]
SourceId = Annotated[str, Path(pattern="^[0-9a-f]{64}$", description="sha256 of its text")]


class AtlasQuery(BaseModel):
    """The atlas's filters (the home page, its counts and downloads)."""

    technology: Technology = None
    vendor: EntityId = None
    vendor_country: CountryCode = Field(None, description="The vendor's headquarters")
    year_from: Year = Field(None, description="Some year of the deployment is this or later")
    year_to: Year = Field(None, description="Some year of the deployment is this or earlier")
    state_loans: Annotated[bool, BeforeValidator(lambda v: _blank(v) or False)] = Field(
        False, description="Only deployments financed by loans"
    )
    dataset: DatasetName = None

    def filters(self) -> Filters:
        return Filters(
            technology=self.technology,
            vendor=self.vendor,
            vendor_country=self.vendor_country,
            year_from=self.year_from,
            year_to=self.year_to,
            state_loans=self.state_loans,
            dataset=self.dataset,
        )


class ListQuery(AtlasQuery):
    """The atlas's filters, plus a buyer country and a project (lists and downloads)."""

    country: CountryCode = Field(None, description="The buyer country")
    project: EntityId = None

    def filters(self) -> Filters:
        chosen = super().filters()
        chosen.buyer_country = self.country
        chosen.project = self.project
        return chosen


class PageQuery(ListQuery):
    """A list a page at a time."""

    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0)


class SearchQuery(BaseModel):
    q: str = Field("", max_length=200, description="Words to find (the first 8 distinct count)")
    kind: Kind = Field(
        None, description="Keep one facet: org, project, country, deployment, source…"
    )
    dataset: DatasetName = Field(None, description="Only the facts of this dataset")


class IndexQuery(BaseModel):
    sort: Literal["country", "categories", "vendors", "sources", "since"] = Field(
        "categories",
        description="Order: by name, by documented categories, vendors or sources (most "
        "first), or by the earliest documented year",
    )


ChartName = Annotated[
    Literal["years", "regimes", "market-share"],
    Path(description="years, regimes or market-share"),
]
ChartFormat = Annotated[Literal["svg", "png", "csv"], Path(description="svg, png or csv")]
ReportFormat = Annotated[Literal["html", "pdf"], Path(description="html or pdf")]
