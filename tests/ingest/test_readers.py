"""Every reader on a real file, and every kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from custodiet.ingest.document import Document, ReadError
from custodiet.ingest.readers import read_paths
from tests.ingest.samples import DEAL, HTML, pdf_bytes, truncated_gzip, warc_bytes, write


def read(*paths: Path | str) -> list[Document | ReadError]:
    return list(read_paths([str(p) for p in paths]))


def docs(items: list[Document | ReadError]) -> list[Document]:
    return [i for i in items if isinstance(i, Document)]


def errors(items: list[Document | ReadError]) -> list[str]:
    return [str(i) for i in items if isinstance(i, ReadError)]


def test_text_and_markdown_are_normalised(tmp_path: Path) -> None:
    (doc,) = read(write(tmp_path / "a.txt", f"\ufeff  {DEAL}\r\n"))
    assert isinstance(doc, Document) and doc.text == DEAL and doc.doc_id.endswith("a.txt")
    (md,) = read(write(tmp_path / "b.md", f"# Title\n\n{DEAL}\n"))
    assert isinstance(md, Document) and md.text.endswith(DEAL)


def test_html_drops_boilerplate_and_metadata(tmp_path: Path) -> None:
    (doc,) = read(write(tmp_path / "page.html", HTML))
    assert isinstance(doc, Document)
    assert DEAL in doc.text and "\n\n" in doc.text
    for junk in ("Subscribe", "Cookie", "tracking", "A. Reporter"):
        assert junk not in doc.text
    assert doc.title == "Cameras for Nairobi"


def test_pdf_text_layer_without_its_metadata(tmp_path: Path) -> None:
    (doc,) = read(write(tmp_path / "r.pdf", pdf_bytes(DEAL)))
    assert isinstance(doc, Document) and DEAL in doc.text
    assert "Jane" not in repr(doc) and "Scanner" not in repr(doc)


def test_warc_and_warc_gz(tmp_path: Path) -> None:
    pages = [("https://news.example/a", HTML), ("https://news.example/b", "<p>Other news.</p>")]
    for name, gz in (("c.warc", False), ("c.warc.gz", True)):
        found = docs(read(write(tmp_path / name, warc_bytes(pages, gz=gz))))
        assert [d.doc_id for d in found] == ["https://news.example/a", "https://news.example/b"]
        assert DEAL in found[0].text and found[0].url == "https://news.example/a"


def test_jsonl_documents(tmp_path: Path) -> None:
    lines = [
        {"id": "d1", "text": DEAL, "url": "https://x.example/1"},
        {"id": "d2", "html": HTML, "published": "2024-01-02"},
    ]
    found = read(write(tmp_path / "d.jsonl", "\n".join(json.dumps(x) for x in lines)))
    assert [(d.doc_id, d.url) for d in docs(found)] == [("d1", "https://x.example/1"), ("d2", None)]
    assert DEAL in docs(found)[1].text


def test_folders_are_read_recursively(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", DEAL)
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "b.html", HTML)
    write(tmp_path / "sub" / "notes.docx", "ignored")
    assert len(docs(read(tmp_path))) == 2


BAD = {
    "corrupt.pdf": (b"%PDF-1.4 this is not really a pdf", "not a readable PDF"),
    "junk.html": (bytes(range(256)) * 4, "binary data"),
    "latin1.txt": ("caf\xe9".encode("latin-1"), "invalid UTF-8 at byte 3"),
    "plain.html": (b"just words, no markup at all", "not an HTML document"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_files_give_one_error_naming_them(tmp_path: Path, name: str) -> None:
    data, says = BAD[name]
    good = write(tmp_path / "good.txt", DEAL)
    items = read(write(tmp_path / name, data), good)
    (message,) = errors(items)
    assert message.startswith(str(tmp_path / name)) and says in message
    assert len(docs(items)) == 1  # the run goes on


def test_encrypted_pdf(tmp_path: Path) -> None:
    (message,) = errors(read(write(tmp_path / "locked.pdf", pdf_bytes(DEAL, password="x"))))
    assert "encrypted PDF" in message


def test_huge_single_line_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(1 << 30)  # sparse: a 1 GB file that takes no disk
    (message,) = errors(read(path))
    assert "larger than 64 MiB" in message
    path.unlink()


def test_warc_with_a_broken_record_keeps_the_good_ones(tmp_path: Path) -> None:
    pages = [("https://a.example/1", HTML), ("https://a.example/2", HTML)]
    data = warc_bytes(pages, gz=True)
    one = len(warc_bytes(pages[:1], gz=True))
    items = read(write(tmp_path / "b.warc.gz", data[: one + 40]))
    assert [d.doc_id for d in docs(items)] == ["https://a.example/1"]
    (message,) = errors(items)
    assert message.startswith(f"{tmp_path / 'b.warc.gz'}#2: broken WARC record")


def test_truncated_gzip(tmp_path: Path) -> None:
    items = read(write(tmp_path / "t.warc.gz", truncated_gzip(b"WARC/1.0\r\n" * 100)))
    (message,) = errors(items)
    assert str(tmp_path / "t.warc.gz") in message


def test_jsonl_line_that_is_not_json(tmp_path: Path) -> None:
    path = write(tmp_path / "d.jsonl", f'{{"id": "ok", "text": "{DEAL}"}}\n{{broken\n[1]\n')
    items = read(path)
    assert [d.doc_id for d in docs(items)] == ["ok"]
    assert errors(items) == [
        f"{path}:2: not JSON (JSONDecodeError)",
        f'{path}:3: expected an object with "text" or "html"',
    ]


def test_missing_and_unknown_paths(tmp_path: Path) -> None:
    items = read(tmp_path / "nope.txt", write(tmp_path / "x.docx", "?"))
    assert [m.split(": ", 1)[1] for m in errors(items)] == [
        "no such file or folder",
        "unknown file type",
    ]
