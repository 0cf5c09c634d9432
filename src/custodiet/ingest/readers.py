"""Reading paths: files by their suffix, folders recursively, `-` for standard input."""

from __future__ import annotations

import io
import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from custodiet.ingest import formats
from custodiet.ingest.document import MAX_DOCUMENT_BYTES, Document, Gate, ReadError, Skipped

SUFFIXES = {
    ".txt": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".warc": "warc",
    ".jsonl": "jsonl",
}
Item = Document | ReadError | Skipped


def kind_of(name: str) -> str | None:
    """The reader for a file name, by its suffix (None: not a format we read)."""
    name = name.lower()
    if name.endswith((".warc.gz", ".arc.gz")):
        return "warc"
    dot = name.rfind(".")
    return SUFFIXES.get(name[dot:]) if dot > 0 else None


def expand(paths: Iterable[str]) -> Iterator[Path | ReadError]:
    """Files in the order given; folders yield their readable files, sorted."""
    for raw in paths:
        if raw == "-":
            yield Path("-")
            continue
        path = Path(raw)
        if path.is_dir():
            yield from (Path(p) for p in sorted(_walk(path)))
        elif path.is_file():
            yield path if kind_of(path.name) else ReadError(str(path), "unknown file type")
        else:
            yield ReadError(str(path), "no such file or folder")


def _walk(folder: str | Path) -> Iterator[str]:
    """Readable files below a folder (os.scandir: no stat calls beyond what it caches)."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(entry.path)
            elif entry.is_file() and kind_of(entry.name):
                yield entry.path


def read_paths(paths: Iterable[str], gate: Gate | None = None) -> Iterator[Item]:
    """Documents, errors and (with a gate) documents skipped unparsed, in order."""
    for path in expand(paths):
        if isinstance(path, ReadError):
            yield path
        elif str(path) == "-":
            yield from read_stdin(sys.stdin.buffer, gate)
        else:
            yield from read_file(path, gate)


class TruncatedGzipError(ValueError):
    pass


class _Gunzip:
    """Streaming gunzip over members that says when the data ends mid-member.

    warcio's own decompression stops quietly at a truncation, and Python's GzipFile
    raises EOFError, which ends warcio's loop unremarked and loses the good records.
    """

    CHUNK = 1 << 16

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.buf = bytearray()
        self.unzip = zlib.decompressobj(31)
        self.partial = False  # the current member has begun but not ended
        self.done = False
        self.truncated = False

    def _fill(self, want: int) -> None:
        while (want < 0 or len(self.buf) < want) and not self.done:
            chunk = self.raw.read(self.CHUNK)
            if not chunk:
                self.done, self.truncated = True, self.partial
                return
            while chunk:
                self.partial = True
                self.buf += self.unzip.decompress(chunk)
                if not self.unzip.eof:
                    break
                chunk, self.unzip, self.partial = (
                    self.unzip.unused_data,
                    zlib.decompressobj(31),
                    False,
                )

    def _check(self) -> None:
        # What was decompressed is handed out first; then the truncation is reported.
        if self.truncated and not self.buf:
            raise TruncatedGzipError("gzip data ends in the middle of a record")

    def read(self, size: int = -1) -> bytes:
        self._fill(size)
        self._check()
        size = len(self.buf) if size < 0 else min(size, len(self.buf))
        out = bytes(self.buf[:size])
        del self.buf[:size]
        return out

    def readline(self, size: int = -1) -> bytes:
        while b"\n" not in self.buf and not self.done and (size < 0 or len(self.buf) < size):
            before = len(self.buf)
            self._fill(len(self.buf) + self.CHUNK)
            if len(self.buf) == before:
                break
        self._check()
        end = self.buf.find(b"\n") + 1 or len(self.buf)
        end = end if size < 0 else min(end, size)
        out = bytes(self.buf[:end])
        del self.buf[:end]
        return out


def read_stdin(stream: IO[bytes], gate: Gate | None = None) -> Iterator[Item]:
    data = stream.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        yield ReadError("-", f"more than {MAX_DOCUMENT_BYTES >> 20} MiB on standard input")
    elif data.lstrip()[:1] == b"{":
        yield from formats.read_jsonl(io.BytesIO(data), "-", gate)
    else:
        yield from formats.read_text(data, "-", gate)


def read_file(path: Path, gate: Gate | None = None) -> Iterator[Item]:
    where, kind = str(path), kind_of(path.name)
    try:
        if kind == "jsonl":
            with path.open("rb") as f:
                yield from formats.read_jsonl(f, where, gate)
            return
        if kind == "warc":
            with path.open("rb") as raw:
                stream = _Gunzip(raw) if path.name.lower().endswith(".gz") else raw
                yield from formats.read_warc(stream, where, gate)  # type: ignore[arg-type]
            return
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            yield ReadError(where, f"larger than {MAX_DOCUMENT_BYTES >> 20} MiB; split it")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield ReadError(where, exc.strerror or type(exc).__name__)
        return
    if kind == "html":
        yield from formats.read_html(data, where, gate=gate)
    elif kind == "pdf":
        yield from formats.read_pdf(data, where)
    else:
        yield from formats.read_text(data, where, gate)
