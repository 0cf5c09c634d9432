"""The registry: vendors, places and cue words as data, compiled into one automaton.

What the extractor recognises comes from the YAML files beside this module, plus the
organisations a database holds (`Known`: imported or accepted ones, with their names
and aliases, under the ids that answer for them); pycountry adds the country names in
English, Spanish, French, Portuguese and German. A shipped vendor `huawei` is the
organisation `org:huawei`: one list, one id.
"""

from __future__ import annotations

import gettext
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import ahocorasick

from custodiet.extract import places as world_places
from custodiet.extract.places import russian_forms
from custodiet.model.records import OrganizationRecord
from custodiet.model.yamlfast import load_yaml

LANGUAGES = ("es", "fr", "pt", "de", "nl", "ru")


@dataclass(frozen=True)
class Vendor:
    id: str  # the organisation's entity id, org:…
    name: str
    country: str  # headquarters, ISO alpha-2; empty when unknown
    tech: tuple[str, ...] = ()
    parent: str | None = None
    state_owned: bool | None = None


@dataclass(frozen=True, order=True)
class Known:
    """An organisation a database holds, as the extractor needs it."""

    id: str  # the id that answers for it
    names: tuple[str, ...]  # its name, then its aliases
    country: str | None = None
    role: str | None = None
    members: tuple[str, ...] = ()  # ids merged into it

    @property
    def financier(self) -> bool:
        return self.role == "financier"


MIN_NAME = 3  # shorter names of stored organisations would match too much


def known(records: Sequence[OrganizationRecord]) -> list[Known]:
    """What the extractor needs of a database's organisations."""
    return [
        Known(
            id=r.id,
            names=tuple(r.names),
            country=r.country,
            role=r.role,
            members=tuple(r.members),
        )
        for r in records
    ]


@dataclass(frozen=True)
class Term:
    """What a matched phrase means: kind (vendor, country, cue:deal…), ref, exact forms."""

    kind: str
    ref: str
    exact: frozenset[str] | None = None  # None: any case matches


@dataclass
class Registry:
    vendors: dict[str, Vendor] = field(default_factory=dict)
    financiers: dict[str, str] = field(default_factory=dict)  # id -> name
    org_words: frozenset[str] = frozenset()
    vendor_spellings: set[str] = field(default_factory=set)  # names as written, for the gate
    terms: dict[str, list[Term]] = field(default_factory=dict)  # lower-case phrase -> terms
    automaton: Any = None  # pyahocorasick: every term, with what it means
    vendor_gate: Any = None  # ahocorasick_rs over bytes: vendor names, the cheap first pass
    vendor_automaton: Any = None  # pyahocorasick: vendor names, to find their paragraphs

    def add(self, phrase: str, term: Term) -> None:
        key = phrase.lower()
        if len(key) != len(phrase) or not key.strip():
            return  # offsets must survive lower-casing
        bucket = self.terms.setdefault(key, [])
        if term not in bucket:
            bucket.append(term)

    def named(self, name: str, kind: str = "vendor") -> list[str]:
        """The ids that answer to a name (any case, spaces folded), of one kind."""
        return [t.ref for t in self.terms.get(" ".join(name.split()).lower(), ()) if t.kind == kind]

    def add_name(self, phrase: str, kind: str, ref: str, *, exact: bool) -> None:
        """A name; single words (and all names when exact) match only in given case or caps."""
        phrase = " ".join(phrase.split())
        if kind == "vendor":
            self.vendor_spellings.add(phrase)
        single = " " not in phrase
        forms = frozenset({phrase, phrase.upper(), phrase[:1].upper() + phrase[1:]})
        self.add(phrase, Term(kind, ref, forms if (exact or single) else None))


def _read(name: str) -> Any:
    folder = resources.files(__package__).joinpath("registry")
    return load_yaml(folder.joinpath(name).read_text("utf-8"))


def _load_vendors(reg: Registry, redirect: dict[str, str]) -> None:
    for key, raw in _read("vendors.yaml").items():
        vid = redirect.get(f"org:{key}", f"org:{key}")
        if vid in reg.vendors:  # two shipped vendors merged into one in the store
            for alias in [raw["name"], *raw.get("aliases", [])]:
                reg.add_name(alias, "vendor", vid, exact=False)
            continue
        vendor = Vendor(
            id=vid,
            name=raw["name"],
            country=raw["country"],
            tech=tuple(raw.get("tech", ())),
            parent=f"org:{raw['parent']}" if raw.get("parent") else None,
            state_owned=raw.get("state_owned"),
        )
        reg.vendors[vid] = vendor
        for alias in [raw["name"], *raw.get("aliases", [])]:
            reg.add_name(alias, "vendor", vid, exact=False)
        for product in raw.get("products", []):
            reg.add_name(product, "vendor", vid, exact=True)


def _load_financiers(reg: Registry) -> None:
    for fid, raw in _read("financiers.yaml").items():
        reg.financiers[fid] = raw["name"]
        for alias in [raw["name"], *raw.get("aliases", [])]:
            reg.add_name(alias, "financier", fid, exact=False)


def _taken(reg: Registry, name: str, kind: str, ref: str) -> bool:
    """Another organisation of this kind answers to the name already (the shipped one,
    or the first stored one): a name never points to two."""
    return any(other != ref for other in reg.named(name, kind))


def _load_known(reg: Registry, known: Sequence[Known]) -> None:
    """The database's organisations: new vendors and financiers, or more names of shipped
    ones."""
    for org in known:
        kind = "financier" if org.financier else "vendor"
        if kind == "vendor" and org.id not in reg.vendors:
            reg.vendors[org.id] = Vendor(id=org.id, name=org.names[0], country=org.country or "")
        if kind == "financier" and org.id not in reg.financiers:
            reg.financiers[org.id] = org.names[0]
        for name in org.names:
            if len(name.strip()) >= MIN_NAME and not _taken(reg, name, kind, org.id):
                reg.add_name(name, kind, org.id, exact=False)


def _inflections(word: str) -> set[str]:
    """Gendered and plural forms of a demonym, over-generated (matching is harmless)."""
    forms = {word}
    endings = {
        "o": ["a", "os", "as"],
        "í": ["íes", "ís"],
        "és": ["esa", "eses", "esas"],
        "ês": ["esa", "eses", "esas"],
        "ense": ["enses"],
        "án": ["ana", "anes", "anas"],
        "ien": ["ienne", "iens", "iennes"],
        "ain": ["aine", "ains", "aines"],
        "ais": ["aise", "aises"],
        "ois": ["oise", "oises"],
        "isch": ["ische", "ischen", "ischer", "isches", "ischem"],
        "ão": ["ã", "ães", "ãos", "ãs"],
        "an": ["ans"],
        "i": ["is"],
        "e": ["es", "s"],
        "in": ["ine", "ins", "ines"],
        "ol": ["ola", "oles"],
    }
    for end, repl in endings.items():
        if word.endswith(end):
            forms.update(word[: -len(end)] + r for r in repl)
    if word[-1:].isalpha() and word[-1] not in "seo":
        forms.update({word + "e", word + "s", word + "es"})
    return forms


def _country_names() -> dict[str, set[str]]:
    import pycountry

    names: dict[str, set[str]] = {}
    translators = [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
        for lang in LANGUAGES
    ]
    for c in pycountry.countries:
        english = {c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)}
        found = {n for n in english if n}
        for lang, t in zip(LANGUAGES, translators, strict=True):
            local = t.gettext(c.name)
            found.update(russian_forms(local) if lang == "ru" else {local})
        names[c.alpha_2] = {form for n in found for form in _name_forms(n)}
    return names


def _name_forms(name: str) -> set[str]:
    """`Korea, Republic of` -> also `Republic of Korea`; `Bolivia (…)` -> `Bolivia`."""
    name = name.split(" (")[0].strip()
    forms = {name}
    head, _, tail = name.partition(", ")
    if tail.endswith((" of", " de", " du", " von")) or tail in ("Republic of", "State of"):
        forms.add(f"{tail} {head}")
        forms.add(head)
    return forms


def _load_places(reg: Registry) -> None:
    raw = _read("places.yaml")
    ambiguous = set(raw.pop("_ambiguous", []))
    for phrase in raw.pop("_not_places", []):
        reg.add_name(phrase, "not_place", "", exact=False)
    names = _country_names()
    for code, extra in raw.items():
        names.setdefault(code, set()).update(extra.get("alt", []))
    for code, found in names.items():
        for name in found - ambiguous:
            reg.add_name(name, "country", code, exact=True)
    shipped = {n for extra in raw.values() for g in ("cities", "regions") for n in extra.get(g, [])}
    countries = {n for found in names.values() for n in found}
    for kind, world in (("city", world_places.cities()), ("region", world_places.regions())):
        for name, code in world:
            if name not in shipped and name not in countries and name not in ambiguous:
                reg.add_name(name, kind, code, exact=True)
    for code, extra in raw.items():
        for dem in extra.get("dem", []):
            for form in _inflections(dem):
                reg.add_name(form, "demonym", code, exact=True)
        for group, kind in (("cities", "city"), ("regions", "region"), ("agencies", "agency")):
            for name in extra.get(group, []):
                reg.add_name(name, kind, code, exact=True)


def _load_cues(reg: Registry) -> None:
    raw = _read("cues.yaml")
    for strength, phrases in raw["deal"].items():
        for p in phrases:
            reg.add(p, Term(f"deal:{strength}", p))
    for group in ("negative", "country_context_negative", "financing_words", "agencies"):
        for p in raw[group]:
            reg.add(p, Term(f"cue:{group}", p))
    reg.org_words = frozenset(raw["org_words"])
    for status, phrases in raw["status"].items():
        for p in phrases:
            reg.add(p, Term("status", status))
    for code, phrases in raw["technology"].items():
        for p in phrases:
            reg.add(p, Term("tech", code))


def registry(known: Sequence[Known] = ()) -> Registry:
    """The registry, with a database's organisations where given; from the compiled cache
    when none of its sources has changed."""
    return _compiled(tuple(sorted(set(known))))


@lru_cache(maxsize=4)
def _compiled(known: tuple[Known, ...]) -> Registry:
    from custodiet.extract.cache import cached

    digest = hashlib.sha256(repr(known).encode()).hexdigest()[:16] if known else None
    reg = cached(lambda: _build(known), variant=digest)
    reg.vendor_gate = _gate(reg)  # native scanners are not pickled; they build in ms
    return reg


def _build(known: tuple[Known, ...] = ()) -> Registry:
    reg = Registry()
    _load_vendors(reg, {m: org.id for org in known for m in org.members})
    _load_financiers(reg)
    _load_known(reg, known)
    _load_places(reg)
    _load_cues(reg)
    reg.automaton = _automaton(reg.terms)
    reg.vendor_automaton = _automaton(
        {k: v for k, v in reg.terms.items() if any(t.kind == "vendor" for t in v)}
    )
    return reg


def _gate(reg: Registry) -> Any:
    from custodiet.extract.gate import VendorGate
    from custodiet.extract.orgs import FORMS_SIGNALS

    # Vendor names, and the corporate forms that may introduce a company the registry
    # lacks: one pass decides both.
    names = {key for key, terms in reg.terms.items() if any(t.kind == "vendor" for t in terms)}
    return VendorGate(sorted(names | set(FORMS_SIGNALS)), sorted(reg.vendor_spellings))


def _automaton(terms: dict[str, list[Term]]) -> Any:
    auto = ahocorasick.Automaton()
    for key, bucket in terms.items():
        auto.add_word(key, (key, tuple(bucket)))
    auto.make_automaton()
    return auto
