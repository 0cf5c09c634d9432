"""A seeded generator of news-like corpora for the extraction benchmark.

About 1% of documents state a supply deal with a registry vendor; the rest are
ordinary news that names countries, ministries and technology but no vendor. The same
documents are written as plain text, as HTML pages of 20-100 KB with boilerplate,
as one WARC.gz, and (for the memory figure) as one large JSONL file.
"""

from __future__ import annotations

import io
import json
import random
from collections.abc import Iterator
from pathlib import Path

WORDS = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "for",
    "on",
    "that",
    "with",
    "as",
    "by",
    "at",
    "from",
    "its",
    "was",
    "were",
    "has",
    "have",
    "said",
    "would",
    "government",
    "ministry",
    "police",
    "city",
    "officials",
    "report",
    "new",
    "system",
    "public",
    "security",
    "data",
    "network",
    "program",
    "plan",
    "budget",
    "year",
    "month",
    "week",
    "people",
    "local",
    "national",
    "regional",
    "council",
    "minister",
    "president",
    "parliament",
    "law",
    "court",
    "election",
    "economy",
    "market",
    "trade",
    "energy",
    "water",
    "health",
    "school",
    "road",
    "project",
    "investment",
    "company",
    "workers",
    "union",
    "protest",
    "weather",
    "season",
    "infrastructure",
    "transport",
    "railway",
    "airport",
    "port",
    "hospital",
    "university",
    "research",
    "study",
    "according",
    "statement",
    "spokesperson",
    "announced",
    "expected",
    "increase",
    "decrease",
    "percent",
    "million",
    "billion",
    "development",
    "growth",
    "policy",
    "reform",
    "agency",
    "department",
    "committee",
    "commission",
]
COUNTRIES = [
    "Kenya",
    "Ecuador",
    "Serbia",
    "Pakistan",
    "Brazil",
    "Egypt",
    "Uganda",
    "Mexico",
    "Philippines",
    "Zambia",
    "Bolivia",
    "Argentina",
    "Nigeria",
    "Tajikistan",
    "Peru",
]
VENDORS = [
    "Huawei",
    "Hikvision",
    "ZTE",
    "Dahua",
    "NSO Group",
    "Cellebrite",
    "Idemia",
    "Palantir",
    "Sandvine",
    "CloudWalk",
    "NEC",
    "Thales",
    "Gamma Group",
    "Axon",
]
DEALS = [
    "The government of {country} signed a contract with {vendor} for surveillance cameras "
    "worth ${amount} million in {year}.",
    "{vendor} supplied facial recognition systems to police in {country}, officials said.",
    "Authorities in {country} bought spyware from {vendor} under a {year} agreement.",
]
BOILERPLATE_HEAD = (
    "<!doctype html><html><head><title>{title}</title><meta charset='utf-8'>"
    "<script>window.analytics={{queue:[]}};function track(e){{return e}}</script>"
    "<style>body{{font-family:serif}} .nav a{{margin:0 4px}}</style></head><body>"
    "<header><nav class='nav'>{nav}</nav></header><main><article><h1>{title}</h1>"
)
BOILERPLATE_TAIL = (
    "</article></main><aside><ul>{links}</ul></aside><footer><p>Cookie "
    "settings | Privacy | Terms | Subscribe</p></footer></body></html>"
)


class Corpus:
    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.sentences = [self._sentence() for _ in range(4000)]

    def _sentence(self) -> str:
        words = self.rng.choices(WORDS, k=self.rng.randint(12, 28))
        if self.rng.random() < 0.3:
            words.insert(self.rng.randint(0, len(words)), self.rng.choice(COUNTRIES))
        return " ".join(words).capitalize() + "."

    def document(self, size: int, relevant: bool) -> list[str]:
        """Paragraphs of about `size` characters; a relevant one states a deal."""
        paragraphs, total = [], 0
        while total < size:
            paragraph = " ".join(self.rng.choices(self.sentences, k=self.rng.randint(3, 8)))
            paragraphs.append(paragraph)
            total += len(paragraph) + 2
        if relevant:
            deal = self.rng.choice(DEALS).format(
                country=self.rng.choice(COUNTRIES),
                vendor=self.rng.choice(VENDORS),
                amount=self.rng.randint(2, 400),
                year=self.rng.randint(2008, 2024),
            )
            paragraphs.insert(self.rng.randrange(len(paragraphs)), deal)
        return paragraphs

    def documents(
        self, total_bytes: int, lo: int = 20_000, hi: int = 100_000
    ) -> Iterator[list[str]]:
        written = 0
        while written < total_bytes:
            doc = self.document(self.rng.randint(lo, hi), self.rng.random() < 0.01)
            written += sum(len(p) + 2 for p in doc)
            yield doc


def html_page(paragraphs: list[str], rng: random.Random) -> str:
    nav = "".join(f"<a href='/s/{i}'>Section {i}</a>" for i in range(12))
    links = "".join(
        f"<li><a href='/a/{rng.randint(1, 99999)}'>Related story</a></li>" for _ in range(10)
    )
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        BOILERPLATE_HEAD.format(title="News", nav=nav) + body + BOILERPLATE_TAIL.format(links=links)
    )


def write_corpus(folder: Path, total_bytes: int, seed: int = 7) -> dict[str, Path]:
    """text/*.txt, html/*.html and corpus.warc.gz with the same documents."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    corpus = Corpus(seed)
    text_dir, html_dir = folder / "text", folder / "html"
    text_dir.mkdir(parents=True, exist_ok=True)
    html_dir.mkdir(parents=True, exist_ok=True)
    warc_path = folder / "corpus.warc.gz"
    with warc_path.open("wb") as warc_file:
        writer = WARCWriter(warc_file, gzip=True)
        for i, doc in enumerate(corpus.documents(total_bytes)):
            (text_dir / f"{i:06d}.txt").write_text("\n\n".join(doc), "utf-8")
            page = html_page(doc, corpus.rng)
            (html_dir / f"{i:06d}.html").write_text(page, "utf-8")
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    f"https://news.example/{i}",
                    "response",
                    payload=io.BytesIO(page.encode()),
                    http_headers=headers,
                )
            )
    return {"text": text_dir, "html": html_dir, "warc": warc_path}


def write_jsonl(path: Path, total_bytes: int, seed: int = 11) -> Path:
    corpus = Corpus(seed)
    with path.open("w", encoding="utf-8") as f:
        for i, doc in enumerate(corpus.documents(total_bytes, 50_000, 200_000)):
            f.write(json.dumps({"id": f"d{i}", "text": "\n\n".join(doc)}) + "\n")
    return path
