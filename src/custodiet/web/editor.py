"""Editor pages (sign-in, review queue, duplicates, corrections) and readers' correction
form. Every write goes through the same review and resolve functions as the CLI.

A session is checked on every request against its token (revoked: it ends), and ends at
sign-out; editor pages are never cached (`Cache-Control: no-store`). Writes and the
session checks run in worker threads, never on the event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote

from anyio.to_thread import run_sync
from fastapi import FastAPI, Path, Request
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
from custodiet.web.auth import COOKIE, SESSION_SECONDS, FailureLimit, RateLimit, Session, Signer

QUEUE_PAGE = 25
PRIVATE = {"Cache-Control": "no-store"}
MAX_MESSAGE = 4000  # characters of a reader's correction
Number = Annotated[int, Path(ge=1, le=2**31 - 1)]
UNCHECKED = object()  # a request's session, before it is looked up


def private(response: Response) -> Response:
    response.headers.update(PRIVATE)
    return response


def install(app: FastAPI, store: SqlStore, templates: Jinja2Templates) -> None:
    signer, limit, reports = Signer(), FailureLimit(), RateLimit()

    def session(request: Request) -> Session | None:
        """The request's editor session, if its token still works (checked each time)."""
        known = getattr(request.state, "session", UNCHECKED)
        if known is not UNCHECKED:
            return known if isinstance(known, Session) else None
        found = signer.session(request.cookies.get(COOKIE))
        if found is not None:
            with store.view() as view:
                row = view.token(found.token)
            if row is None or row.revoked_at is not None or row.role not in ("editor", "admin"):
                signer.close_token(found.token)
                found = None
        request.state.session = found
        return found

    def scope(request: Request) -> str:
        found = session(request)
        return found.user if found else "public"

    def render(
        request: Request, template: str, data: dict[str, Any], status_code: int = 200
    ) -> Response:
        data = data | {
            "csrf": signer.csrf(scope(request)),
            "editor": session(request),
            "message": request.query_params.get("message"),
        }
        response = templates.TemplateResponse(
            request, template, {"data": data}, status_code=status_code
        )
        return private(response)

    async def form(request: Request) -> dict[str, Any] | None:
        """The posted form, or None when its CSRF token is missing or forged."""
        fields = await request.form()
        token = fields.get("csrf")
        who = await run_sync(scope, request)
        if not signer.csrf_ok(who, token if isinstance(token, str) else None):
            return None
        return {k: v for k, v in fields.multi_items() if isinstance(v, str)} | {
            "set": [v for v in fields.getlist("set") if isinstance(v, str) and v.strip()]
        }

    def redirect(path: str) -> Response:
        return private(RedirectResponse(path, status_code=303))

    def back(path: str, message: str) -> Response:
        return redirect(f"{path}?message={quote(message)}")

    def forbidden() -> Response:
        return private(
            Response(
                "This form has expired or was not sent from this site; reload the page and "
                "try again.",
                status_code=403,
                media_type="text/plain",
            )
        )

    @app.get("/signin", response_class=HTMLResponse, include_in_schema=False)
    def signin_page(request: Request) -> Response:
        return render(request, "signin.html", {})

    def check_token(token: str) -> accounts.Actor:
        with store.view() as view:
            who = accounts.authenticate(view, token)
        who.require("editor")
        return who

    @app.post("/signin", include_in_schema=False)
    async def signin(request: Request) -> Response:
        fields = await form(request)
        if fields is None:
            return forbidden()
        # The token is checked first: a right one is never refused, however many wrong
        # ones came before it; wrong ones past the limit get 429.
        try:
            who = await run_sync(check_token, fields.get("token", ""))
        except PermissionError as exc:
            limit.fail()
            if limit.blocked():
                error = "Too many failed sign-ins; wait a minute."
                return await run_sync(render, request, "signin.html", {"error": error}, 429)
            return await run_sync(render, request, "signin.html", {"error": str(exc)}, 401)
        response = redirect("/review")
        response.set_cookie(
            COOKIE,
            signer.open(who.name, who.role, who.token or ""),
            max_age=SESSION_SECONDS,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
        return response

    @app.post("/signout", include_in_schema=False)
    async def signout(request: Request) -> Response:
        if await form(request) is None:
            return forbidden()
        signer.close(request.cookies.get(COOKIE))
        response = redirect("/")
        response.delete_cookie(COOKIE)
        return response

    @app.get("/review", response_class=HTMLResponse, include_in_schema=False)
    def review_page(request: Request) -> Response:
        if session(request) is None:
            return redirect("/signin")
        with store.view() as view:
            rows = queue(view)[:QUEUE_PAGE]
            items = [item(view, r["id"]) | {"summary": r} for r in rows]
        return render(request, "review.html", {"items": items})

    def write_as(editor: Session, reason: str, write: Callable[[Writer], object]) -> None:
        with store.writer(actor=editor.user, reason=reason) as tx:
            write(tx)

    async def editor_write(
        request: Request,
        page: str,
        reason: str,
        write: Callable[[Writer, str, dict[str, Any]], object],
        done: str,
    ) -> Response:
        """A signed-in editor's form, checked, written in one transaction (in a worker
        thread), then back to the page with what happened (or what was wrong)."""
        fields = await form(request)
        editor = await run_sync(session, request)
        if editor is None:
            return redirect("/signin")
        if fields is None:
            return forbidden()
        try:
            await run_sync(write_as, editor, reason, lambda tx: write(tx, editor.user, fields))
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
            return redirect("/signin")
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
            return redirect("/signin")
        with store.view() as view:
            found = corrections.listing(view)
        return render(request, "corrections.html", {"open": found})

    @app.post("/corrections/{number}", include_in_schema=False)
    async def resolve_correction(request: Request, number: Number) -> Response:
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
    def correction_form(request: Request, statement: str) -> Response:
        return render(request, "correct.html", {"statement": statement})

    def add_correction(statement: str, fields: dict[str, Any]) -> None:
        with store.writer(actor="reader", reason="web correction") as tx:
            corrections.add(tx, statement, fields.get("message", ""), fields.get("source") or None)

    @app.post("/correct/{statement}", include_in_schema=False)
    async def report_correction(request: Request, statement: str) -> Response:
        fields = await form(request)
        if fields is None:
            return forbidden()
        page = {"statement": statement}
        if len(fields.get("message", "")) > MAX_MESSAGE:
            error = f"Please keep it under {MAX_MESSAGE} characters."
            return await run_sync(render, request, "correct.html", page | {"error": error}, 400)
        if not reports.allow():
            error = "Many corrections have come in just now; please try again in a minute."
            return await run_sync(render, request, "correct.html", page | {"error": error}, 429)
        try:
            await run_sync(add_correction, statement, fields)
        except DataError as exc:
            return await run_sync(render, request, "correct.html", page | {"error": str(exc)}, 400)
        return await run_sync(render, request, "correct.html", page | {"thanks": True})


def _judge(tx: Writer, user: str, candidate: str, action: str, fields: dict[str, Any]) -> None:
    if action == "accept":
        judge.accept(tx, user, candidate, target=fields.get("onto") or None)
    elif action == "edit":
        try:
            schema_name = schema_for_id(candidate).name
        except ValueError as exc:
            raise DataError(str(exc)) from None
        sets = judge.parse_sets(schema_name, fields["set"])
        judge.accept(tx, user, candidate, sets=sets, target=fields.get("onto") or None)
    elif action == "reject":
        judge.reject(tx, user, candidate, fields.get("reason", ""))
    elif action == "defer":
        judge.defer(tx, user, candidate, fields.get("reason") or None)
    else:
        raise DataError(f"unknown action {action!r}")
