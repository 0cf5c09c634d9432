"""`custodiet publish`: the public atlas as static files anyone can host.

Every page is rendered by the app itself (created with published=True, so that its pages
carry no editor links and search in the browser), requested in-process, and followed
link by link from the home page and the navigation: what a reader can reach is what is
published. Each page is written as NAME.html beside its JSON, CSV and GeoJSON twins, its
links made relative (links.py), so the folder works under any base address and from
file://. A publish over an earlier one rewrites only the files whose bytes changed and
removes the files nothing links to any more.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import anyio
import httpx

from custodiet import __version__
from custodiet.export.files import atomic_bytes
from custodiet.export.links import broken_links, local_file, rewrite
from custodiet.model.errors import DataError

MARKER = ".custodiet-site.json"
DOCUMENTS = "search-documents.js"
# Where the crawl starts: the navigation's pages and the twins no page links to.
SEEDS = ("/", "/surveillance-index", "/surveillance-index/aigs", "/charts", "/search",
         "/datasets", "/about", "/index.json", "/openapi.json", "/surveillance-index.json",
         "/surveillance-index.csv", "/deployments.csv", "/countries.csv", "/vendors.csv",
         "/datasets.json", "/about.json")  # fmt: skip
# Addresses not requested: what needs the server (editing, corrections, the live API
# explorer), and what publish writes itself (static files, the search documents).
NOT_CRAWLED = ("/review", "/duplicates", "/corrections", "/correct/", "/signin", "/signout",
               "/docs", "/static/", f"/{DOCUMENTS}")  # fmt: skip
TESTSERVER = "http://testserver"
ABSOLUTE = re.compile(re.escape(TESTSERVER) + r"""(?P<path>/[^"'<\s]*)""")
HEADING = re.compile(r"<h1[^>]*>(?P<text>.*?)</h1>", re.S)
SUMMARY = re.compile(r'<p class="summary-text">(?P<text>.*?)</p>', re.S)
TAG = re.compile(r"<[^>]+>")
MAP_DATA = re.compile(r'\sdata-(?:source|world)="(?P<url>/[^"]*)"')
# An entity's page has twins at its address plus these endings, published whether or not
# the page links them.
TWINS = {"countries": (".json", ".csv", ".geojson"), "vendors": (".json", ".csv"),
         "projects": (".json", ".csv"), "deployments": (".json",), "sources": (".json",),
         "datasets": (".json",)}  # fmt: skip


class PublishError(DataError):
    """A folder publish will not write into, or a page that failed to render."""


@dataclass
class Published:
    folder: Path
    pages: int = 0
    files: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    bytes: int = 0
    seconds: float = 0.0
    failed: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def publish(
    url: str,
    out: Path,
    *,
    base_url: str = "/",
    pdf: bool = False,
    release: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Published:
    """Publish the atlas at database `url` into the folder `out`: a new or empty folder, or
    one an earlier publish wrote. `base_url` is where the copy will be served, for the
    absolute links feeds need; `release` is a release folder to copy in (verified first).
    `progress` is told the files done and the addresses known so far."""
    from custodiet.web.app import create_app

    _claim(out)
    if release is not None:
        from custodiet.export.release import check

        check(release)
    started = time.perf_counter()
    done = Published(out)
    kept: set[str] = {MARKER}
    site = Site(out, base_url, done, kept)
    anyio.run(site.crawl, create_app(url, published=True), () if pdf else (".pdf",), progress)
    site.copy_static()
    if release is not None:
        site.copy_tree(release, f"release/{release.name}")
    site.write(DOCUMENTS, _documents_script(site.documents))
    for address in sorted(site.map_data):
        name = local_file(address)
        site.write(f"{name}.js", _data_script((out / name).read_bytes()))
    done.removed = _remove_unkept(out, kept)
    marker = {"version": __version__, "published": datetime.now(UTC).isoformat(timespec="seconds"),
              "base_url": base_url, "files": done.files}  # fmt: skip
    atomic_bytes(out / MARKER, json.dumps(marker, indent=2).encode())
    done.seconds = time.perf_counter() - started
    done.broken = [str(b) for b in broken_links(out)]
    return done


@dataclass
class Site:
    """The folder being published, and what has been written to it so far."""

    root: Path
    base_url: str
    done: Published
    kept: set[str]
    documents: list[dict[str, str]] = field(default_factory=list)
    map_data: set[str] = field(default_factory=set)  # the addresses maps read their data at

    def write(self, name: str, body: bytes) -> None:
        """Write the file unless it already holds exactly these bytes."""
        target = self.root / name
        self.kept.add(name)
        self.done.files += 1
        self.done.bytes += len(body)
        try:
            same = target.stat().st_size == len(body) and target.read_bytes() == body
        except OSError:
            same = False
        if same:
            self.done.unchanged += 1
            return
        atomic_bytes(target, body)
        self.done.written += 1

    async def crawl(
        self, app: Any, left_out: tuple[str, ...], progress: Callable[[int, int], None] | None
    ) -> None:
        """Request every address reachable from the seeds, breadth first, and write each;
        addresses ending in one of `left_out` are not followed."""
        queue: deque[str] = deque(SEEDS)
        seen: set[str] = set(SEEDS)

        def found(address: str) -> None:
            path = address.split("?", 1)[0]
            if address in seen or path.startswith(NOT_CRAWLED) or path.endswith(left_out):
                return
            if path.endswith("/") and path != "/":  # a prefix the map's links start with
                return
            seen.add(address)
            queue.append(address)

        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=TESTSERVER) as client:
            while queue:
                await self._publish(client, queue.popleft(), found)
                if progress is not None:
                    progress(self.done.files, len(seen))

    async def _publish(self, client: Any, address: str, found: Callable[[str], None]) -> None:
        """Request one address and write what it answers, its links made relative."""
        response = await client.get(address)
        if response.status_code != 200:
            self.done.failed.append(f"{address}: {response.status_code}")
            return
        name = local_file(address)
        body = response.content
        media = response.headers.get("content-type", "")
        if media.startswith("text/html"):
            # A report's links are absolute (it is read apart from the site): here they
            # are rooted, then made relative as every other link is.
            text = body.decode("utf-8").replace(f'"{TESTSERVER}/', '"/')
            self.map_data.update(m["url"] for m in MAP_DATA.finditer(text))
            text = rewrite(text, name, found)
            self.done.pages += 1
            kind = _entity_kind(address)
            if kind:
                self._index(kind, name, text)
                for ending in TWINS[kind]:
                    found(address + ending)
            body = text.encode("utf-8")
        elif media.startswith("application/atom+xml"):
            body = self._absolute(body.decode("utf-8")).encode("utf-8")
        self.write(name, body)

    def _absolute(self, text: str) -> str:
        """Absolute links (a feed's, a report's) under the base address, to their files."""
        base = self.base_url.rstrip("/")
        return ABSOLUTE.sub(lambda m: f"{base}/{local_file(m['path'])}", text)

    def _index(self, kind: str, name: str, text: str) -> None:
        """A search document for an entity's page: its heading and its summary."""
        heading = HEADING.search(text)
        summary = SUMMARY.search(text)
        self.documents.append(
            {
                "id": name,
                "kind": kind,
                "href": name,
                "title": _plain(heading["text"]) if heading else name,
                "text": _plain(summary["text"]) if summary else "",
            }
        )

    def copy_static(self) -> None:
        """The app's own styles, scripts and vendored libraries, under static/."""
        source = resources.files("custodiet.web").joinpath("static")
        with resources.as_file(source) as folder:
            self.copy_tree(folder, "static")

    def copy_tree(self, folder: Path, under: str) -> None:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                self.write(f"{under}/{path.relative_to(folder).as_posix()}", path.read_bytes())


def _claim(out: Path) -> None:
    """Refuse a folder that holds files publish did not write."""
    if out.exists() and not out.is_dir():
        raise PublishError(f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise PublishError(f"{out} holds files that custodiet publish did not write; give an "
                           "empty folder or an earlier publish's")  # fmt: skip


def _remove_unkept(root: Path, kept: set[str]) -> int:
    """Remove the files of an earlier publish that this one did not write, and the folders
    left empty."""
    removed = 0
    for path in sorted(root.rglob("*"), reverse=True):
        name = path.relative_to(root).as_posix()
        if path.is_file() and name not in kept:
            path.unlink()
            removed += 1
        elif path.is_dir() and not any(path.iterdir()):
            shutil.rmtree(path)
    return removed


def _entity_kind(address: str) -> str | None:
    """The kind of entity (a key of TWINS) whose page is at `address`, if it is one."""
    parts = address.split("/")
    if len(parts) == 3 and parts[1] in TWINS and "?" not in address and "." not in parts[2]:
        return parts[1]
    return None


def _plain(fragment: str) -> str:
    return " ".join(html.unescape(TAG.sub(" ", fragment)).split())


def _documents_script(documents: list[dict[str, str]]) -> bytes:
    """The search documents as a script (a fetch of a file is refused from file://)."""
    ordered = sorted(documents, key=lambda d: d["id"])
    return b"window.custodietDocuments = " + json.dumps(ordered, ensure_ascii=False,
        separators=(",", ":")).encode() + b";\n"  # fmt: skip


def _data_script(data: bytes) -> bytes:
    """A map's JSON as a script that files it under the address the script is loaded from,
    for maps opened from file:// (see atlas.js)."""
    return (b"(window.custodietData = window.custodietData || {})"
            b'[document.currentScript.getAttribute("src")] = ' + data.strip() + b";\n")  # fmt: skip
