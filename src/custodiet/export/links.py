"""Addresses in a published copy of the atlas: which file answers for each of the app's
addresses, links rewritten to be relative to the page that holds them, and a checker that
every internal link of a folder leads to a file in it.

Links are relative, never rooted, so the copy works under any base address and from
file://, where a folder does not open its index.html: every link names its file.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

# The endings the app serves as files; any other address is a page, written as NAME.html.
FILE_ENDINGS = (".json", ".csv", ".geojson", ".atom", ".svg", ".png", ".pdf", ".css", ".js",
                ".html", ".txt", ".ico", ".map", ".woff2")  # fmt: skip
# Attributes whose value is an address: links, assets, and the map's data- addresses.
ADDRESS = re.compile(
    r"""(?P<lead>\s(?:href|src|action|data-source|data-world|data-countries)=")(?P<url>/[^"/][^"]*|/)(?=")"""
)
LOCAL_LINK = re.compile(r"""\s(?:href|src)="(?P<url>[^"]*)\"""")
UNSAFE = re.compile(r"[^A-Za-z0-9.-]+")


def local_file(address: str) -> str:
    """The file, relative to the copy's root, that answers for an app address: "/" is
    index.html, a page /countries/EC is countries/EC.html beside its twins countries/EC.json
    and .csv; a query becomes part of the name (charts/years--country-EC.svg)."""
    parts = urlsplit(address)
    path = unquote(parts.path)
    if path.endswith("/") and path != "/":
        return path.lstrip("/")  # a folder, as the map's prefix of country pages
    if path == "/":
        path = "/index.html"
    stem, ending = posixpath.splitext(path)
    if ending not in FILE_ENDINGS:
        stem, ending = path, ".html"
    query = parse_qsl(parts.query)
    if query:
        named = "_".join(f"{k}-{UNSAFE.sub('-', v)}" for k, v in sorted(query) if v)
        if named:
            stem = f"{stem}--{named}"
    return f"{stem.lstrip('/')}{ending}"


def relative(target: str, page: str) -> str:
    """The link from the file `page` to the file `target`, both relative to the root."""
    folder = posixpath.dirname(page) or "."
    link = posixpath.relpath(target.rstrip("/") or ".", folder)
    return link + "/" if target.endswith("/") else link


def rewrite(text: str, page: str, found: Callable[[str], None]) -> str:
    """The HTML of the file `page` with every rooted address made relative to it; `found`
    is told each address (without its #fragment) so that it can be published too."""

    def one(match: re.Match[str]) -> str:
        address, _, fragment = html.unescape(match["url"]).partition("#")
        found(address)
        link = relative(local_file(address), page)
        return match["lead"] + html.escape(link + (f"#{fragment}" if fragment else ""))

    return ADDRESS.sub(one, text)


@dataclass(frozen=True)
class Broken:
    page: str
    link: str

    def __str__(self) -> str:
        return f"{self.page}: {self.link} leads to no file"


def broken_links(root: Path) -> Iterator[Broken]:
    """Every internal link (href or src) of every HTML file under `root` that names no file
    there; links to other hosts, fragments and data: addresses are not checked."""
    for page in sorted(root.rglob("*.html")):
        name = page.relative_to(root).as_posix()
        for match in LOCAL_LINK.finditer(page.read_text(encoding="utf-8")):
            link = html.unescape(match["url"])
            target = urlsplit(link)
            if target.scheme or target.netloc or not target.path:
                continue  # another host, mailto:, data:, or a #fragment of this page
            if target.path.startswith("/"):
                yield Broken(name, link)  # rooted: breaks under any other base address
                continue
            resolved = (page.parent / unquote(target.path)).resolve()
            inside = resolved.is_relative_to(root.resolve())
            if not inside or not (resolved.is_file() or target.path.endswith("/")):
                yield Broken(name, link)
