"""Releases: a versioned, dated folder with the atlas in every export format, a manifest
(counts, datasets and their versions, schema versions, the sha256 and size of every
file), the changes since the previous release (facts added, changed, retired) and,
given a key, an Ed25519 signature of the manifest. `check` verifies one: the signature
first, then every file against the manifest, naming the first that fails.

The secret key is read, never copied: what a release holds of the key is its public
half, in `signature.json`."""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from custodiet import __version__
from custodiet.export import csvtables, datasette, ftm, geojson, parquet, signing
from custodiet.export import statements as statement_export
from custodiet.model.errors import DataError
from custodiet.model.statement import Status
from custodiet.store.view import View

MANIFEST = "manifest.json"
SIGNATURE = "signature.json"
STATEMENTS = "statements.jsonl"
CHANGES = "changes.json"
EXAMPLES = 20  # facts listed per kind of change in CHANGES.md


class ReleaseError(DataError):
    """A release that does not verify: the message names the first file that fails."""


@dataclass(frozen=True)
class Made:
    folder: Path
    manifest: dict[str, Any]
    changes: dict[str, Any]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def releases(root: Path) -> list[tuple[int, Path]]:
    """The releases already in `root`, by version."""
    found = []
    for folder in root.glob("custodiet-*-v*") if root.is_dir() else []:
        try:
            found.append((int(json.loads((folder / MANIFEST).read_text())["version"]), folder))
        except (OSError, ValueError, KeyError):
            continue
    return sorted(found)


def make(view: View, root: Path, key: Path | None = None) -> Made:
    """A new release in `root`, written in a temporary folder and renamed into place
    whole; signed with the secret key in `key` when given."""
    if key is not None:
        signing.sign(b"", key)  # a bad key fails before any work
    earlier = releases(root)
    version = earlier[-1][0] + 1 if earlier else 1
    created = datetime.now(UTC)
    name = f"custodiet-{created:%Y-%m-%d}-v{version}"
    root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=root))
    try:
        counts = _exports(view, work)
        previous = earlier[-1][1] if earlier else None
        changes = _changes(previous / STATEMENTS if previous else None, work / STATEMENTS)
        changes["previous"] = previous.name if previous else None
        (work / CHANGES).write_text(json.dumps(changes, indent=2, ensure_ascii=False) + "\n")
        (work / "CHANGES.md").write_text(_changes_text(name, changes), encoding="utf-8")
        manifest = {
            "name": name,
            "version": version,
            "created": created.isoformat(timespec="seconds"),
            "custodiet": __version__,
            "schema": _schema_versions(view),
            "previous": changes["previous"],
            "counts": counts,
            "datasets": [
                {
                    "name": d.name,
                    "version": d.version,
                    "released": d.released,
                    "licence": d.licence,
                    "citation": d.citation,
                }
                for d in view.datasets()
            ],
            "files": {
                p.relative_to(work).as_posix(): {"sha256": sha256(p), "bytes": p.stat().st_size}
                for p in sorted(work.rglob("*"))
                if p.is_file()
            },
        }
        body = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
        (work / MANIFEST).write_bytes(body)
        if key is not None:
            signature, public = signing.sign(body, key)
            seal = {"algorithm": "Ed25519", "public_key": public, "signature": signature}
            (work / SIGNATURE).write_text(json.dumps(seal, indent=2) + "\n")
        folder = root / name
        work.replace(folder)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return Made(folder, manifest, changes)


def _exports(view: View, work: Path) -> dict[str, int]:
    """Every format into the release; the records and statements it holds."""
    with (work / STATEMENTS).open("w", encoding="utf-8") as f:
        statement_count = statement_export.write(
            view.iter_statements([Status.ACCEPTED]), "statements-jsonl", f
        )
    with (work / "statements.csv").open("w", encoding="utf-8", newline="") as f:
        statement_export.write(view.iter_statements([Status.ACCEPTED]), "statements-csv", f)
    with (work / "atlas.ftm.jsonl").open("w", encoding="utf-8") as f:
        ftm.export(view, f)
    with (work / "atlas.geojson").open("w", encoding="utf-8") as f:
        geojson.export(view, f)
    for name, module in (("csv", csvtables), ("datasette", datasette)):
        (work / name).mkdir()
        tables = module.export(view, work / name)
    (work / "parquet").mkdir()
    parquet.export(view, work / "parquet")
    counts = {name: n for name, n in tables.items() if name not in ("statements", "sources")}
    return {"statements": statement_count, **counts}


def _schema_versions(view: View) -> dict[str, str | None]:
    from custodiet.store.migrate import head_revision
    from custodiet.store.records import version

    return {"database": head_revision(), "records": version()}


def _facts(path: Path | None) -> dict[str, tuple[str, str, str]]:
    """statement id -> (entity, property, value), from a release's statements."""
    out: dict[str, tuple[str, str, str]] = {}
    if path is None or not path.exists():
        return out
    with path.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            out[row["id"]] = (row["canonical_id"] or row["entity_id"], row["prop"], row["value"])
    return out


def _values(facts: dict[str, tuple[str, str, str]]) -> dict[tuple[str, str], set[str]]:
    out: dict[tuple[str, str], set[str]] = {}
    for entity, prop, value in facts.values():
        out.setdefault((entity, prop), set()).add(value)
    return out


def _changes(before: Path | None, after: Path) -> dict[str, Any]:
    """Against the previous release's statements, by (entity, property): added (stated
    now, not then), changed (stated both times, with other values) and retired (stated
    then, not now). A fact from one more source changes nothing."""
    old, new = _values(_facts(before)), _values(_facts(after))
    added = sorted(new.keys() - old.keys())
    retired = sorted(old.keys() - new.keys())
    changed = sorted(k for k in new.keys() & old.keys() if new[k] != old[k])

    def listed(
        keys: Sequence[tuple[str, str]], values: dict[tuple[str, str], set[str]]
    ) -> list[list[str]]:
        return [[e, p, "; ".join(sorted(values[(e, p)]))] for e, p in keys[:EXAMPLES]]

    return {
        "added": len(added),
        "changed": len(changed),
        "retired": len(retired),
        "examples": {
            "added": listed(added, new),
            "changed": listed(changed, new),
            "retired": listed(retired, old),
        },
    }


def _changes_text(name: str, changes: dict[str, Any]) -> str:
    since = changes["previous"] or "nothing (the first release)"
    lines = [f"# {name}", "", f"Changes since {since}:", ""]
    for kind in ("added", "changed", "retired"):
        lines.append(f"- {changes[kind]:,} facts {kind}")
    for kind, facts in changes["examples"].items():
        if facts:
            lines += ["", f"## {kind.capitalize()} (the first {len(facts)})", ""]
            lines += [f"- `{' · '.join(f)}`" for f in facts]
    return "\n".join(lines) + "\n"


def check(folder: Path, public: Path | None = None) -> dict[str, Any]:
    """The manifest of a release that verifies; ReleaseError naming the first file that
    does not. With `public`, the signature must be that key's; without, the release's
    own public key is used (which proves integrity, not who signed)."""
    manifest_path = folder / MANIFEST
    try:
        body = manifest_path.read_bytes()
        manifest = json.loads(body)
    except (OSError, ValueError) as exc:
        raise ReleaseError(f"unreadable ({exc})", file=str(manifest_path)) from None
    seal_path = folder / SIGNATURE
    if seal_path.exists():
        seal = json.loads(seal_path.read_text())
        key = signing.public_key(public) if public else seal["public_key"]
        if public and key != seal["public_key"]:
            raise ReleaseError("signed by another key", file=str(seal_path))
        try:
            signing.verify(body, seal["signature"], key)
        except signing.BadSignatureError as exc:
            raise ReleaseError(str(exc), file=str(manifest_path)) from None
    elif public is not None:
        raise ReleaseError("missing: the release is not signed", file=str(seal_path))
    listed = manifest.get("files", {})
    for name, expected in listed.items():
        path = folder / name
        if not path.is_file():
            raise ReleaseError("missing", file=str(path))
        if path.stat().st_size != expected["bytes"] or sha256(path) != expected["sha256"]:
            raise ReleaseError("its sha256 is not the manifest's", file=str(path))
    extra = sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.name not in (MANIFEST, SIGNATURE)
        and p.relative_to(folder).as_posix() not in listed
    )  # fmt: skip
    if extra:
        raise ReleaseError("not in the manifest", file=str(folder / extra[0]))
    return dict(manifest)
