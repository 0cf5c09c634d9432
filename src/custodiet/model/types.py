"""Value types: each one validates a raw value and returns its canonical string.

Statement values are stored as strings (as in FollowTheMoney); the canonical form
makes the same fact from two files compare equal, and so share a statement id.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from typing import Any
from urllib.parse import urlsplit

from custodiet.model.taxonomy import technologies

ENTITY_ID = re.compile(r"^[a-z]+:[A-Za-z0-9][A-Za-z0-9._-]*$")
# Codes outside ISO 3166-1 that sources use for buyers: the EU's agencies, Kosovo.
EXTRA_COUNTRIES = {"EU": "European Union", "XK": "Kosovo"}
MAX_STRING = 500
MAX_TEXT = 20_000

Normaliser = Callable[[Any], str]


def _text(raw: Any, limit: int, *, single_line: bool) -> str:
    if not isinstance(raw, str | int | float) or isinstance(raw, bool):
        raise ValueError(f"expected text, got {type(raw).__name__}")
    value = " ".join(str(raw).split()) if single_line else str(raw).strip()
    if not value:
        raise ValueError("must not be empty")
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    if len(value) > limit:
        raise ValueError(f"longer than {limit} characters")
    return value


def string(raw: Any) -> str:
    return _text(raw, MAX_STRING, single_line=True)


def text(raw: Any) -> str:
    return _text(raw, MAX_TEXT, single_line=False)


@cache
def _country_index() -> dict[str, str]:
    import pycountry

    index: dict[str, str] = {code.lower(): code for code in EXTRA_COUNTRIES}
    index.update({name.lower(): code for code, name in EXTRA_COUNTRIES.items()})
    for c in pycountry.countries:
        for name in (c.alpha_2, c.alpha_3, c.name, getattr(c, "common_name", None)):
            if name:
                index[name.lower()] = c.alpha_2
    return index


def country(raw: Any) -> str:
    """An ISO 3166-1 country: alpha-2, alpha-3 or English name in; alpha-2 out."""
    key = string(raw).lower()
    code = _country_index().get(key)
    if code is None:
        raise ValueError(f"{raw!r} is not an ISO 3166-1 country code")
    return code


@lru_cache(maxsize=1024)
def country_name(code: str) -> str:
    import pycountry

    if code in EXTRA_COUNTRIES:
        return EXTRA_COUNTRIES[code]
    found = pycountry.countries.get(alpha_2=code)
    if found is None:
        return code
    return str(getattr(found, "common_name", None) or found.name)


def currency(raw: Any) -> str:
    import pycountry

    code = string(raw).upper()
    if len(code) != 3 or pycountry.currencies.get(alpha_3=code) is None:
        raise ValueError(f"{raw!r} is not an ISO 4217 currency code")
    return code


def year(raw: Any) -> str:
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise ValueError(f"{raw!r} is not a year") from None
    if isinstance(raw, bool) or not 1800 <= value <= 2100:
        raise ValueError(f"{raw!r} is not a year between 1800 and 2100")
    return str(value)


def amount(raw: Any) -> str:
    """A non-negative decimal amount, written without exponent or trailing zeros."""
    if isinstance(raw, bool):
        raise ValueError(f"{raw!r} is not an amount")
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ValueError(f"{raw!r} is not an amount") from None
    if not value.is_finite():
        raise ValueError(f"{raw!r} is not a finite amount")
    if value < 0:
        raise ValueError(f"amount must not be negative, got {raw!r}")
    return format(value.normalize(), "f")


def _degrees(raw: Any, limit: int, what: str) -> str:
    try:
        value = None if isinstance(raw, bool) else Decimal(str(raw).strip())
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) > limit:
        raise ValueError(f"{raw!r} is not a {what} in decimal degrees (-{limit} to {limit})")
    return format(value.normalize() + 0, "f")  # + 0 turns -0 into 0


def latitude(raw: Any) -> str:
    """Decimal degrees north (negative: south)."""
    return _degrees(raw, 90, "latitude")


def longitude(raw: Any) -> str:
    """Decimal degrees east (negative: west)."""
    return _degrees(raw, 180, "longitude")


def date(raw: Any) -> str:
    """An ISO 8601 date, possibly partial: YYYY, YYYY-MM or YYYY-MM-DD."""
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    value = string(raw)
    for fmt, width in (("%Y-%m-%d", 10), ("%Y-%m", 7), ("%Y", 4)):
        try:
            dt.datetime.strptime(value, fmt)
        except ValueError:
            continue
        if len(value) == width:
            return value
    raise ValueError(f"{raw!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")


def url(raw: Any) -> str:
    value = string(raw)
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
        raise ValueError(f"{raw!r} is not an http(s) URL")
    return value


def boolean(raw: Any) -> str:
    if isinstance(raw, bool):
        return "true" if raw else "false"
    value = string(raw).lower()
    if value in ("true", "yes", "1"):
        return "true"
    if value in ("false", "no", "0"):
        return "false"
    raise ValueError(f"{raw!r} is not true or false")


def entity(raw: Any) -> str:
    value = string(raw)
    if not ENTITY_ID.match(value):
        raise ValueError(f"{raw!r} is not an entity id such as org:huawei")
    return value


def technology(raw: Any) -> str:
    value = string(raw)
    if value not in technologies():
        known = ", ".join(technologies())
        raise ValueError(f"{raw!r} is not a technology code (one of {known})")
    return value


NORMALISERS: dict[str, Normaliser] = {
    "string": string,
    "text": text,
    "country": country,
    "currency": currency,
    "year": year,
    "amount": amount,
    "latitude": latitude,
    "longitude": longitude,
    "date": date,
    "url": url,
    "boolean": boolean,
    "entity": entity,
    "technology": technology,
    "enum": string,  # the allowed values are checked by the property
}
