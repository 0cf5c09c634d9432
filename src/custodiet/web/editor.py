"""Editor pages (sign-in, review queue, duplicates, corrections) and readers' correction
form. Every write goes through the same review and resolve functions as the CLI."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from custodiet.model.errors import DataError
from custodiet.model.schemata import schema_for_id
from custodiet.resolve import merge as merging
from custodiet.resolve.suggest import suggestions
from custodiet.review import accounts, corrections, judge
from custodiet.review.queue import item, queue
from custodiet.store.sql import SqlStore
from custodiet.store.writer import Writer
from custodiet.web.auth import COOKIE, SESSION_SECONDS, FailureLimit, Session, Signer

QUEUE_PAGE = 25


def install(app: FastAPI, store: SqlStore, templates: Jinja2Templates) -> None:
    signer, limit = Signer(), FailureLimit()

    def session(request: Request) -> Session | None:
        found = signer.session(request.cookies.get(COOKIE))
        return found if found and found.role in ("editor", "admin") else None

    def scope(request: Request) -> str:
        found = session(request)
        return found.user if found else "public"

    def render(
        request: Request, template: str, data: dict[str, Any], status_code: int = 200
    ) -> HTMLResponse:
        data = data | {
            "csrf": signer.csrf(scope(request)),
            "editor": session(request),
            "message": request.query_params.get("message"),
        }
        return templates.TemplateResponse(
            request, template, {"data": data}, status_code=status_code
        )

    async def form(request: Request) -> dict[str, Any] | None:
        """The posted form, or None when its CSRF token is missing or forged."""
        fields = await request.form()
        token = fields.get("csrf")
        if not signer.csrf_ok(scope(request), token if isinstance(token, str) else None):
            return None
        return {k: v for k, v in fields.multi_items() if isinstance(v, str)} | {
            "set": [v for v in fields.getlist("set") if isinstance(v, str) and v.strip()]
        }

    def back(path: str, message: str) -> RedirectResponse:
        return RedirectResponse(f"{path}?message={quote(message)}", status_code=303)

    def forbidden() -> Response:
        return Response(
            "This form has expired or was not sent from this site; reload the page and try again.",
            status_code=403,
            media_type="text/plain",
        )

    @app.get("/signin", response_class=HTMLResponse, include_in_schema=False)
    def signin_page(request: Request) -> HTMLResponse:
        return render(request, "signin.html", {})

    @app.post("/signin", include_in_schema=False)
    async def signin(request: Request) -> Response:
        fields = await form(request)
        if fields is None:
            return forbidden()
        if limit.blocked():
            return render(
                request, "signin.html", {"error": "Too many failed sign-ins; wait a minute."}, 429
            )
        try:
            with store.view() as view:
                who = accounts.authenticate(view, fields.get("token", ""))
            who.require("editor")
        except PermissionError as exc:
            limit.fail()
            return render(request, "signin.html", {"error": str(exc)}, 401)
        response = RedirectResponse("/review", status_code=303)
        response.set_cookie(
            COOKIE,
            signer.session_cookie(who.name, who.role),
            max_age=SESSION_SECONDS,
            httponly=True,
            samesite="strict",
        )
        return response

    @app.post("/signout", include_in_schema=False)
    async def signout(request: Request) -> Response:
        if await form(request) is None:
            return forbidden()
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(COOKIE)
        return response

    @app.get("/review", response_class=HTMLResponse, include_in_schema=False)
    def review_page(request: Request) -> Response:
        if session(request) is None:
            return RedirectResponse("/signin", status_code=303)
        with store.view() as view:
            rows = queue(view)[:QUEUE_PAGE]
            items = [item(view, r["id"]) | {"summary": r} for r in rows]
        return render(request, "review.html", {"items": items})

    async def editor_write(
        request: Request,
        page: str,
        reason: str,
        write: Callable[[Writer, str, dict[str, Any]], object],
        done: str,
    ) -> Response:
        """A signed-in editor's form, checked, written in one transaction, then back to
        the page with what happened (or what was wrong)."""
        editor, fields = session(request), await form(request)
        if editor is None:
            return RedirectResponse("/signin", status_code=303)
        if fields is None:
            return forbidden()
        try:
            with store.writer(actor=editor.user, reason=reason) as tx:
                write(tx, editor.user, fields)
        except DataError as exc:
            return back(page, str(exc))
        return back(page, done)

    @app.post("/review/{candidate}/{action}", include_in_schema=False)
    async def review_action(request: Request, candidate: str, action: str) -> Response:
        return await editor_write(
            request,
            "/review",
            f"web review {action}",
            lambda tx, user, fields: _judge(tx, user, candidate, action, fields),
            f"{candidate}: {action}",
        )

    @app.get("/duplicates", response_class=HTMLResponse, include_in_schema=False)
    def duplicates_page(request: Request) -> Response:
        if session(request) is None:
            return RedirectResponse("/signin", status_code=303)
        with store.view() as view:
            pairs = suggestions(view)[:50]
        return render(request, "duplicates.html", {"pairs": pairs})

    @app.post("/duplicates/merge", include_in_schema=False)
    async def merge(request: Request) -> Response:
        return await editor_write(
            request,
            "/duplicates",
            "web merge",
            lambda tx, _user, fields: merging.merge(
                tx, fields.get("keep", ""), fields.get("merged", ""), fields.get("reason") or None
            ),
            "merged",
        )

    @app.post("/duplicates/distinct", include_in_schema=False)
    async def distinct(request: Request) -> Response:
        return await editor_write(
            request,
            "/duplicates",
            "web distinct",
            lambda tx, _user, fields: merging.distinct(
                tx, fields.get("a", ""), fields.get("b", ""), fields.get("reason") or None
            ),
            "judged not the same: they will not be suggested again",
        )

    @app.get("/corrections", response_class=HTMLResponse, include_in_schema=False)
    def corrections_page(request: Request) -> Response:
        if session(request) is None:
            return RedirectResponse("/signin", status_code=303)
        with store.view() as view:
            found = corrections.listing(view)
        return render(request, "corrections.html", {"open": found})

    @app.post("/corrections/{number}", include_in_schema=False)
    async def resolve_correction(request: Request, number: int) -> Response:
        return await editor_write(
            request,
            "/corrections",
            f"web correction {number}",
            lambda tx, user, fields: corrections.resolve(
                tx,
                user,
                number,
                accept=fields.get("outcome") == "accept",
                sets=fields["set"],
                reason=fields.get("reason"),
            ),
            f"correction {number} resolved",
        )

    @app.get("/correct/{statement}", response_class=HTMLResponse, include_in_schema=False)
    def correction_form(request: Request, statement: str) -> HTMLResponse:
        return render(request, "correct.html", {"statement": statement})

    @app.post("/correct/{statement}", include_in_schema=False)
    async def report_correction(request: Request, statement: str) -> Response:
        fields = await form(request)
        if fields is None:
            return forbidden()
        try:
            with store.writer(actor="reader", reason="web correction") as tx:
                corrections.add(
                    tx, statement, fields.get("message", ""), fields.get("source") or None
                )
        except DataError as exc:
            return render(request, "correct.html", {"statement": statement, "error": str(exc)}, 400)
        return render(request, "correct.html", {"statement": statement, "thanks": True})


def _judge(tx: Writer, user: str, candidate: str, action: str, fields: dict[str, Any]) -> None:
    if action == "accept":
        judge.accept(tx, user, candidate, target=fields.get("onto") or None)
    elif action == "edit":
        sets = judge.parse_sets(schema_for_id(candidate).name, fields["set"])
        judge.accept(tx, user, candidate, sets=sets, target=fields.get("onto") or None)
    elif action == "reject":
        judge.reject(tx, user, candidate, fields.get("reason", ""))
    elif action == "defer":
        judge.defer(tx, user, candidate, fields.get("reason") or None)
    else:
        raise DataError(f"unknown action {action!r}")
