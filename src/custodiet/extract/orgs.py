"""Organisations the registry does not know, recognised from the text itself.

A run of capitalised words is an organisation's name when the text says so:
- it ends in a corporate form (Ltd, S.A., GmbH, Corporation, Consortium…) or opens
  with one (Consorcio…, Grupo…, and the Russian forms);
- a noun for a company stands before it (`the firm Andiscan`, `las compañías Puma
  Redes y Andiscan`, `la société sénégalaise X`), lists included;
- an appositive describes it (`Altiplano Secure, a Bolivian integrator`);
- a deal phrase points at it (`a contract with X`, `supplied by X`, `adjudicado a X`).

Names of people never qualify by themselves: each pattern needs a word that names a
company. What is found is proposed as a new organisation, for an editor to review.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from functools import cached_property

from custodiet.extract.candidate import NEW_ORGANISATION
from custodiet.extract.matcher import Mention
from custodiet.model.text import slug


class _Lazy:
    """A pattern compiled when first used: these take a tenth of a second to compile,
    and most runs (a corpus the first pass rejects) never need them."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern, self.flags = pattern, flags

    @cached_property
    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.pattern, self.flags)

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.match(text, pos, endpos)

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.compiled.fullmatch(text)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.search(text, pos, endpos)


_UP = r"A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁ"
# A period only inside a word (S.A, not the end of a sentence).
_WORD = rf"(?:(?:[dl]['’])?[{_UP}0-9][\w&'’\-]*(?:\.[\w&'’\-]+)*|[{_UP}]{{2,}})"
_JOIN = r"(?:\s+(?:de|del|de la|of|and|&|et|y|e|du|des|für|und)\s+|\s+|-)"
NAME = rf"{_WORD}(?:{_JOIN}{_WORD}){{0,5}}"

FORMS = (
    r"Ltd\.?|Limited|Inc\.?|Corp\.?|Corporation|Co\.|Company|GmbH|AG|S\.A\.S?\.?|SAS|SA|"
    r"SARL|S\.R\.L\.|SRL|S\.L\.|SpA|S\.p\.A\.|LLC|L\.L\.C\.|PLC|plc|Pty|B\.V\.|BV|N\.V\.|"
    r"NV|Oy|AB|A/S|Ltda\.?|LLP|Holdings?|Technologies|Systems|Solutions|Telecom|"
    r"Telecommunications|Communications|Networks|Consortium|Group|Groupe|Grupo|Electronics"
)
PREFIX_FORMS = r"Consorcio|Consortium|Consórcio|Grupo|Groupe|ООО|ОАО|ЗАО|ПАО|АО"
NOUNS = (
    r"company|companies|firm|firms|vendor|supplier|contractor|integrator|operator|"
    r"start-?up|maker|manufacturer|provider|"
    r"empresa|empresas|compañía|compañías|firma|firmas|proveedor|proveedora|contratista|"
    r"société|sociétés|compagnie|entreprise|entreprises|groupe|groupes|opérateur|"
    r"fournisseur|prestataire|companhia|fornecedor|fornecedora|consórcio|"
    r"Unternehmen|Firma|Anbieter|bedrijf|leverancier|"
    r"компания|компании|компанией|фирма|фирмы|поставщик|подрядчик|группа"
)
# Up to two adjectives (a nationality, `local`, `privée`) may stand between noun and name.
_ADJ = r"(?:[\w\-]+\s+){0,2}?"
_AND = r"(?:and|y|et|e|und|en|и)"
_LIST = rf"(?P<names>{NAME}(?:\s*,\s*{NAME})*(?:,?\s+{_AND}\s+(?:el\s+|la\s+|le\s+)?{NAME})?)"

# A municipal or public company is a buyer (la empresa municipal X), not a vendor.
_PUBLIC_ADJ = r"municipal|municipales|municipale|pública|públicas|publique|publiques"
_NOT_PUBLIC = rf"(?!(?:[\w\-]+\s+)?(?:{_PUBLIC_ADJ})\b)"
BY_NOUN = _Lazy(rf"\b(?:{NOUNS})\s+{_NOT_PUBLIC}{_ADJ}[«\"“]?{_LIST}", re.UNICODE)
BY_FORM = _Lazy(rf"(?P<name>{NAME}\s+(?:{FORMS}))(?![\w])", re.UNICODE)
BY_PREFIX = _Lazy(
    rf"(?P<name>\b(?:{PREFIX_FORMS})(?:\s+(?:de|del|de la|of|du|des))?\s+[«\"“]?{NAME})",
    re.UNICODE,
)
BY_APPOSITIVE = _Lazy(
    rf"(?P<name>{NAME}),\s+(?:a|an|the|une?|una?)\s+(?:[\w\-]+\s+){{0,3}}?(?:{NOUNS})\b",
    re.UNICODE,
)
BY_DEAL = _Lazy(
    rf"\b(?:contracts?\s+with|deal\s+with|agreement\s+with|supplied\s+by|provided\s+by|"
    rf"installed\s+by|built\s+by|developed\s+by|sold\s+by|awarded\s+to|"
    rf"contrato\s+con|adjudicad[oa]\s+a|contrat\s+avec|fourni(?:e|s)?\s+par|"
    rf"attribué\s+à|contrato\s+com|fornecid[oa]s?\s+pela?)\s+(?:the\s+)?{_LIST}",
    re.UNICODE,
)
FORM_WORD = _Lazy(
    rf"(?:{FORMS}|{PREFIX_FORMS}|Internet|Video|Security|Surveillance|Cloud|Time|"
    r"Technology|Digital|International|Global|National|Smart|Safe|City|Data|Services?|"
    r"And|Of|Things|Information|Industrial|Research|Aerospace)",
    re.IGNORECASE,
)
LEAD = _Lazy(r"(\w+)((?:’s|'s)?)\s+")
ANY_FORM = _Lazy(rf"\s(?:{FORMS})(?![\w])")
ANY_PREFIX = _Lazy(rf"\b(?:{PREFIX_FORMS})\s")
ANY_NOUN = _Lazy(rf"\b(?:{NOUNS})\b")
ANY_DEAL = _Lazy(
    r"\b(?:contracts?|deal|agreement|supplied|provided|installed|built|developed|sold|"
    r"awarded|contrato|adjudicad[oa]|contrat|fourni\w*|attribué|fornecid\w*)\s"
)
SPLIT = _Lazy(rf"\s*,\s*|,?\s+{_AND}\s+(?:el\s+|la\s+|le\s+)?")
# Words that open a run without being a company's name: articles, months, public
# bodies (a ministry is a buyer, not a vendor) and the like.
NOT_NAMES = _Lazy(
    r"^(?:The|A|An|This|That|These|Its|It|In|On|At|For|By|With|As|El|La|Las|Los|Le|Les|"
    r"Un|Une|Der|Die|Das|O|Os|As|Et|Y|And|But|If|January|February|March|April|May|June|"
    r"July|August|September|October|November|December)$"
)
PUBLIC = _Lazy(
    r"\b(?:Ministry|Ministerio|Ministère|Ministério|Ministerium|Department|Departamento|"
    r"Police|Policía|Polícia|Polizei|Municipality|Municipio|Municipalidad|Council|"
    r"University|Universidad|Université|School|Institute|Instituto|Commission|Court|"
    r"Parliament|Senate|Congress|Government|Gobierno|Gouvernement|Agency|Agencia|"
    r"Office|Bureau|Authority|Exchange|Index|Report|Army|Force|Guard|Gendarmerie|"
    r"Министерство|МВД|Правительство)\b"
)


def recognise(
    text: str,
    start: int,
    end: int,
    known: list[Mention],
    registered: Callable[[str], str | None] = lambda _name: None,
) -> list[Mention]:
    """New organisations between start and end, as vendor mentions `org:new-…`, where
    no known vendor stands. A name found by its corporate form may contain a place
    (China International Telecommunication and Construction Corporation); one found
    by a noun or a phrase may not. `registered` gives the id of a registry vendor of
    that name in another case (HikVision), which answers for it instead."""
    vendors = [(m.start, m.end) for m in known if m.kind in ("vendor", "financier")]
    places = [(m.start, m.end) for m in known if m.is_place]
    demonyms = [(m.start, m.end) for m in known if m.kind == "demonym"]
    found: dict[tuple[int, int], Mention] = {}
    for a, b, strong in _spans(text, start, end):
        a, b = _trimmed(text, a, b, demonyms)
        name = text[a:b]
        if not _plausible(name) or _overlaps(a, b, vendors):
            continue
        if not strong and _overlaps(a, b, places):
            continue
        found.setdefault((a, b), Mention(a, b, "vendor", registered(name) or new_id(name)))
    return sorted(found.values(), key=lambda m: m.start)


def new_id(name: str) -> str:
    return NEW_ORGANISATION + slug(name)


def _overlaps(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
    return any(x < b and a < y for x, y in spans)


def _trimmed(text: str, a: int, b: int, places: list[tuple[int, int]]) -> tuple[int, int]:
    """Without quotes and punctuation at the ends, and without a leading nationality or
    possessive (`China's X Group` and `Chinese X Group` are X Group; a country's name
    that opens the name stays: China International Telecommunication…)."""
    while a < b and text[a] in " «»\"“”'’.,(":
        a += 1
    while b > a and text[b - 1] in " «»\"“”'’.,)":
        b -= 1
    while True:
        word = LEAD.match(text, a, b)
        if not word or word.end() >= b:
            return a, b
        lead_end = a + len(word.group(1))
        if not (word.group(2) or any(x <= a and lead_end <= y for x, y in places)):
            return a, b
        a = word.end()


def _spans(text: str, start: int, end: int) -> Iterator[tuple[int, int, bool]]:
    """(start, end, found by a corporate form) of each name the patterns find."""
    # Each pattern runs only where its anchor word occurs: the anchors are cheap to
    # find, the patterns (a name of up to six words before or after them) are not.
    for pattern, anchor in ((BY_FORM, ANY_FORM), (BY_PREFIX, ANY_PREFIX)):
        if anchor.search(text, start, end):
            for m in pattern.finditer(text, start, end):
                yield m.start("name"), m.end("name"), True
    has_noun = bool(ANY_NOUN.search(text, start, end))
    if has_noun:
        for m in BY_APPOSITIVE.finditer(text, start, end):
            yield m.start("name"), m.end("name"), False
    for pattern, anchored in (
        (BY_NOUN, has_noun),
        (BY_DEAL, bool(ANY_DEAL.search(text, start, end))),
    ):
        if anchored:
            for m in pattern.finditer(text, start, end):
                for a, b in _listed(text, m.start("names"), m.end("names")):
                    yield a, b, False


def _listed(text: str, a: int, b: int) -> Iterator[tuple[int, int]]:
    """The names of a list (`Puma Redes y Andiscan`), each with its offsets."""
    pos = a
    for piece in SPLIT.finditer(text, a, b):
        yield pos, piece.start()
        pos = piece.end()
    yield pos, b


def _plausible(name: str) -> bool:
    words = name.split()
    if not words or len(name) < 3 or len(words) > 7:
        return False
    if NOT_NAMES.match(words[0]) or PUBLIC.search(name):
        return False
    if all(FORM_WORD.fullmatch(w) for w in words):
        return False  # "Company", "Telecommunications", "Ltd": a form with no name
    return any(c.isupper() for c in name[:1])


# Corporate forms: a text that holds one may name a company the registry lacks, so the
# first pass (`gate.py`, which ignores case) lets it through, and the paragraphs near it
# are read. Plain nouns (company, firm, empresa, and "limited") are in most news and
# would make every text and paragraph worth reading: they find names only in the
# paragraphs read for another reason.
FORMS_SIGNALS = (
    "Ltd",
    "Inc.",
    "Corporation",
    "GmbH",
    "S.A.",
    "LLC",
    "PLC",
    "Consortium",
    "consortium",
    "Consorcio",
    "consorcio",
    "Consórcio",
    "ООО",
)
# Where to read besides the paragraphs near a known vendor: near a corporate form.
_SIGNAL = _Lazy("|".join(re.escape(s) for s in FORMS_SIGNALS))


def signal_positions(text: str, start: int, end: int) -> list[int]:
    return [m.start() for m in _SIGNAL.finditer(text, start, end)]
