"""Releases: every format, a manifest of checksums, the changes since the last release
and an Ed25519 signature (PyNaCl) that `release verify` checks; a flipped byte, a
touched manifest and another key are each caught, and the secret key never ships."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from tests.conftest import Cli

FACT = """\
sources:
  s: {url: "https://example.org/new-deal", title: "A new deal", publisher: "Example News"}
entities:
  - id: deployment:release-test-deal
    quote: "Hikvision cameras for the city of Windhoek"
    properties:
      vendor: org:hikvision
      buyer_country: NA
      buyer_city: Windhoek
      technology: safe_city_cctv
      year: 2025
"""


def test_release_verify_and_what_it_catches(starter: Cli, tmp_path: Path) -> None:
    key = tmp_path / "keys" / "custodiet.key"
    starter("release", "keygen", "--out", str(key))
    assert (
        stat.S_IMODE(key.stat().st_mode) == 0o600
        and (tmp_path / "keys" / "custodiet.key.pub").exists()
    )
    assert "never overwritten" in starter("release", "keygen", "--out", str(key), code=1)
    public = key.with_name("custodiet.key.pub")

    root = tmp_path / "releases"
    said = starter("release", "--out", str(root), "--key", str(key))
    (first,) = root.iterdir()
    assert first.name.endswith("-v1") and "signed" in said
    manifest = json.loads((first / "manifest.json").read_text())
    for name in ("statements.jsonl", "atlas.ftm.jsonl", "atlas.geojson", "csv/deployments.csv",
                 "parquet/deployments.parquet", "datasette/atlas.db", "datasette/metadata.json",
                 "CHANGES.md", "changes.json"):  # fmt: skip
        assert name in manifest["files"], name
    assert manifest["counts"]["deployments"] > 200 and manifest["schema"]["records"]
    assert {d["name"] for d in manifest["datasets"]} >= {"aigs", "custodiet"}
    assert "verified" in starter("release", "verify", str(first), "--key", str(public))
    secret = key.read_text().strip()
    for path in first.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert secret.encode() not in data and bytes.fromhex(secret) not in data, path

    target = first / "csv" / "deployments.csv"
    original = target.read_bytes()
    target.write_bytes(original[:100] + bytes([original[100] ^ 1]) + original[101:])
    said = starter("release", "verify", str(first), code=1)
    assert "csv/deployments.csv: its sha256 is not the manifest's" in said
    target.write_bytes(original)

    body = (first / "manifest.json").read_text()
    (first / "manifest.json").write_text(body.replace('"version": 1', '"version": 7'))
    assert "manifest.json: the signature does not verify" in starter(
        "release", "verify", str(first), code=1
    )
    (first / "manifest.json").write_text(body)

    other = tmp_path / "other.key"
    starter("release", "keygen", "--out", str(other))
    said = starter("release", "verify", str(first), "--key", str(other) + ".pub", code=1)
    assert "signed by another key" in said
    (first / "extra.txt").write_text("slipped in")
    assert "extra.txt: not in the manifest" in starter("release", "verify", str(first), code=1)
    (first / "extra.txt").unlink()

    (tmp_path / "fact.yaml").write_text(FACT, encoding="utf-8")
    starter("load", str(tmp_path / "fact.yaml"))
    said = starter("release", "--out", str(root))
    second = root / first.name.replace("-v1", "-v2")
    changes = json.loads((second / "changes.json").read_text())
    assert changes["previous"] == first.name and changes["retired"] == 0
    assert changes["added"] >= 5  # the new deployment's facts, property by property
    assert ["deployment:release-test-deal", "buyer_city", "Windhoek"] in changes["examples"][
        "added"
    ]
    assert "not signed" in said and "unsigned" in starter("release", "verify", str(second))
    assert "not signed" in starter("release", "verify", str(second), "--key", str(public), code=1)


def test_a_bad_key_makes_no_release(starter: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.key"
    bad.write_text("not a key\n")
    root = tmp_path / "releases"
    assert "not a Custodiet secret key" in starter(
        "release", "--out", str(root), "--key", str(bad), code=1
    )
    assert not root.exists() or not list(root.iterdir())
    assert "give --out DIR" in starter("release", code=2)
