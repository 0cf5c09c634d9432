"""Shards: every line of a JSONL file read exactly once however it is cut, named as
`custodiet extract` names it."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from custodiet.ingest.document import Document, ReadError
from custodiet.ingest.readers import read_paths
from custodiet.scale.shards import InputError, inputs, lines_in_range, plan, read_shard


def test_ranges_hold_each_line_once(tmp_path: Path) -> None:
    rng = random.Random(5)
    lines = [b"x" * rng.randint(0, 40) + b"\n" for _ in range(300)] + [b"no newline at end"]
    data = b"".join(lines)
    path = tmp_path / "f.jsonl"
    path.write_bytes(data)
    for size in (1, 2, 7, 41, 100, len(data) - 1, len(data), len(data) + 5):
        read: list[bytes] = []
        with path.open("rb") as f:
            for start in range(0, len(data), size):
                read.extend(lines_in_range(f, start, min(start + size, len(data))))
        assert read == lines, size


def names(items: object) -> list[tuple[str, str]]:
    return [
        (i.source, i.text) if isinstance(i, Document) else (str(i), "")
        for i in items  # type: ignore[attr-defined]
    ]


@pytest.mark.parametrize("shard_bytes", [300, 1000, 4096, 1 << 20])
def test_a_cut_file_reads_as_extract_reads_it(tmp_path: Path, shard_bytes: int) -> None:
    path = tmp_path / "news.jsonl"
    rows = [f'{{"text": "Document number {i}. {"words " * (i % 30)}"}}\n' for i in range(120)]
    rows[17] = "not json\n"
    rows[60] = "\n"
    path.write_text("".join(rows), encoding="utf-8")
    shards = plan(inputs([str(path)]), shard_bytes)
    assert len(shards) == -(-path.stat().st_size // shard_bytes)
    scanned = [item for shard in shards for item in read_shard(shard)]
    assert names(scanned) == names(read_paths([str(path)]))
    assert any(isinstance(i, ReadError) and i.where == f"{path}:18" for i in scanned)


def test_small_files_share_a_shard_and_ids_are_stable(tmp_path: Path) -> None:
    for i in range(5):
        (tmp_path / f"{i}.txt").write_text("a" * 400, encoding="utf-8")
    files = inputs([str(tmp_path / "*.txt")])
    first = plan(files, 1000)
    assert [len(s.pieces) for s in first] == [2, 2, 1]
    assert [s.id for s in plan(files, 1000)] == [s.id for s in first]
    assert len({s.id for s in first}) == 3


@pytest.mark.parametrize(
    ("given", "message"),
    [("nowhere.jsonl", "no such file or folder"), ("*.nothing", "the pattern matches no file")],
)
def test_inputs_that_name_nothing_are_refused(tmp_path: Path, given: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        inputs([str(tmp_path / given)])


def test_gzipped_jsonl_reads_as_the_plain_file(tmp_path: Path) -> None:
    import gzip

    plain = tmp_path / "news.jsonl"
    plain.write_text("".join(f'{{"id": "d{i}", "text": "Text {i}."}}\n' for i in range(50)))
    packed = tmp_path / "packed.jsonl.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert [i.text for i in read_paths([str(packed)])] == [  # type: ignore[union-attr]
        i.text  # type: ignore[union-attr]
        for i in read_paths([str(plain)])
    ]
    assert len(plan(inputs([str(packed)]), 10)) == 1  # a gzip stream is not cut
