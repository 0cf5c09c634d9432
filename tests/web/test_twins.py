"""Every JSON twin is exactly what its response model in /openapi.json declares: no field
undeclared, none missing, each of the declared type."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from custodiet.web import models
from custodiet.web.app import create_app
from tests.conftest import Cli

ARTICLE = models.FOUNDING_ARTICLE
SLUGS = {"vendors": "huawei", "deployments": "huawei-ec-ecu-911"}
TWINS: list[tuple[str, type[BaseModel]]] = [
    ("/index.json", models.Atlas),
    ("/index.json?technology=safe_city_cctv&vendor_country=CN&year_from=2012", models.Atlas),
    ("/countries/EC.json", models.CountryPage),
    ("/countries/DZ.json", models.CountryPage),
    ("/vendors/huawei.json", models.VendorPage),
    ("/vendors/citic-group.json", models.VendorPage),
    ("/projects/ecu-911.json", models.ProjectPage),
    (f"/sources/{ARTICLE}.json", models.SourcePage),
    ("/search.json?q=Kampala", models.SearchPage),
    ("/search.json?q=Kampala&kind=deployment", models.SearchPage),
    ("/about.json", models.AboutPage),
    ("/datasets.json", models.DatasetsPage),
    ("/datasets/aigs.json", models.DatasetPage),
    ("/datasets/custodiet.json", models.DatasetPage),
    ("/search.json?q=Huawei&dataset=aigs", models.SearchPage),
    ("/index.json?dataset=aiddata-gcdf", models.Atlas),
    ("/deployments.json?limit=7&offset=3", models.DeploymentPage),
    ("/deployments.json?country=EC", models.DeploymentPage),
    ("/deployments/huawei-ec-ecu-911.json", models.DeploymentView),
    ("/surveillance-index.json", models.IndexPage),
    ("/surveillance-index.json?sort=since", models.IndexPage),
    ("/surveillance-index/aigs.json", models.ComparisonPage),
]


@pytest.fixture
def client(starter: Cli) -> TestClient:
    return TestClient(create_app(starter.url))


@pytest.mark.parametrize(("path", "model"), TWINS, ids=[p for p, _ in TWINS])
def test_each_twin_is_its_response_model(
    client: TestClient, path: str, model: type[BaseModel]
) -> None:
    response = client.get(path)
    assert response.status_code == 200
    checked = model.model_validate(response.json())
    assert checked.model_dump(mode="json", by_alias=True) == response.json()


def test_every_twin_route_is_checked(client: TestClient) -> None:
    """A JSON route added without a test here fails this test."""
    spec = client.get("/openapi.json").json()
    routes = {p for p in spec["paths"] if p.endswith(".json") and p != "/openapi.json"}
    checked = {p.split("?")[0] for p, _ in TWINS}
    declared = {
        p.replace("{code}", "EC")
        .replace("{slug}", SLUGS.get(p.split("/")[1], "ecu-911"))
        .replace("{sid}", ARTICLE)
        .replace("{name}", "aigs")
        for p in routes
    }
    assert declared <= checked


def test_a_missing_field_or_an_extra_one_is_caught() -> None:
    """The check above could fail: the models refuse what they do not declare."""
    page = {"licence": {"data": "CC BY 4.0", "cite": "x", "datasets": []}}
    models.AboutPage.model_validate(page)
    with pytest.raises(ValueError):
        models.AboutPage.model_validate(page | {"surprise": 1})
    with pytest.raises(ValueError):
        models.DeploymentPage.model_validate(page)
