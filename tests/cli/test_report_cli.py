"""`custodiet report`: due-diligence reports as PDF (WeasyPrint) and as one self-contained
HTML file. The PDF's own text (pdftotext) holds every quote its notes cite, its fonts
cover the registry's native-script names, and bad input writes nothing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from custodiet.analyze.dossier import dossier
from custodiet.store.sql import SqlStore
from tests.conftest import Cli


def tool(name: str) -> str:
    """A program the test needs: skipped where it is missing, failed under CI (whose
    provisioning installs it)."""
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing: make provision installs it")
        pytest.skip(f"{name} is not installed (make provision installs it)")
    return found


def flat(text: str) -> str:
    """Text with ligatures undone and every run of white space one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


@pytest.fixture
def local(sqlite_url: str) -> Cli:
    """The starter atlas in SQLite alone: what these tests check does not depend on the
    database (the vendor's report is made from PostgreSQL too, below)."""
    cli = Cli(sqlite_url)
    cli("init", "--with-starter")
    return cli


def pdf_text(path: Path) -> str:
    done = subprocess.run([tool("pdftotext"), str(path), "-"], capture_output=True, check=True)
    return flat(done.stdout.decode())


@pytest.mark.parametrize(
    ("kind", "subject"), [("project", "ecu-911"), ("vendor", "huawei"), ("country", "EC")]
)
def test_the_pdf_holds_every_cited_quote(
    local: Cli, tmp_path: Path, kind: str, subject: str
) -> None:
    quotes_in_pdf(local, tmp_path, kind, subject)


def test_a_report_from_either_database(starter: Cli, tmp_path: Path) -> None:
    quotes_in_pdf(starter, tmp_path, "vendor", "huawei")


def quotes_in_pdf(starter: Cli, tmp_path: Path, kind: str, subject: str) -> None:
    out = tmp_path / f"{kind}.pdf"
    said = starter("report", kind, subject, "--format", "pdf", "--out", str(out))
    assert f"wrote {out}" in said
    assert out.read_bytes().startswith(b"%PDF")
    with SqlStore(starter.url).view() as view:
        report = dossier(view, kind, subject)  # type: ignore[arg-type]
    quotes = [n.quote for n in report.notes if n.quote]
    assert quotes and report.notes[-1].number == len(report.notes)
    text = pdf_text(out)
    missing = [q for q in quotes if flat(q) not in text]
    assert not missing, missing[:3]
    assert flat(report.summary.text) in text
    assert "Notes" in text and "Restrictions and sanctions" in text and "Financing" in text
    if kind == "vendor":
        assert "华为" in text  # an alias in Chinese, set in a font that has it


def test_the_pdf_embeds_fonts_for_chinese_cyrillic_and_arabic(local: Cli, tmp_path: Path) -> None:
    from custodiet.render.report import pdf

    with SqlStore(local.url).view() as view:
        report = dossier(view, "vendor", "huawei")
        report.title = "Huawei 华为 · Хуавэй · هواوي"
        out = tmp_path / "scripts.pdf"
        out.write_bytes(pdf(view, report))
    fonts = subprocess.run([tool("pdffonts"), str(out)], capture_output=True, check=True).stdout
    names = fonts.decode()
    assert "DejaVu" in names and re.search(r"WenQuanYi|NotoSansCJK|Noto-Sans-CJK", names), names
    text = pdf_text(out)
    assert "华为" in text and "Хуавэй" in text
    # Arabic is shaped right to left: its letters come back, in some order of lines.
    assert {"ه", "و", "ا", "ي"} <= set(text)


def test_the_html_report_is_one_file_that_loads_nothing(local: Cli, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    local("report", "vendor", "org:huawei", "--format", "html", "--out", str(out))
    html = out.read_text(encoding="utf-8")
    assert "<style>" in html and "<link" not in html and "<script" not in html
    assert not re.search(r'src="(?!data:image/svg\+xml;base64,)', html)
    assert 'id="note-1"' in html and 'href="#note-1"' in html


def test_bad_input_writes_nothing(local: Cli, tmp_path: Path) -> None:
    out = tmp_path / "reports" / "r.pdf"
    said = local("report", "vendor", "nobody", "--out", str(out), code=1)
    assert said.strip().endswith("no vendor org:nobody") and not out.exists()
    assert "KIND must be one of" in local("report", "person", "x", "--out", str(out), code=2)
    assert "--format must be" in local("report", "vendor", "huawei", "--format", "doc", code=2)
    assert not out.parent.exists()
