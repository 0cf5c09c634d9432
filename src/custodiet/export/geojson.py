"""The atlas as GeoJSON: every country of the vendored world atlas (Natural Earth 1:110m,
through world-atlas's TopoJSON) as a polygon with its name, ISO codes and counts of
deployments, and every place with coordinates as a point. One FeatureCollection,
coordinates in WGS 84 longitude, latitude order (RFC 7946)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import IO, Any

import orjson
import pycountry

from custodiet.model.records import DeploymentRecord, PlaceRecord
from custodiet.model.types import country_name
from custodiet.store.view import View

WORLD = ("web", "static", "vendor", "world-atlas", "countries-110m.json")
Ring = list[list[float]]


@cache
def world() -> dict[str, Any]:
    path = resources.files("custodiet").joinpath(*WORLD)
    return dict(orjson.loads(path.read_bytes()))


def _arcs(topology: dict[str, Any]) -> list[Ring]:
    """Every arc in degrees: TopoJSON stores them quantised and delta-encoded."""
    (kx, ky), (dx, dy) = topology["transform"]["scale"], topology["transform"]["translate"]
    out = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for qx, qy in arc:
            x, y = x + qx, y + qy
            points.append([round(x * kx + dx, 6), round(y * ky + dy, 6)])
        out.append(points)
    return out


def _ring(arcs: list[Ring], indices: list[int]) -> Ring:
    """A closed ring from arc indices (a negative one is arc ~i reversed); consecutive
    arcs share their joining point, kept once."""
    points: Ring = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def _geometry(arcs: list[Ring], geometry: dict[str, Any]) -> dict[str, Any] | None:
    kind = geometry.get("type")
    if kind == "Polygon":
        return {"type": "Polygon", "coordinates": [_ring(arcs, r) for r in geometry["arcs"]]}
    if kind == "MultiPolygon":
        polygons = [[_ring(arcs, r) for r in polygon] for polygon in geometry["arcs"]]
        return {"type": "MultiPolygon", "coordinates": polygons}
    return None


@cache
def shapes() -> list[tuple[str | None, str | None, str, dict[str, Any]]]:
    """Every country of the world atlas decoded once: its ISO code, numeric code, name
    and geometry (shared between callers: never to be changed)."""
    topology = world()
    arcs = _arcs(topology)
    out = []
    for shape in topology["objects"]["countries"]["geometries"]:
        geometry = _geometry(arcs, shape)
        if geometry is not None:
            code = alpha_2(shape.get("id"))
            name = country_name(code) if code else shape["properties"]["name"]
            out.append((code, shape.get("id"), name, geometry))
    return out


def alpha_2(numeric: str | None) -> str | None:
    found = pycountry.countries.get(numeric=numeric) if numeric else None
    return found.alpha_2 if found else None


def collection(
    deployments: Iterable[DeploymentRecord], places: Iterable[PlaceRecord]
) -> dict[str, Any]:
    """The FeatureCollection: countries with their counts, then places as points."""
    counted: Counter[str] = Counter()
    vendors: dict[str, set[str]] = {}
    for d in deployments:
        if d.buyer_country:
            counted[d.buyer_country] += 1
            if d.vendor:
                vendors.setdefault(d.buyer_country, set()).add(d.vendor)
    features = []
    for code, numeric, name, geometry in shapes():
        features.append(
            {
                "type": "Feature",
                **({"id": code} if code else {}),
                "geometry": geometry,
                "properties": {
                    "kind": "country",
                    "code": code,
                    "numeric": numeric,
                    "name": name,
                    "deployments": counted.get(code or "", 0),
                    "vendors": len(vendors.get(code or "", ())),
                },
            }
        )
    for place in places:
        if place.latitude is None or place.longitude is None:
            continue
        features.append(
            {
                "type": "Feature",
                "id": place.id,
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(place.longitude), float(place.latitude)],
                },
                "properties": {
                    "kind": "place",
                    "name": place.name,
                    "place_kind": place.kind,
                    "country": place.country,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def export(view: View, stream: IO[str]) -> dict[str, int]:
    """The collection, written; how many countries and places."""
    found = collection(
        (DeploymentRecord.of(r) for r in view.records_of("Deployment")),
        (PlaceRecord.of(r) for r in view.records_of("Place")),
    )
    stream.write(orjson.dumps(found).decode())
    kinds = Counter(f["properties"]["kind"] for f in found["features"])
    return {"countries": kinds["country"], "places": kinds["place"]}
