"""Values as a reader reads them: countries by name, technologies by label, money as
"$240 M", lists as "A, B and C", and a source cited by its publisher's name."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from custodiet.model.datasets import catalogue
from custodiet.model.schemata import Schema
from custodiet.model.taxonomy import technologies
from custodiet.model.types import country_name

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "CNY": "CN¥", "JPY": "¥", "INR": "₹"}
SCALES = ((Decimal(10) ** 9, "bn"), (Decimal(10) ** 6, "M"))
# Written before a country's name ("the Philippines"), as English does.
WITH_THE = frozenset(
    {"AE", "BS", "CD", "CF", "CG", "CZ", "DO", "GB", "GM", "KM", "KY", "MH", "NL", "PH", "SB",
     "SC", "US", "VA"}
)  # fmt: skip


def money(value: str | None, currency: str | None) -> str | None:
    """240000000 USD as "$240 M", 1500000000 EUR as "€1.5 bn", 35000 as "35,000"; None
    when there is no value."""
    if not value:
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        return value
    text = f"{amount:,.0f}"
    for scale, word in SCALES:
        if abs(amount) >= scale:
            text = f"{(amount / scale).quantize(Decimal('0.1')).normalize():f} {word}"
            break
    symbol = SYMBOLS.get(currency or "")
    if symbol:
        return f"{symbol}{text}"
    return f"{text} {currency}" if currency else text


def technology(code: str) -> str:
    found = technologies().get(code)
    return found.label if found else code.replace("_", " ")


def country(code: str | None, *, article: bool = False) -> str:
    """A country's name; with `article`, as it reads inside a sentence ("the Philippines")."""
    if not code:
        return ""
    name = country_name(code)
    return f"the {name}" if article and code.upper() in WITH_THE else name


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def listing(items: Iterable[str], conjunction: str = "and") -> str:
    """ "A", "A and B", "A, B and C"; each item once, in order."""
    found = list(dict.fromkeys(i for i in items if i))
    if len(found) < 2:
        return "".join(found)
    return f"{', '.join(found[:-1])} {conjunction} {found[-1]}"


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else many or word + 's'}"


def value_label(sch: Schema, prop: str, value: str, labels: dict[str, str]) -> str | None:
    """What a reader sees for a stored value, or None where the value reads as it is."""
    if prop not in sch.properties:
        return None
    p = sch.get(prop)
    if p.type == "entity":
        return labels.get(value)
    if p.type == "country":
        return country_name(value)
    if p.type == "technology":
        return technology(value)
    if p.type == "amount":
        return money(value, None)
    if p.type == "boolean":
        return "yes" if value == "true" else "no"
    return p.label_of(value)


def cited_by(evidence: Sequence[dict[str, Any]]) -> str:
    """The publishers (or titles, or datasets) behind a value: "Foreign Policy, AidData"."""
    return listing(_source_name(e) for e in evidence).replace(" and ", ", ")


def _source_name(e: dict[str, Any]) -> str:
    if e.get("dataset") and e["dataset"] != "custodiet":
        known = catalogue().get(e["dataset"])
        return e.get("publisher") or (known.title if known else e["dataset"])
    return str(e.get("publisher") or e.get("source_title") or "a source")


def alternatives(values: Sequence[dict[str, Any]], shown: Any = None) -> str:
    """One value as it reads, or several side by side, each with its sources: "$200 M
    (Modern Diplomacy) or $240 M (Foreign Policy, AidData)"."""

    def word(v: dict[str, Any]) -> str:
        return str(shown(v["value"]) if shown else v.get("label") or v["value"])

    if len(values) == 1:
        return word(values[0])
    return listing((f"{word(v)} ({cited_by(v['evidence'])})" for v in values), "or")
