"""Editor pages in-process: sign-in, CSRF, rate limit, reviewing, corrections from readers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from custodiet.web.app import create_app
from tests.conftest import Cli
from tests.review.test_workflow import NEWS, queue


@pytest.fixture
def site(cli: Cli, tmp_path: Path) -> tuple[Cli, TestClient, dict[str, str]]:
    cli("init", "--with-starter")
    (tmp_path / "news.txt").write_text(NEWS, encoding="utf-8")
    cli("ingest", str(tmp_path / "news.txt"))
    tokens = {}
    for role in ("reader", "editor"):
        cli("user", "add", f"w-{role}", "--role", role)
        tokens[role] = cli("user", "token", f"w-{role}").strip()
    return cli, TestClient(create_app(cli.url)), tokens


def csrf(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match
    return match.group(1)


def sign_in(client: TestClient, token: str) -> int:
    page = client.get("/signin").text
    return client.post(
        "/signin", data={"token": token, "csrf": csrf(page)}, follow_redirects=False
    ).status_code


def test_sign_in_sets_a_strict_httponly_cookie(
    site: tuple[Cli, TestClient, dict[str, str]],
) -> None:
    _cli, client, tokens = site
    page = client.get("/signin").text
    response = client.post(
        "/signin", data={"token": tokens["editor"], "csrf": csrf(page)}, follow_redirects=False
    )
    assert response.status_code == 303
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


def test_readers_get_no_cookie_and_cannot_sign_in(
    site: tuple[Cli, TestClient, dict[str, str]],
) -> None:
    _cli, client, tokens = site
    assert "set-cookie" not in client.get("/").headers
    assert sign_in(client, tokens["reader"]) == 401
    assert client.get("/review", follow_redirects=False).headers["location"] == "/signin"


def test_forms_without_a_valid_csrf_token_are_refused(
    site: tuple[Cli, TestClient, dict[str, str]],
) -> None:
    cli, client, tokens = site
    assert sign_in(client, tokens["editor"]) == 303
    candidate = queue(cli)["KE"]
    for token in (None, "123.forged"):
        data = {"csrf": token} if token else {}
        assert client.post(f"/review/{candidate}/accept", data=data).status_code == 403
    assert candidate in queue(cli).values()


def test_failed_sign_ins_are_limited(site: tuple[Cli, TestClient, dict[str, str]]) -> None:
    _cli, client, _tokens = site
    codes = [sign_in(client, "cst_000000000000_wrongwrongwrongwrongwrong") for _ in range(11)]
    assert codes[:10] == [401] * 10 and codes[10] == 429


def test_review_in_the_browser_shows_on_the_public_page(
    site: tuple[Cli, TestClient, dict[str, str]],
) -> None:
    cli, client, tokens = site
    sign_in(client, tokens["editor"])
    candidate = queue(cli)["ZM"]
    page = client.get("/review").text
    assert candidate in page and "<mark>" in page
    response = client.post(
        f"/review/{candidate}/edit", data={"csrf": csrf(page), "set": ["year=2017"]}
    )
    assert "edit" in response.text
    public = TestClient(create_app(cli.url)).get("/countries/ZM.json").json()
    assert any(d["id"] == candidate and d["year"] == 2017 for d in public["deployments"])
    log = cli("log", candidate, "--json")
    assert '"actor": "w-editor"' in log


def test_a_reader_reports_a_correction(site: tuple[Cli, TestClient, dict[str, str]]) -> None:
    _cli, client, tokens = site
    view = client.get("/projects/ecu-911.json").json()
    statement = view["entity"]["properties"]["value"][0]["evidence"][0]["statement_id"]
    assert f"/correct/{statement}" in client.get("/projects/ecu-911").text
    form = client.get(f"/correct/{statement}").text
    done = client.post(
        f"/correct/{statement}",
        data={"csrf": csrf(form), "message": "The <b>value</b> is disputed", "source": ""},
    )
    assert "Thank you" in done.text and "set-cookie" not in done.headers
    sign_in(client, tokens["editor"])
    page = client.get("/corrections").text
    assert "The &lt;b&gt;value&lt;/b&gt; is disputed" in page


def test_source_page_marks_accepted_quotes(site: tuple[Cli, TestClient, dict[str, str]]) -> None:
    cli, client, _tokens = site
    row = next(
        r
        for r in map(__import__("json").loads, cli("review", "list", "--json").splitlines())
        if r["buyer_country"] == "KE"
    )
    cli("review", "accept", row["id"])
    page = client.get(f"/sources/{row['source_id']}").text
    assert "<mark>The Kenyan police signed a contract with Hikvision" in page
    segments = client.get(f"/sources/{row['source_id']}.json").json()["segments"]
    assert [s["quoted"] for s in segments][:2] == [True, False]


def test_not_the_same_from_the_duplicates_page(
    site: tuple[Cli, TestClient, dict[str, str]], tmp_path: Path
) -> None:
    cli, client, tokens = site
    (tmp_path / "twins.yaml").write_text(
        'sources:\n  s: {url: "https://example.org/twins", title: Twins}\n'
        "entities:\n"
        "  - id: org:qqv-optics\n    properties: {name: Qqv Optics Ltd, role: vendor}\n"
        "  - id: org:qqv-optic\n    properties: {name: Qqv Optic Ltd, role: vendor}\n",
        encoding="utf-8",
    )
    cli("load", str(tmp_path / "twins.yaml"))
    sign_in(client, tokens["editor"])
    page = client.get("/duplicates").text
    assert "org:qqv-optic" in page and 'action="/duplicates/distinct"' in page
    done = client.post(
        "/duplicates/distinct",
        data={"csrf": csrf(page), "a": "org:qqv-optic", "b": "org:qqv-optics"},
    )
    assert "not be suggested again" in done.text
    assert "org:qqv-optic" not in client.get("/duplicates").text
    assert '"actor": "w-editor"' in cli("log", "org:qqv-optics", "--json")


def test_a_revoked_token_ends_its_sessions_at_once(
    site: tuple[Cli, TestClient, dict[str, str]],
) -> None:
    cli, client, tokens = site
    assert sign_in(client, tokens["editor"]) == 303
    page = client.get("/review").text
    token_id = tokens["editor"].split("_")[1]
    cli("user", "revoke", token_id)
    candidate = queue(cli)["KE"]
    response = client.post(
        f"/review/{candidate}/accept", data={"csrf": csrf(page)}, follow_redirects=False
    )
    assert response.headers["location"] == "/signin"
    assert candidate in queue(cli).values()
    assert client.get("/review", follow_redirects=False).headers["location"] == "/signin"


def test_a_cookie_replayed_after_sign_out_is_refused(
    site: tuple[Cli, TestClient, dict[str, str]],
) -> None:
    cli, client, tokens = site
    sign_in(client, tokens["editor"])
    cookie = client.cookies.get("custodiet_session")
    page = client.get("/review").text
    client.post("/signout", data={"csrf": csrf(page)})
    thief = TestClient(client.app)
    thief.cookies.set("custodiet_session", cookie)
    candidate = queue(cli)["KE"]
    replay = thief.post(
        f"/review/{candidate}/defer", data={"csrf": csrf(page)}, follow_redirects=False
    )
    assert replay.headers["location"] == "/signin"
    assert '"review.deferred"' not in cli("log", candidate, "--json")


def test_a_right_token_is_never_refused_by_the_limit(
    site: tuple[Cli, TestClient, dict[str, str]],
) -> None:
    _cli, client, tokens = site
    for _ in range(15):
        sign_in(client, "cst_000000000000_wrongwrongwrongwrongwrong")
    assert sign_in(client, tokens["editor"]) == 303


def test_editor_pages_are_never_cached_and_cookies_are_secure_over_https(
    site: tuple[Cli, TestClient, dict[str, str]],
) -> None:
    _cli, client, tokens = site
    assert client.get("/signin").headers["cache-control"] == "no-store"
    secure = TestClient(client.app, base_url="https://testserver")
    page = secure.get("/signin").text
    response = secure.post(
        "/signin", data={"token": tokens["editor"], "csrf": csrf(page)}, follow_redirects=False
    )
    assert "secure" in response.headers["set-cookie"].lower()
    assert response.headers["cache-control"] == "no-store"
    assert "secure" not in (sign_in_cookie(client, tokens["editor"]) or "").lower()


def sign_in_cookie(client: TestClient, token: str) -> str | None:
    page = client.get("/signin").text
    response = client.post(
        "/signin", data={"token": token, "csrf": csrf(page)}, follow_redirects=False
    )
    return response.headers.get("set-cookie")


def test_readers_corrections_are_bounded_in_size_and_rate(
    site: tuple[Cli, TestClient, dict[str, str]],
) -> None:
    cli, client, _tokens = site
    view = client.get("/projects/ecu-911.json").json()
    statement = view["entity"]["properties"]["value"][0]["evidence"][0]["statement_id"]
    form = client.get(f"/correct/{statement}").text
    huge = client.post(f"/correct/{statement}", data={"csrf": csrf(form), "message": "x" * 100_000})
    assert huge.status_code == 400 and "under" in huge.text
    codes = [
        client.post(
            f"/correct/{statement}", data={"csrf": csrf(form), "message": f"wrong {i}"}
        ).status_code
        for i in range(25)
    ]
    assert codes[:20] == [200] * 20 and set(codes[20:]) == {429}
    assert len(cli("corrections", "list", "--json").splitlines()) == 20


def test_odd_editor_requests_are_answered_not_crashed(
    site: tuple[Cli, TestClient, dict[str, str]],
) -> None:
    _cli, client, tokens = site
    sign_in(client, tokens["editor"])
    page = client.get("/review").text
    odd = client.post("/review/foo:bar/edit", data={"csrf": csrf(page), "set": ["year=2020"]})
    assert odd.status_code == 200 and "foo:bar" in odd.text
    huge = client.post(f"/corrections/{2**70}", data={"csrf": csrf(page)})
    assert huge.status_code == 422
