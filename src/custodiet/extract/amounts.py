"""Money and years in a sentence: `$240 million`, `RMB 850 million`, `Rs.12 billion`,
`5.6 mil millones de pesos`, `98 952 549,45 dollars américains`, `in December 2017`."""

from __future__ import annotations

import re
from dataclasses import dataclass

SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "mil": 1e3,
    "tausend": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "millones": 1e6,
    "millón": 1e6,
    "millon": 1e6,
    "millionen": 1e6,
    "mio": 1e6,
    "milhões": 1e6,
    "milhão": 1e6,
    "lakh": 1e5,
    "crore": 1e7,
    "crores": 1e7,
    "billion": 1e9,
    "billions": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "mil millones": 1e9,
    "milliard": 1e9,
    "milliards": 1e9,
    "milliarden": 1e9,
    "milliarde": 1e9,
    "mrd": 1e9,
    "bilhões": 1e9,
    "bilhão": 1e9,
    "trillion": 1e12,
}
# Currency words and symbols; a list means "decided by the buyer's country".
CURRENCY = {
    "us$": "USD",
    "usd": "USD",
    "$": "USD",
    "dollars": "USD",
    "dollar": "USD",
    "dólares": "USD",
    "dollars américains": "USD",
    "us-dollar": "USD",
    "au$": "AUD",
    "a$": "AUD",
    "aud": "AUD",
    "c$": "CAD",
    "ca$": "CAD",
    "cad": "CAD",
    "nz$": "NZD",
    "hk$": "HKD",
    "s$": "SGD",
    "r$": "BRL",
    "reais": "BRL",
    "brl": "BRL",
    "mx$": "MXN",
    "€": "EUR",
    "eur": "EUR",
    "euros": "EUR",
    "euro": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "pounds": "GBP",
    "¥": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
    "yuan": "CNY",
    "renminbi": "CNY",
    "yen": "JPY",
    "jpy": "JPY",
    "₹": "INR",
    "inr": "INR",
    "pkr": "PKR",
    "kes": "KES",
    "ksh": "KES",
    "kshs": "KES",
    "sh": "KES",
    "₱": "PHP",
    "p": "PHP",
    "php": "PHP",
    "rand": "ZAR",
    "zar": "ZAR",
    "naira": "NGN",
    "ngn": "NGN",
    "₦": "NGN",
    "dirhams": "AED",
    "aed": "AED",
    "riyals": "SAR",
    "sar": "SAR",
    "ugx": "UGX",
    "tzs": "TZS",
    "etb": "ETB",
    "birr": "ETB",
    "chf": "CHF",
    "francs": "CHF",
    "rs": "RUPEE",
    "rs.": "RUPEE",
    "rupees": "RUPEE",
    "rupee": "RUPEE",
    "pesos": "PESO",
    "peso": "PESO",
    "mxn": "MXN",
    "ars": "ARS",
    "clp": "CLP",
    "cop": "COP",
    "shillings": "SHILLING",
    "soles": "PEN",
    "rubles": "RUB",
    "roubles": "RUB",
    "rub": "RUB",
}
BY_COUNTRY = {
    "RUPEE": {"PK": "PKR", "LK": "LKR", "NP": "NPR", "MU": "MUR", "SC": "SCR", None: "INR"},
    "PESO": {
        "AR": "ARS",
        "CL": "CLP",
        "CO": "COP",
        "PH": "PHP",
        "UY": "UYU",
        "DO": "DOP",
        "CU": "CUP",
        None: "MXN",
    },
    "SHILLING": {"UG": "UGX", "TZ": "TZS", "SO": "SOS", None: "KES"},
}

_PREFIX = (
    r"(?P<pre>us\$|u\.s\.\$|au\$|a\$|ca\$|c\$|nz\$|hk\$|s\$|r\$|mx\$|\$|€|£|¥|₹|₱|₦|"
    r"usd|eur|gbp|rmb|cny|inr|pkr|kes|kshs|ksh|php|aud|cad|jpy|zar|ngn|aed|chf|"
    r"rs\.?|p(?=\d))"
)
_NUMBER = r"(?P<num>\d{1,3}(?:[ ,.\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
_SCALE = (
    r"(?:[\s-]?(?P<scale>mil millones|milliards?|milliarden?|millions?|millones|millón|"
    r"millon|millionen|milhões|milhão|bilhões|bilhão|billions?|trillion|thousand|tausend|"
    r"crores?|lakh|mln|mio|mrd|bn|mn|m|b|k|mil)\b\.?)?"
)
_SUFFIX = (
    r"(?:\s*(?:de\s+|in\s+)?(?P<post>dollars américains|dólares|dollars?|euros?|"
    r"pounds|yuan|renminbi|rupees?|pesos?|shillings|rand|naira|dirhams|riyals|reais|"
    r"soles|roubles|rubles|francs|yen|birr|us-dollar)\b)?"
)
PREFIXED = re.compile(rf"{_PREFIX}\s?{_NUMBER}{_SCALE}{_SUFFIX}", re.IGNORECASE)
SUFFIXED = re.compile(rf"{_NUMBER}{_SCALE}{_SUFFIX[:-1]}", re.IGNORECASE)  # suffix required
YEAR = re.compile(r"(?<![\d,.$])(19[89]\d|20[0-4]\d)(?!\d|,\d)")
YEAR_CONTEXT = re.compile(
    r"(?:\b(?:in|on|since|by|en|em|im|dated|de|of|year)\s+(?:\w+\s+)?(?:\d{1,2},?\s+)?|"
    r"(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|enero|febrero|marzo|abril|"
    r"mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)\.?\s+(?:\d{1,2},?\s+)?)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Money:
    start: int
    end: int
    value: float
    currency: str | None  # ISO 4217, or RUPEE / PESO / SHILLING until the buyer is known

    def iso_currency(self, buyer: str | None) -> str | None:
        table = BY_COUNTRY.get(self.currency or "")
        if table is None:
            return self.currency
        return table.get(buyer, table[None])


def _number(raw: str, scaled: bool) -> float | None:
    raw = raw.replace("\u202f", " ")
    if " " in raw:  # 98 952 549,45: spaces group thousands, a comma is the decimal mark
        raw = raw.replace(" ", "").replace(",", ".")
    elif "," in raw and "." in raw:
        decimal = "," if raw.rfind(",") > raw.rfind(".") else "."
        raw = raw.replace("." if decimal == "," else ",", "").replace(",", ".")
    elif "," in raw:
        head, _, tail = raw.rpartition(",")
        raw = raw.replace(",", "") if len(tail) == 3 and not scaled else f"{head}.{tail}"
    elif raw.count(".") > 1 or (raw.count(".") == 1 and len(raw.split(".")[1]) == 3 and not scaled):
        raw = raw.replace(".", "")
    try:
        return float(raw)
    except ValueError:
        return None


def find_money(text: str, start: int, end: int) -> list[Money]:
    found: list[Money] = []
    taken: set[int] = set()  # positions inside an amount read already
    matches = [*PREFIXED.finditer(text, start, end), *SUFFIXED.finditer(text, start, end)]
    for m in matches:
        if m.start() in taken:
            continue  # the prefixed reading of the same amount came first
        currency_word = (m.groupdict().get("pre") or m.group("post") or "").lower()
        currency = CURRENCY.get(currency_word.rstrip(".") if currency_word != "rs." else "rs")
        scale = (m.group("scale") or "").lower().rstrip(".")
        number = _number(m.group("num"), bool(scale))
        if currency is None or number is None:
            continue
        if scale in ("m", "b", "k") and not m.group("pre"):
            continue  # "5 m" without a currency sign is more likely metres
        found.append(Money(m.start(), m.end(), number * SCALES.get(scale, 1.0), currency))
        taken.update(range(m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


def find_year(text: str, start: int, end: int) -> int | None:
    """The first year the sentence places an event in (`in 2017`, `December 30, 2021`)."""
    for m in YEAR.finditer(text, start, end):
        if YEAR_CONTEXT.search(text, max(start, m.start() - 30), m.start()):
            return int(m.group())
    return None
