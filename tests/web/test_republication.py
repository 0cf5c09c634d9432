"""The text policy: a source's full text is stored for checking, but the public sees a
source only once an accepted fact cites it, and then only its quotes in context unless its
licence allows more; candidates are for editors alone."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from custodiet.model.policy import CONTEXT_CHARS
from custodiet.web.app import create_app
from tests.conftest import Cli

FILLER = "The council met again to discuss the budget for parks. " * 40
DEAL = "The Kenyan police signed a contract with Hikvision for cameras in Nairobi in 2019."


def ingest(cli: Cli, folder: Path, url: str = "https://news.example/kenya") -> str:
    (folder / "news.jsonl").write_text(
        json.dumps({"id": "n1", "text": f"{FILLER}\n\n{DEAL}\n\n{FILLER}", "url": url}) + "\n",
        encoding="utf-8",
    )
    cli("ingest", str(folder / "news.jsonl"))
    (row,) = [json.loads(x) for x in cli("review", "list", "--json").splitlines()]
    return str(row["id"])


def test_a_candidates_source_is_for_editors_alone(starter: Cli, tmp_path: Path) -> None:
    candidate = ingest(starter, tmp_path)
    client = TestClient(create_app(starter.url))
    source = json.loads(starter("review", "show", candidate, "--json"))["source"]["id"]
    assert client.get(f"/sources/{source}.json").status_code == 404
    assert client.get("/search.json?q=council+budget").json()["hits"] == []
    starter("review", "accept", candidate)
    page = TestClient(create_app(starter.url)).get(f"/sources/{source}.json").json()
    assert page["shown"] == "excerpts"
    shown = "".join(s["text"] for s in page["segments"] if not s["gap"])
    assert DEAL in shown and len(shown) <= len(DEAL) + 2 * CONTEXT_CHARS
    assert page["segments"][0]["gap"] and page["segments"][-1]["gap"]
    html = TestClient(create_app(starter.url)).get(f"/sources/{source}").text
    assert "does not allow its full text" in html and FILLER not in html


def test_an_open_licence_shows_the_whole_text(starter: Cli, tmp_path: Path) -> None:
    text = f"{FILLER}\\n\\n{DEAL}"
    (tmp_path / "open.yaml").write_text(
        "sources:\n"
        f'  open: {{url: "https://open.example/k", licence: CC BY 4.0, text: "{text}"}}\n'
        "entities:\n  - id: deployment:open-ke\n"
        f'    quote: "{DEAL}"\n'
        "    properties: {vendor: org:huawei, buyer_country: KE}\n",
        encoding="utf-8",
    )
    starter("load", str(tmp_path / "open.yaml"))
    client = TestClient(create_app(starter.url))
    source = client.get("/countries/KE.json").json()
    sid = next(d["sources"][0] for d in source["deployments"] if d["id"] == "deployment:open-ke")
    page = client.get(f"/sources/{sid}.json").json()
    assert page["shown"] == "full" and not any(s["gap"] for s in page["segments"])
    assert FILLER.strip() in "".join(s["text"] for s in page["segments"])


def test_a_javascript_address_is_never_a_link(starter: Cli, tmp_path: Path) -> None:
    candidate = ingest(starter, tmp_path, url="javascript:alert(document.cookie)")
    starter("review", "accept", candidate)
    source = json.loads(starter("review", "show", candidate, "--json"))["source"]
    assert source["url"] is None
    page = TestClient(create_app(starter.url)).get("/countries/KE").text
    assert "javascript:" not in page
