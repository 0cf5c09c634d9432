"""Plain-language summaries built from a page's facts: the answer a reader came for
(what, where, who sold it, when, for how much, financed by whom), written in words,
with values that sources disagree on kept side by side with their sources.

Each summary is a `Summary`: one paragraph of text, and the key facts as (question,
answer) pairs that a page shows under it before the evidence."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from custodiet.analyze.wording import (
    alternatives,
    country,
    listing,
    money,
    plural,
    possessive,
    technology,
)
from custodiet.model.records import DeploymentRecord

VERBS = {
    "announced": "was announced as the supplier of",
    "contracted": "was contracted to supply",
    "operational": "supplied, in operation,",
    "cancelled": "was to supply (cancelled)",
}
AUTOCRACIES = ("closed autocracy", "electoral autocracy")


@dataclass(slots=True)
class Summary:
    text: str
    facts: list[dict[str, str]] = field(default_factory=list)  # {"question", "answer"}

    def add(self, question: str, answer: str | None) -> None:
        if answer:
            self.facts.append({"question": question, "answer": answer})

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "facts": self.facts}


def lower_first(text: str) -> str:
    """ "Safe city and CCTV" as it reads inside a sentence; acronyms ("ID …") kept."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def technologies_phrase(codes: Sequence[str]) -> str:
    return listing(lower_first(technology(c)) for c in codes) or "surveillance technology"


def corroboration(sources: int) -> str:
    """How well a fact is supported, in words."""
    if sources >= 2:
        return f"corroborated by {sources} sources"
    return "one source" if sources == 1 else "no source"


def where(d: DeploymentRecord) -> str:
    """ "National Police in Quito, Ecuador"."""
    buyer = d.buyer_name or d.buyer_agency
    places = ", ".join(
        x for x in (d.buyer_city or d.buyer_region, country(d.buyer_country, article=True)) if x
    )
    if buyer and places:
        return f"{buyer} in {places}"
    return buyer or places or "a buyer not named"


def deployment_sentence(d: DeploymentRecord) -> str:
    """One deployment in a sentence: "Huawei Technologies was contracted to supply safe
    city and CCTV to Quito, Ecuador, in 2011, financed by a Chinese state loan."."""
    vendor = d.vendor_name or "A vendor not named"
    verb = VERBS.get(d.status or "", "supplied")
    parts = [f"{vendor} {verb} {technologies_phrase(d.technology)} to {where(d)}"]
    if d.year:
        years = d.years or [d.year]
        parts.append(f"in {d.year}" if len(years) == 1 else f"from {years[0]} to {years[-1]}")
    if d.value:
        parts.append(f"valued at {money(d.value, d.currency)}")
    if d.financing:
        parts.append(f"financed by {d.financing}")
    return ", ".join(parts) + "."


def deployment_summary(entity: dict[str, Any], d: DeploymentRecord) -> Summary:
    props = entity["properties"]
    text = deployment_sentence(d)
    if props.get("value") and len(props["value"]) > 1:
        text += f" Its value differs between sources: {_money_alternatives(props)}."
    summary = Summary(text)
    summary.add("Vendor", d.vendor_name)
    summary.add("Buyer", where(d))
    summary.add("Technology", listing(d.technology_labels))
    summary.add("When", _years(d.years))
    summary.add("Value", _money_alternatives(props) if props.get("value") else None)
    summary.add("Financing", alternatives(props["financing"]) if props.get("financing") else None)
    summary.add("Support", corroboration(d.support))
    return summary


def project_summary(entity: dict[str, Any], rows: Sequence[DeploymentRecord]) -> Summary:
    """ "Ecuador's ECU-911: a safe city and CCTV system in Quito supplied by CEIEC and
    Huawei from 2011, valued at $200 M (Modern Diplomacy) or $240 M (Foreign Policy,
    AidData), financed by …"."""
    props = entity["properties"]
    code = _value(props, "country") or next(
        (d.buyer_country for d in rows if d.buyer_country), None
    )
    techs = [v["value"] for v in props.get("technology", [])] or _common_techs(rows)
    vendors = [v.get("label") or v["value"] for v in props.get("vendor", [])]
    vendors += [d.vendor_name for d in rows if d.vendor_name]
    years = sorted(
        {int(v["value"]) for v in props.get("year", [])} | {y for d in rows for y in d.years}
    )
    name = entity["caption"]
    head = f"{possessive(country(code))} {name}" if code else name
    place = _value(props, "place")
    parts = [f"{head}: a {technologies_phrase(techs)} system" + (f" in {place}" if place else "")]
    if vendors:
        parts[-1] += f" supplied by {listing(vendors)}"
    if years:
        parts[-1] += f" from {years[0]}"
    if props.get("value"):
        parts.append(f"valued at {_money_alternatives(props)}")
    if props.get("financing"):
        parts.append(f"financed by {alternatives(props['financing'])}")
    text = ", ".join(parts) + "."
    described = _value(props, "description")
    if described:
        text += f" {described.rstrip('.')}."
    summary = Summary(text)
    summary.add("What", listing(technology(t) for t in techs))
    summary.add("Where", ", ".join(x for x in (place, country(code)) if x))
    summary.add("Supplied by", listing(vendors))
    summary.add("When", _years(years))
    summary.add("Value", _money_alternatives(props) if props.get("value") else None)
    summary.add("Financing", alternatives(props["financing"]) if props.get("financing") else None)
    summary.add(
        "Financed by", listing(v.get("label") or v["value"] for v in props.get("financier", []))
    )
    summary.add("Deployments", plural(len(rows), "deployment"))
    return summary


def vendor_summary(
    entity: dict[str, Any],
    rows: Sequence[DeploymentRecord],
    by_regime: dict[str, int],
    restrictions: Sequence[dict[str, Any]],
) -> Summary:
    props = entity["properties"]
    name = entity["caption"]
    about = []
    hq = _value(props, "country")
    if hq:
        about.append(f"headquartered in {country(hq, article=True)}")
    if _value(props, "state_owned") == "true":
        about.append("state-owned")
    parent = props.get("parent")
    if parent:
        about.append(f"part of {parent[0].get('label') or parent[0]['value']}")
    head = f"{name} ({'; '.join(about)})" if about else name
    countries = Counter(d.buyer_country for d in rows if d.buyer_country)
    years = sorted({y for d in rows for y in d.years})
    if not rows:
        text = f"{head}: no documented deployments."
    else:
        text = (
            f"{head} has {plural(len(rows), 'documented deployment')} in "
            f"{plural(len(countries), 'country', 'countries')}"
            + (f", {_span(years)}" if years else "")
            + f", most often {_top_techs(rows)}."
        )
        autocratic = sum(n for label, n in by_regime.items() if label in AUTOCRACIES)
        if autocratic:
            share = round(100 * autocratic / len(rows))
            text += (
                f" {autocratic:,} of them ({share}%) are in countries V-Dem classes as autocracies."
            )
        text += " " + _support(rows)
    if restrictions:
        # A restriction's caption names its authority, then its target: this vendor.
        by = (r["caption"].removesuffix(f" · {name}") for r in restrictions)
        text += f" {plural(len(restrictions), 'restriction')} recorded: {_some(by)}."
    summary = Summary(text)
    summary.add("Headquarters", country(hq) if hq else None)
    summary.add("Deployments", plural(len(rows), "deployment") if rows else None)
    summary.add("Countries", _some((country(c) for c, _n in countries.most_common()), 8))
    summary.add("Years", _years(years))
    summary.add(
        "Restrictions",
        plural(len(restrictions), "restriction") if restrictions else "none recorded",
    )
    return summary


def country_summary(
    code: str,
    regime: dict[str, Any] | None,
    rows: Sequence[DeploymentRecord],
    projects: Sequence[dict[str, Any]],
    restrictions: Sequence[dict[str, Any]],
) -> Summary:
    name = country(code)
    head = name
    if regime and regime.get("label"):
        label = regime["label"]
        head = f"{name}, {_article(label)} {label} ({regime.get('year') or 'V-Dem'})"
    vendors = Counter(d.vendor_name for d in rows if d.vendor_name)
    years = sorted({y for d in rows for y in d.years})
    if not rows:
        text = f"{head}: no documented deployments."
    else:
        top = listing(f"{v} ({n})" for v, n in vendors.most_common(3))
        text = (
            f"{head}: {plural(len(rows), 'documented deployment')}"
            + (f" since {years[0]}" if years else "")
            + (
                f" from {plural(len(vendors), 'vendor')}, the most documented {top}"
                if vendors
                else ""
            )
            + f"; most often {_top_techs(rows)}. "
            + _support(rows)
        )
    if projects:
        named = _some(p["caption"] for p in projects)
        text += f" {plural(len(projects), 'project')} recorded: {named}."
    if restrictions:
        text += f" Restrictions: {_some(r['caption'] for r in restrictions)}."
    summary = Summary(text)
    summary.add(
        "Regime type",
        f"{regime['label']} ({regime.get('year')})" if regime and regime.get("label") else None,
    )
    summary.add("Deployments", plural(len(rows), "deployment") if rows else None)
    summary.add("Vendors", _some((v for v, _n in vendors.most_common()), 8))
    summary.add("Since", str(years[0]) if years else None)
    return summary


def _some(items: Iterable[str], shown: int = 3) -> str:
    """The first few of a list, and how many more."""
    found = list(items)
    if len(found) <= shown:
        return listing(found)
    return f"{', '.join(found[:shown])} and {len(found) - shown} more"


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _value(props: dict[str, Any], prop: str) -> str | None:
    found = props.get(prop)
    return str(found[0]["value"]) if found else None


def _money_alternatives(props: dict[str, Any]) -> str:
    currency = _value(props, "currency")
    return alternatives(props["value"], lambda v: money(v, currency))


def _years(years: Sequence[int]) -> str | None:
    if not years:
        return None
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def _span(years: Sequence[int]) -> str:
    return f"in {years[0]}" if len(years) == 1 else f"from {years[0]} to {years[-1]}"


def _common_techs(rows: Sequence[DeploymentRecord]) -> list[str]:
    counted = Counter(t for d in rows for t in d.technology)
    return [t for t, _n in counted.most_common(3)]


def _top_techs(rows: Sequence[DeploymentRecord]) -> str:
    counted = Counter(t for d in rows for t in d.technology)
    return (
        listing(f"{lower_first(technology(t))} ({n:,})" for t, n in counted.most_common(3))
        or "technology not named"
    )


def _support(rows: Sequence[DeploymentRecord]) -> str:
    several = sum(1 for d in rows if d.support >= 2)
    return (
        f"{several:,} of {len(rows):,} rest on more than one independent source; "
        f"{len(rows) - several:,} on one."
    )
