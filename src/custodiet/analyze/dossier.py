"""Due-diligence reports on a vendor, a country or a project, as data: the summary, the
deployments grouped (by buyer country and its regime type, or by vendor), restrictions
and sanctions, financing, how well each fact is corroborated, and a numbered note for
every claim with its source, date and quote. `render.report` lays it out as HTML or PDF.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from custodiet.analyze.deployments import deployments
from custodiet.analyze.entity import entity_view
from custodiet.analyze.index import country_index
from custodiet.analyze.summary import (
    Summary,
    corroboration,
    country_summary,
    deployment_sentence,
    project_summary,
    vendor_summary,
)
from custodiet.analyze.wording import country, plural
from custodiet.model.errors import DataError
from custodiet.model.filters import Filters
from custodiet.model.records import DeploymentRecord
from custodiet.model.schemata import schema
from custodiet.store.view import View

Kind = Literal["vendor", "country", "project"]
KINDS: tuple[Kind, ...] = ("vendor", "country", "project")
REGIMES = schema("Country").get("regime").value_labels


class NoSuchSubjectError(DataError):
    """No vendor, country or project of that id."""


@dataclass(slots=True)
class Note:
    number: int
    source: str  # publisher or title
    title: str | None
    published: str | None
    url: str | None
    quote: str | None
    dataset: str
    origin: str | None

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


@dataclass(slots=True)
class Claim:
    text: str
    support: str  # corroboration in words
    notes: list[int]
    href: str | None = None


@dataclass(slots=True)
class Group:
    heading: str
    detail: str | None
    claims: list[Claim]


@dataclass(slots=True)
class Dossier:
    kind: Kind
    id: str
    title: str
    summary: Summary
    groups: list[Group]
    restrictions: list[Claim]
    financing: list[Claim]
    evidence: list[Claim]  # what the sources say of the subject itself
    corroborated: dict[str, int]  # how many deployments rest on one source, on several
    regimes: dict[str, int]
    index: dict[str, Any] | None
    charts: dict[str, Filters]  # chart name -> the deployments it draws
    notes: list[Note] = field(default_factory=list)
    datasets: list[str] = field(default_factory=list)


class Notes:
    """Numbers each distinct (source, quote) once, in the order claims cite them."""

    def __init__(self) -> None:
        self.found: dict[tuple[str, str | None, str | None], Note] = {}

    def cite(self, evidence: Sequence[dict[str, Any]]) -> list[int]:
        out = []
        for e in evidence:
            key = (e["source_id"], e.get("quote"), e.get("origin") if not e.get("quote") else None)
            note = self.found.get(key)
            if note is None:
                note = Note(
                    len(self.found) + 1,
                    e.get("publisher") or e.get("source_title") or e["dataset"],
                    e.get("source_title"),
                    e.get("published"),
                    e.get("source_url"),
                    e.get("quote"),
                    e["dataset"],
                    e.get("origin"),
                )
                self.found[key] = note
            out.append(note.number)
        return sorted(set(out))


def dossier(view: View, kind: Kind, subject: str) -> Dossier:
    """The report on `subject`: a vendor's slug or id, a country's code, a project's slug
    or id."""
    if kind == "vendor":
        return _vendor(view, _id("org", subject))
    if kind == "country":
        return _country(view, subject.split(":", 1)[-1].upper())
    if kind == "project":
        return _project(view, _id("project", subject))
    raise NoSuchSubjectError(f"no report of kind {kind!r}: choose one of {', '.join(KINDS)}")


def _id(prefix: str, subject: str) -> str:
    return subject if subject.startswith(f"{prefix}:") else f"{prefix}:{subject}"


def _vendor(view: View, entity_id: str) -> Dossier:
    entity = entity_view(view, entity_id, ("Restriction",))
    if entity is None:
        raise NoSuchSubjectError(f"no vendor {entity_id}")
    rows = deployments(view, Filters(vendor=entity["id"]))
    regime_of = view.values_of("Country", "regime")

    def regime(code: str | None) -> str:
        return REGIMES.get(regime_of.get(f"country:{code}", ""), "unknown")

    by_regime = Counter(regime(d.buyer_country) for d in rows)
    restrictions = [r for r in entity["referenced_by"] if r["schema"] == "Restriction"]
    build = Builder(view, "vendor", entity, rows, restrictions)
    report = build.report
    report.summary = vendor_summary(entity, rows, dict(by_regime), restrictions)
    report.regimes = dict(by_regime.most_common())
    report.charts = {"regimes": Filters(vendor=entity["id"]), "years": Filters(vendor=entity["id"])}
    by_country: dict[str, list[DeploymentRecord]] = defaultdict(list)
    for d in rows:
        by_country[d.buyer_country or ""].append(d)
    for c in sorted(by_country, key=lambda c: (-len(by_country[c]), country(c))):
        heading = country(c) or "Buyer country not named"
        build.group(heading, f"regime type: {regime(c)}", by_country[c])
    return build.finish()


def _country(view: View, code: str) -> Dossier:
    entity = entity_view(view, f"country:{code}", ("Project", "Restriction"))
    rows = deployments(view, Filters(buyer_country=code))
    if entity is None and not rows:
        raise NoSuchSubjectError(f"no country {code}")
    entity = entity or {"id": f"country:{code}", "caption": country(code), "properties": {},
                        "referenced_by": [], "datasets": []}  # fmt: skip
    props = entity["properties"]
    regime = (props.get("regime") or [{}])[0]
    year = (props.get("regime_year") or [{}])[0].get("value")
    shown = {"label": regime.get("label"), "year": year} if regime else None
    refs = entity["referenced_by"]
    projects = [r for r in refs if r["schema"] == "Project"]
    restrictions = [r for r in refs if r["schema"] == "Restriction"]
    build = Builder(view, "country", entity, rows, restrictions)
    report = build.report
    report.title = country(code)
    report.summary = country_summary(code, shown, rows, projects, restrictions)
    report.index = country_index(code, regime.get("value"), rows).to_dict() if rows else None
    report.charts = {"years": Filters(buyer_country=code)}
    by_vendor: dict[str, list[DeploymentRecord]] = defaultdict(list)
    for d in rows:
        by_vendor[d.vendor_name or ""].append(d)
    for v in sorted(by_vendor, key=lambda v: (-len(by_vendor[v]), v)):
        build.group(v or "Vendor not named", plural(len(by_vendor[v]), "deployment"), by_vendor[v])
    return build.finish()


def _project(view: View, entity_id: str) -> Dossier:
    entity = entity_view(view, entity_id, ("Restriction",))
    if entity is None:
        raise NoSuchSubjectError(f"no project {entity_id}")
    rows = deployments(view, Filters(project=entity["id"]))
    build = Builder(view, "project", entity, rows, [])
    build.report.summary = project_summary(entity, rows)
    if rows:
        build.group("Deployments", None, rows)
    props = entity["properties"]
    own = [
        build.claim(f"{_prop_label(entity, prop)}: {v.get('label') or v['value']}", v["evidence"])
        for prop in ("financing", "financier")
        for v in props.get(prop, [])
    ]
    build.report.financing[:0] = own
    return build.finish()


def _prop_label(entity: dict[str, Any], prop: str) -> str:
    return str(entity.get("property_labels", {}).get(prop, prop))


def _sources(evidence: Sequence[dict[str, Any]]) -> int:
    return len({e["source_id"] for e in evidence})


def _href(d: DeploymentRecord) -> str:
    return f"/deployments/{d.id.split(':', 1)[1]}"


class Builder:
    """Assembles one report: reads the evidence of its deployments and restrictions in
    one go, and numbers the notes as claims cite them. The parts every report has (the
    subject's own evidence, its restrictions, the financing of its deployments, their
    corroboration) are made at once."""

    def __init__(
        self,
        view: View,
        kind: Kind,
        entity: dict[str, Any],
        rows: Sequence[DeploymentRecord],
        restrictions: Sequence[dict[str, Any]],
    ) -> None:
        self.notes = Notes()
        self.found = view.evidence_of([d.id for d in rows] + [r["id"] for r in restrictions])
        self.report = Dossier(
            kind=kind,
            id=entity["id"],
            title=entity["caption"],
            summary=Summary(""),
            groups=[],
            restrictions=[],
            financing=[],
            evidence=[],
            corroborated={
                "one source": sum(1 for d in rows if d.support < 2),
                "several sources": sum(1 for d in rows if d.support >= 2),
            },
            regimes={},
            index=None,
            charts={},
            datasets=sorted({*entity["datasets"], *(x for d in rows for x in d.datasets)}),
        )
        for prop, values in entity["properties"].items():
            label = _prop_label(entity, prop)
            for v in values:
                self.report.evidence.append(
                    self.claim(f"{label}: {v.get('label') or v['value']}", v["evidence"])
                )
        for r in restrictions:
            self.report.restrictions.append(self.claim(r["caption"], self.found.get(r["id"], [])))
        for d in rows:
            if d.financing or d.financier:
                cited = [
                    e for e in self.found.get(d.id, []) if e["prop"] in ("financing", "financier")
                ]
                who = ", ".join(d.labels.get(f, f) for f in d.financier)
                text = deployment_sentence(d) + (f" Financier: {who}." if who else "")
                self.report.financing.append(self.claim(text, cited, d))

    def claim(
        self, text: str, evidence: Sequence[dict[str, Any]], d: DeploymentRecord | None = None
    ) -> Claim:
        support = d.support if d is not None else _sources(evidence)
        return Claim(
            text, corroboration(support), self.notes.cite(evidence), _href(d) if d else None
        )

    def group(self, heading: str, detail: str | None, rows: Sequence[DeploymentRecord]) -> None:
        claims = [self.claim(deployment_sentence(d), self.found.get(d.id, []), d) for d in rows]
        self.report.groups.append(Group(heading, detail, claims))

    def finish(self) -> Dossier:
        self.report.notes = list(self.notes.found.values())
        return self.report
