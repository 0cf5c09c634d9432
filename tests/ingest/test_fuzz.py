"""Readers never end a run: whatever a file holds (fuzzed bytes, bombs, broken headers,
lone surrogates, nesting too deep), it is documents or one-line errors naming it, and the
file after it is read."""

from __future__ import annotations

import gzip
import io
import json
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custodiet.ingest.document import Document, ReadError, Skipped
from custodiet.ingest.readers import read_paths
from tests.ingest.samples import DEAL, HTML, pdf_bytes, warc_bytes

SAMPLES = {
    "doc.txt": DEAL.encode(),
    "page.html": HTML.encode(),
    "report.pdf": pdf_bytes(DEAL),
    "news.jsonl": (json.dumps({"id": "a", "text": DEAL}) + "\n").encode(),
    "crawl.warc": warc_bytes([("https://news.example/a", HTML)], gz=False),
    "crawl.warc.gz": warc_bytes([("https://news.example/a", HTML)], gz=True),
}


def read_bad_then_good(folder: Path, name: str, data: bytes) -> list[object]:
    bad = folder / f"a-{name}"
    good = folder / "z-good.txt"
    bad.write_bytes(data)
    good.write_text(DEAL, encoding="utf-8")
    items = list(read_paths([str(bad), str(good)]))
    assert all(isinstance(i, Document | ReadError | Skipped) for i in items)
    errors = [i for i in items if isinstance(i, ReadError)]
    assert all(str(bad) in e.where for e in errors), errors
    assert any(isinstance(i, Document) and i.source == str(good) for i in items)
    return items


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(SAMPLES)))
    data = bytearray(SAMPLES[name])
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        how = draw(st.sampled_from(["flip", "cut", "nul", "repeat", "drop"]))
        if how == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif how == "cut":
            del data[at:]
        elif how == "nul":
            data[at:at] = b"\x00" * draw(st.integers(1, 64))
        elif how == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 400))] * draw(st.integers(2, 20))
        else:
            del data[at : at + draw(st.integers(1, 32))]
    return name, bytes(data)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=mutated())
def test_fuzzed_files_are_documents_or_errors(tmp_path: Path, case: tuple[str, bytes]) -> None:
    name, data = case
    read_bad_then_good(tmp_path, name, data)


def pdf_bomb() -> bytes:
    """A well-formed PDF whose page's content stream inflates to 300 MB of spaces."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, StreamObject

    squeeze = zlib.compressobj(9)
    packed = b"".join(squeeze.compress(b" " * (1 << 20)) for _ in range(300)) + squeeze.flush()
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    content = StreamObject()
    content[NameObject("/Filter")] = NameObject("/FlateDecode")
    content.set_data(packed)  # already encoded: written as is
    content._data = packed
    page[NameObject("/Contents")] = writer._add_object(content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def warc_with_a_broken_header() -> bytes:
    data = bytearray(warc_bytes([("https://n.example/a", HTML), ("https://n.example/b", HTML)],
                                gz=False))  # fmt: skip
    data[data.index(b"WARC-Type")] = ord("X")  # one byte in the first record's header
    return bytes(data)


CASES = {
    "bomb.pdf": pdf_bomb(),
    "deep.jsonl": ("[" * 100_000 + "]" * 100_000 + "\n").encode(),
    "surrogate.jsonl": b'{"id": "s", "text": "Hikvision \\ud800 cameras"}\n',
    "broken-header.warc": warc_with_a_broken_header(),
    "truncated.warc": warc_bytes([("https://n.example/a", HTML)], gz=False)[:-40],
    "nul.warc.gz": gzip.compress(b"\x00" * (32 << 20)),
    "deep.html": ("<div>" * 200_000 + DEAL + "</div>" * 200_000).encode(),
    "nul-inside.txt": DEAL.encode() + b"\n" + b"x" * 5000 + b"\x00 more",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_files_are_one_error_or_a_document(tmp_path: Path, name: str) -> None:
    items = read_bad_then_good(tmp_path, name, CASES[name])
    bad = [i for i in items if not (isinstance(i, Document) and i.source.endswith("good.txt"))]
    assert len(bad) <= 2, bad  # a document and an error at most (a WARC read in part)
    for doc in (i for i in bad if isinstance(i, Document)):
        assert "\x00" not in doc.text


def test_a_jsonl_line_that_fails_is_one_error_and_the_next_line_is_read(tmp_path: Path) -> None:
    lines = [
        b'{"id": "s", "text": "bad \\udc00"}',
        b"[" * 50_000,
        json.dumps({"id": "ok", "text": DEAL}).encode(),
    ]
    (tmp_path / "mixed.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    items = list(read_paths([str(tmp_path / "mixed.jsonl")]))
    assert [type(i).__name__ for i in items] == ["ReadError", "ReadError", "Document"]
    assert [i.where.rsplit(":", 1)[1] for i in items if isinstance(i, ReadError)] == ["1", "2"]


def test_the_gzip_reader_keeps_memory_bounded_on_a_bomb() -> None:
    from custodiet.ingest.readers import _Gunzip

    reader = _Gunzip(io.BytesIO(gzip.compress(b"\x00" * (64 << 20))))
    reader.read(10)
    assert len(reader.buf) < 1 << 20  # not the 64 MB it inflates to


def test_a_plain_warc_cut_short_says_so(tmp_path: Path) -> None:
    path = tmp_path / "cut.warc"
    path.write_bytes(warc_bytes([("https://n.example/a", HTML)], gz=False)[:-40])
    (item,) = read_paths([str(path)])
    assert isinstance(item, ReadError) and "truncated" in item.message
