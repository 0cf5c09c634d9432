"""Cleaning what datasets write into what Custodiet stores: countries in every spelling
to ISO codes, company names onto one organisation. Every rule is here, in one place,
and every cleaned value keeps its original words (`original_value`); what cannot be read
is refused, never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from custodiet.model.types import EXTRA_COUNTRIES

# Spellings the datasets use that no standard list has, each checked by hand.
COUNTRY_ALIASES = {
    "burma/myanmar": "MM",
    "burma": "MM",
    "ivory coast": "CI",
    "cote d'ivoire": "CI",
    "côte d'ivoire": "CI",
    "uae": "AE",
    "u.a.e.": "AE",
    "south korea": "KR",
    "north korea": "KP",
    "russia": "RU",
    "vietnam": "VN",
    "iran": "IR",
    "syria": "SY",
    "laos": "LA",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    "macedonia": "MK",
    "czech republic": "CZ",
    "taiwan": "TW",
    "palestine": "PS",
    "kosovo": "XK",
    "usa": "US",
    "us": "US",
    "uk": "GB",
    "great britain": "GB",
    "hong kong": "HK",
    "brunei": "BN",
    "turkey": "TR",
    "swaziland": "SZ",
    "cape verde": "CV",
    "the netherlands": "NL",
    "democratic republic of the congo": "CD",
    "republic of the congo": "CG",
}
# Cells the published copies garbled, each fixed by hand (and tested): the value as found
# in the file, and what it stands for.
COUNTRY_FAULTS = {
    # carnegie-aigs-2022-company-level.csv, the United States row: a cleaning script
    # replaced "ed" and "a" inside the name with regime-type labels.
    "unitelectoral democracy states of américlosed autocracy": "US",
    "unitelectoral democracy states of americlosed autocracy": "US",
    # sii-transfers.json: a typo in one record's recipient.
    "norwat": "NO",
}
# Words of a company's name that say nothing of which company it is.
LEGAL_WORDS = frozenset(
    (
        "co", "corp", "corporation", "company", "inc", "incorporated", "ltd", "limited",
        "llc", "plc", "sa", "sas", "srl", "gmbh", "ag", "bv", "nv", "spa", "oy", "ab",
        "group", "holding", "holdings", "technologies", "technology", "systems", "system",
        "solutions", "international", "the",
    )
)  # fmt: skip
NOT_A_COMPANY = frozenset({"mult", "multiple", "various", "unknown", "n/a", "na", "none", "0"})
FUZZY_MIN = 90.0  # rapidfuzz ratio of two normalised names to call them one company
FUZZY_LENGTH = 5  # names shorter than this are matched exactly or not at all


def _key(text: str) -> str:
    return " ".join(text.replace("’", "'").lower().split())


@cache
def _countries() -> dict[str, str]:
    import pycountry

    from custodiet.extract.registry import registry

    index: dict[str, str] = {}
    for key, terms in registry().terms.items():
        for t in terms:
            if t.kind == "country":
                index.setdefault(_key(key), t.ref)
    for c in pycountry.countries:
        for name in (c.alpha_2, c.alpha_3, c.name, getattr(c, "common_name", None),
                     getattr(c, "official_name", None)):  # fmt: skip
            if name:
                index[_key(name)] = c.alpha_2
    index |= {_key(name): code for code, name in EXTRA_COUNTRIES.items()}
    return index | COUNTRY_ALIASES | COUNTRY_FAULTS


def known_fault(raw: str) -> bool:
    """Whether the cell is one of the garbled ones COUNTRY_FAULTS reads."""
    return _key(raw) in COUNTRY_FAULTS


def country_code(raw: str) -> str:
    """The ISO 3166-1 alpha-2 code of a country as a dataset writes it, or ValueError."""
    key = _key(raw)
    if not key:
        raise ValueError("no country")
    found = _countries().get(key) or _countries().get(_key(unicodedata.normalize("NFC", raw)))
    if found is None:
        raise ValueError(f"{raw!r} is not a country name Custodiet can read (see cleaning.py)")
    return found


# Words after a comma that continue a company's name rather than start another's.
_SUFFIX_AFTER_COMMA = re.compile(
    r"\s*,(?!\s*(?:co|corp|inc|ltd|llc|plc|limited|s\.?a|s\.?p\.?a|gmbh|ag|b\.?v|n\.?v)\b)\s*",
    re.IGNORECASE,
)
_JOINED = re.compile(r"\s+(?:and|&)\s+", re.IGNORECASE)


def company_names(cell: str) -> list[str]:
    """The companies a cell names: several where it lists them with commas ("Huawei, ZTE
    and CEIEC"; not "Huawei Technologies Co., Ltd."), a parenthetical remark dropped
    ("Briefcam (US)"), none for "Mult" (several companies, unnamed) or an empty cell.
    Two names joined by "and" outside a list are left joined: "Atos IT Solutions and
    Services" is one company; `VendorResolver.names_in` splits them when it knows both."""
    cell = re.sub(r"\s*\([^)]*\)", "", cell).strip()
    parts = [re.sub(r"^(?:and|&)\s+", "", p.strip()) for p in _SUFFIX_AFTER_COMMA.split(cell)]
    if len(parts) > 1:  # a list: its last item's "and" joins the last two
        parts[-1:] = _JOINED.split(parts[-1])
    return [p.strip() for p in parts if p.strip() and _key(p) not in NOT_A_COMPANY]


def untruncated(name: str) -> str:
    """A name a copy cut short ("Huawei Technologi"), without the word it cut."""
    words = name.split()
    return " ".join(words[:-1]) if len(words) > 1 else name


def normalised(name: str) -> str:
    """A company's name without case, accents, punctuation or legal words."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or name
    plain = re.sub(r"(?<=\w)\.(?=\w)", "", plain).replace("&", " and ")  # C.E.I.E.C, A & B
    words = re.findall(r"[\w+]+", plain.lower())
    kept = [w for w in words if w not in LEGAL_WORDS]
    return " ".join(kept or words)


@dataclass(frozen=True)
class Match:
    id: str
    how: str  # exact, fuzzy or new


@dataclass
class VendorResolver:
    """Company names onto organisations: the store's and the shipped registry's, by their
    names and aliases, exactly (once normalised) or, above FUZZY_MIN, fuzzily; a name that
    matches nothing becomes a new organisation (which `resolve suggest` then weighs)."""

    names: dict[str, str] = field(default_factory=dict)  # normalised name -> org id
    made: dict[str, str] = field(default_factory=dict)  # new orgs, normalised -> id
    stored: set[str] = field(default_factory=set)  # ids the store holds already
    display: dict[str, str] = field(default_factory=dict)  # id -> the name to give it

    def know(self, org_id: str, names: Iterable[str], *, stored: bool) -> None:
        """Names of an organisation: the store's (stored) or the shipped registry's."""
        names = list(names)
        if stored:
            self.stored.add(org_id)
        if names:
            self.display.setdefault(org_id, names[0])
        for name in names:
            self.names.setdefault(normalised(name), org_id)

    def names_in(self, cell: str) -> list[str]:
        """The companies a cell names (`company_names`), "A and B" read as two only
        where both are companies this resolver knows and "A and B" is not one."""
        names: list[str] = []
        for name in company_names(cell):
            parts = _JOINED.split(name)
            known = normalised(name) in self.names
            if len(parts) > 1 and not known and all(normalised(p) in self.names for p in parts):
                names += parts
            else:
                names.append(name)
        return names

    def resolve(self, name: str) -> Match:
        key = normalised(name)
        if key in self.names:
            return Match(self.names[key], "exact")
        if key in self.made:
            return Match(self.made[key], "new")
        if len(key) >= FUZZY_LENGTH:
            from rapidfuzz import fuzz, process

            best = process.extractOne(key, list(self.names), scorer=fuzz.ratio)
            if best and best[1] >= FUZZY_MIN:
                return Match(self.names[best[0]], "fuzzy")
        self.made[key] = new_org_id(name, set(self.names.values()) | set(self.made.values()))
        self.display.setdefault(self.made[key], name)
        return Match(self.made[key], "new")


def new_org_id(name: str, taken: set[str]) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", normalised(name)).strip("-")[:60] or "organisation"
    candidate, n = f"org:{slug}", 2
    while candidate in taken:
        candidate, n = f"org:{slug}-{n}", n + 1
    return candidate
