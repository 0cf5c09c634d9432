"""A small seeded corpus for scan tests: JSONL, WARC.gz and text files, a few deals in
our own words among filler."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

FILLER = (
    "The council met on Tuesday to discuss the budget for roads and schools. "
    "Officials said the plan would be published next month after a public hearing. "
)
DEALS = [
    "The government of {country} signed a contract with {vendor} for surveillance cameras "
    "in {year}.",
    "{vendor} supplied facial recognition systems to the police of {country} in {year}.",
]
VENDORS = ["Huawei", "Hikvision", "Dahua", "ZTE", "NEC"]
COUNTRIES = ["Kenya", "Ecuador", "Serbia", "Zambia", "Pakistan", "Uganda"]


def article(rng: random.Random, deal: bool) -> str:
    paragraphs = [FILLER * rng.randint(2, 6) for _ in range(rng.randint(1, 3))]
    if deal:
        sentence = rng.choice(DEALS).format(
            vendor=rng.choice(VENDORS), country=rng.choice(COUNTRIES), year=rng.randint(2010, 2022)
        )
        paragraphs.insert(rng.randrange(len(paragraphs) + 1), sentence)
    return "\n\n".join(paragraphs)


def write(folder: Path, seed: int = 3, lines: int = 240, pages: int = 30) -> list[Path]:
    """news.jsonl (every fourth line a deal, some without ids), pages.warc.gz, notes/."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    news = folder / "news.jsonl"
    with news.open("w", encoding="utf-8") as f:
        for i in range(lines):
            row = {"text": article(rng, i % 4 == 0)}
            if i % 3:
                row["id"] = f"n{i}"
            f.write(json.dumps(row) + "\n")
            if i % 50 == 49:
                f.write("not json\n")  # a bad line: one error naming it
    warc = folder / "pages.warc.gz"
    with warc.open("wb") as raw:
        writer = WARCWriter(raw, gzip=True)
        for i in range(pages):
            body = "".join(f"<p>{p}</p>" for p in article(rng, i % 3 == 0).split("\n\n"))
            page = f"<html><head><title>Page {i}</title></head><body>{body}</body></html>"
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], "HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    f"https://news.example/{i}", "response",
                    payload=io.BytesIO(page.encode()), http_headers=headers,
                )
            )  # fmt: skip
    notes = folder / "notes"
    notes.mkdir(exist_ok=True)
    for i in range(3):
        (notes / f"{i}.txt").write_text(article(rng, True), encoding="utf-8")
    return [news, warc, notes]
