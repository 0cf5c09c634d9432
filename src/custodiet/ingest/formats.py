"""Readers, one per format, each turning bytes into Documents or ReadErrors."""

from __future__ import annotations

import io
import json
import re
import zlib
from collections.abc import Iterable, Iterator
from typing import IO

from custodiet.ingest.document import (
    MAX_DOCUMENT_BYTES,
    Document,
    Gate,
    ReadError,
    Skipped,
    StreamError,
)

Item = Document | ReadError | Skipped
# Block elements end a paragraph; these hold no article text.
DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "template",
    "button",
    "select",
    "menu",
)
BLOCK_TAGS = (
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "blockquote",
    "section",
    "article",
    "td",
    "pre",
    "dd",
    "dt",
    "figcaption",
)


def decode(data: bytes, where: str) -> str | ReadError:
    if b"\x00" in data[:4096]:
        return ReadError(where, "binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return ReadError(where, f"invalid UTF-8 at byte {exc.start}")


def passed(gate: Gate | None, raw: bytes) -> bool:
    return gate is None or gate(raw)


def read_text(data: bytes, where: str, gate: Gate | None = None) -> Iterator[Item]:
    # Pure ASCII is valid UTF-8 and is checked ten times faster than it decodes: a
    # document the gate turns away is then never decoded. Anything else is decoded
    # first, so that invalid UTF-8 is reported whether or not it names a vendor.
    if gate is not None and b"\x00" not in data[:4096] and data.isascii() and not gate(data):
        yield Skipped(where, len(data))
        return
    text = decode(data, where)
    if isinstance(text, ReadError):
        yield text
    elif not passed(gate, data):
        yield Skipped(where, len(text))
    else:
        yield Document.make(doc_id=where, source=where, text=text)


SURROGATE = re.compile(rb"\\u[dD][89abcdefABCDEF]")  # an escaped UTF-16 surrogate
# Elements nested deeper than this lose their deeper tags (not their text) before
# parsing: lexbor's tree builder takes time that grows with depth times tags, so a page
# of 100,000 nested divs took 13 s and one of a million never ended. Tags whose end is
# optional do not count, so ordinary pages never come near it.
MAX_DEPTH = 2048
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^>]*>")
UNCOUNTED = frozenset((
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option",
    "optgroup", "tbody", "thead", "tfoot", "colgroup", "rb", "rt", "rp",
))  # fmt: skip


def shallow(html: str) -> str:
    """The HTML with tags deeper than MAX_DEPTH dropped; unchanged if none are."""
    if html.count("<") <= MAX_DEPTH:
        return html
    depth, cuts = 0, []
    for m in TAG.finditer(html):
        if m.group(2).lower() in UNCOUNTED or m.group(0).endswith("/>"):
            continue
        depth += -1 if m.group(1) else 1
        if depth > MAX_DEPTH or (m.group(1) and depth >= MAX_DEPTH):
            cuts.append((m.start(), m.end()))
    if not cuts:
        return html
    out, pos = [], 0
    for start, end in cuts:
        out.append(html[pos:start])
        out.append(" ")
        pos = end
    out.append(html[pos:])
    return "".join(out)


def html_to_text(html: str) -> tuple[str, str | None]:
    """Visible text with paragraph breaks, and the title; boilerplate tags removed."""
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    tree = HTMLParser(shallow(html))
    title_node = tree.css_first("title")
    title = title_node.text(strip=True) if title_node else None
    tree.strip_tags(list(DROP_TAGS))
    root = tree.css_first("article") or tree.css_first("main") or tree.body or tree.root
    if root is None:
        return "", title
    for node in root.css(",".join(BLOCK_TAGS)):
        node.insert_before("\n\n")
    text = root.text(separator=" ", strip=False)
    lines = (" ".join(line.split()) for line in text.split("\n\n"))
    return "\n\n".join(line for line in lines if line), title or None


def read_html(
    data: bytes,
    where: str,
    *,
    doc_id: str | None = None,
    url: str | None = None,
    gate: Gate | None = None,
) -> Iterator[Item]:
    html = decode(data, where)
    if isinstance(html, ReadError):
        yield html
        return
    if "<" not in html[:2048]:
        yield ReadError(where, "not an HTML document")
        return
    if not passed(gate, data):
        yield Skipped(where, len(html))
        return
    text, title = html_to_text(html)
    yield Document.make(doc_id=doc_id or where, source=where, text=text, url=url, title=title)


def read_pdf(data: bytes, where: str) -> Iterator[Item]:
    """The text layer only; the document information (author, producer, XMP) is not read."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            yield ReadError(where, "encrypted PDF")
            return
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        yield ReadError(where, f"not a readable PDF ({type(exc).__name__})")
        return
    yield Document.make(doc_id=where, source=where, text="\n\n".join(pages))


def read_jsonl(
    stream: Iterable[bytes], where: str, gate: Gate | None = None, first_line: int = 1
) -> Iterator[Item]:
    """One document per line: id, text or html, and optionally url, title, published. A
    bad line is one error naming it; the lines after it are read. `first_line`: the
    number of the stream's first line in its file (a scan reads a file in ranges)."""
    for number, raw in enumerate(stream, start=first_line):
        here = f"{where}:{number}"
        if not raw.strip():
            continue
        if len(raw) > MAX_DOCUMENT_BYTES:
            yield ReadError(here, f"line longer than {MAX_DOCUMENT_BYTES >> 20} MiB")
            continue
        try:
            record = json.loads(raw)
            if SURROGATE.search(raw):
                json.dumps(record, ensure_ascii=False).encode("utf-8")  # lone ones raise
            items = list(_jsonl_record(record, here, gate))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield ReadError(here, f"not JSON ({exc.__class__.__name__})")
            continue
        except RecursionError:
            yield ReadError(here, "not JSON we read (nested too deep)")
            continue
        except UnicodeEncodeError:
            yield ReadError(here, "text with a lone surrogate (\\ud800-\\udfff), not Unicode text")
            continue
        yield from items


def _jsonl_record(record: object, here: str, gate: Gate | None) -> Iterator[Item]:
    raw = record.get("text", record.get("html")) if isinstance(record, dict) else None
    if not isinstance(record, dict) or not isinstance(raw, str):
        yield ReadError(here, 'expected an object with "text" or "html"')
        return
    if not passed(gate, raw.encode()):
        yield Skipped(here, len(raw))
        return
    doc_id = str(record.get("id") or here)
    meta = {
        k: str(record[k]) if record.get(k) is not None else None
        for k in ("url", "title", "published")
    }
    meta["url"] = meta["url"] or (str(record["source_url"]) if record.get("source_url") else None)
    if isinstance(record.get("text"), str):
        yield Document.make(doc_id=doc_id, source=meta["url"] or here, text=record["text"], **meta)
    else:
        text, title = html_to_text(record["html"])
        meta["title"] = meta["title"] or title
        yield Document.make(doc_id=doc_id, source=meta["url"] or here, text=text, **meta)


def read_warc(stream: IO[bytes], where: str, gate: Gate | None = None) -> Iterator[Item]:
    """HTTP responses with HTML; a broken record ends the file with one error."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    number = 0
    try:
        for number, record in enumerate(ArchiveIterator(stream), start=1):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            ctype = record.http_headers.get_header("Content-Type") or ""
            if "html" not in ctype.lower():
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            body = record.content_stream().read(MAX_DOCUMENT_BYTES + 1)
            here = f"{where}#{number}"
            if len(body) > MAX_DOCUMENT_BYTES:
                yield ReadError(here, f"record larger than {MAX_DOCUMENT_BYTES >> 20} MiB")
                continue
            missing = getattr(record.raw_stream, "limit", 0)
            if missing > 0:  # the file ends before the record does
                yield ReadError(here, f"record truncated ({missing} bytes missing)")
                return
            yield from read_html(body, here, doc_id=url or here, url=url, gate=gate)
    except (ArchiveLoadFailed, EOFError, OSError, zlib.error, ValueError) as exc:
        why = str(exc) if isinstance(exc, StreamError) else type(exc).__name__
        yield ReadError(f"{where}#{number + 1}", f"broken WARC record ({why})")
