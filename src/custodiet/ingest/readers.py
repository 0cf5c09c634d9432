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
from custodiet.ingest.document import (
    MAX_DOCUMENT_BYTES,
    Document,
    Gate,
    ReadError,
    Skipped,
    StreamError,
)

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
    if name.endswith(".jsonl.gz"):
        return "jsonl"
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
    """Documents, errors and (with a gate) documents skipped unparsed, in order. A file
    that breaks its reader in any way is one error naming it, and the run goes on."""
    for path in expand(paths):
        if isinstance(path, ReadError):
            yield path
        elif str(path) == "-":
            yield from guarded(read_stdin(sys.stdin.buffer, gate), "-")
        else:
            yield from guarded(read_file(path, gate), str(path))


def guarded(items: Iterator[Item], where: str) -> Iterator[Item]:
    """The items, then, if the reader fails on anything (a malformed PDF, a decompression
    bomb, JSON nested too deep…), one error naming the last place it reached."""
    try:
        for item in items:
            if isinstance(item, Document) and not item.text:
                yield ReadError(item.source, "no text to read")
            else:
                yield item
    except MemoryError:
        raise
    except Exception as exc:
        yield ReadError(where, f"cannot be read ({_why(exc)})")


def _why(exc: BaseException) -> str:
    detail = " ".join(str(exc).split())[:120]
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


class TruncatedGzipError(StreamError):
    pass


class _Gunzip:
    """Streaming gunzip over members that says when the data ends mid-member.

    warcio's own decompression stops quietly at a truncation, and Python's GzipFile
    raises EOFError, which ends warcio's loop unremarked and loses the good records.
    It decompresses a chunk at a time, so a gzip bomb (2 MB that expand to 2 GB) costs
    no more memory than any other stream.
    """

    CHUNK = 1 << 16

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.buf = bytearray()
        self.unzip = zlib.decompressobj(31)
        self.pending = b""  # compressed bytes read but not decompressed yet
        self.partial = False  # the current member has begun but not ended
        self.done = False
        self.truncated = False

    def _fill(self, want: int) -> None:
        while (want < 0 or len(self.buf) < want) and not self.done:
            if not self.pending:
                self.pending = self.raw.read(self.CHUNK)
                if not self.pending:
                    self.done, self.truncated = True, self.partial
                    return
            self.partial = True
            self.buf += self.unzip.decompress(self.pending, self.CHUNK)
            if self.unzip.eof:  # a member ended; what follows begins the next one
                self.pending, self.unzip = self.unzip.unused_data, zlib.decompressobj(31)
                self.partial = False
            else:
                self.pending = self.unzip.unconsumed_tail

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

    def __iter__(self) -> Iterator[bytes]:
        while line := self.readline():
            yield line

    def readline(self, size: int = -1) -> bytes:
        scanned = 0  # what was searched for a newline already is not searched again
        while (
            b"\n" not in self.buf[scanned:] and not self.done and (size < 0 or len(self.buf) < size)
        ):
            scanned = len(self.buf)
            self._fill(len(self.buf) + self.CHUNK)
            if len(self.buf) == scanned:
                break
        self._check()
        end = self.buf.find(b"\n") + 1 or len(self.buf)
        end = end if size < 0 else min(end, size)
        out = bytes(self.buf[:end])
        del self.buf[:end]
        return out


class NoLineBreakError(StreamError):
    pass


class LineGuard:
    """Hands a stream to warcio, refusing to go on past MAX_RUN bytes without a line break.

    warcio joins a header line piece by piece, which takes time growing with the square
    of its length: 64 MB of NUL bytes took 75 s and 1 GB. A run this long without a
    newline byte is no WARC header, and in real content (text or compressed binary) it
    does not occur."""

    MAX_RUN = 8 << 20

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.run = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        newline = data.rfind(b"\n")
        self.run = len(data) - newline - 1 if newline >= 0 else self.run + len(data)
        if self.run > self.MAX_RUN:
            raise NoLineBreakError(f"no line break in {self.MAX_RUN >> 20} MiB")
        return data

    def readline(self, size: int = -1) -> bytes:
        line = self.stream.readline(size)
        self.run = 0 if line.endswith(b"\n") else self.run + len(line)
        if self.run > self.MAX_RUN:
            raise NoLineBreakError(f"no line break in {self.MAX_RUN >> 20} MiB")
        return line


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
                lines = _Gunzip(f) if path.name.lower().endswith(".gz") else f
                yield from formats.read_jsonl(lines, where, gate)
            return
        if kind == "warc":
            with path.open("rb") as raw:
                stream = _Gunzip(raw) if path.name.lower().endswith(".gz") else raw
                guarded = LineGuard(stream)  # type: ignore[arg-type]
                yield from formats.read_warc(guarded, where, gate)  # type: ignore[arg-type]
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
