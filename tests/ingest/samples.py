"""Small documents of every format, made by the tests (nothing binary is committed)."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

DEAL = "The Kenyan police signed a contract with Hikvision for cameras in Nairobi."
HTML = f"""<html><head><title>Cameras for Nairobi</title>
<meta name="author" content="A. Reporter"><script>var tracking = 1;</script></head>
<body><nav>Home | World | Subscribe</nav><article><h1>Cameras</h1><p>{DEAL}</p>
<p>The system goes live next year.</p></article><footer>Cookie settings</footer></body></html>"""


def pdf_bytes(text: str, *, password: str | None = None) -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    content = DecodedStreamObject()
    content.set_data(f"BT /F1 10 Tf 20 700 Td ({text}) Tj ET".encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(content)
    writer.add_metadata({"/Author": "Jane Whistle", "/Producer": "Office Scanner 3000"})
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def warc_bytes(pages: list[tuple[str, str]], *, gz: bool) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    for url, html in pages:
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                url, "response", payload=io.BytesIO(html.encode()), http_headers=headers
            )
        )
    return out.getvalue()


def write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def truncated_gzip(data: bytes) -> bytes:
    return gzip.compress(data)[:-20]
