"""The desk's routes: pages that show, forms that decide, and the live re-check of an edit.

Each handler reads its input through a pydantic model, calls the same library API the `review`
commands call (`angleforge.review`), and renders a template. Handlers are `async` and run on the
server's one event loop, so the store's single connection is never used from two threads; each
call is a few milliseconds of SQLite or guardrail, too short to be worth a thread of its own.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import jinja2
from pydantic import BaseModel, ValidationError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from angleforge import review
from angleforge.desk import pages
from angleforge.desk.guard import CSRF_FIELD, Access, Guard, form_fields
from angleforge.errors import AngleforgeError, UsageError
from angleforge.findings import flagged_count
from angleforge.guardrail import Guardrail
from angleforge.statuses import DraftStatus
from angleforge.store import Conflict, Store, StoredDraft, UnknownDraft

_HERE = Path(__file__).resolve().parent
Form = TypeVar("Form", bound=BaseModel)
Write = Callable[[str, pages.Filters], Awaitable[Response]]  # (draft id, filters) -> the response
_MAX_TEXT = 100_000  # characters of an edit: a thread is a few thousand


class Seen(BaseModel):
    """What the page showed of the draft: a write is refused where it changed since."""

    revision: int
    status: DraftStatus


class DecisionForm(Seen):
    note: str = ""
    next: str = ""  # the draft to show after this one


class EditForm(Seen):
    text: str


class CheckRequest(BaseModel):
    text: str
    format: str


@dataclass
class Desk:
    store: Store
    guardrail: Guardrail
    reviewer: str
    access: Access
    templates: Jinja2Templates
    # a message for the page a redirect leads to, taken once (one process, one reviewer)
    flashes: dict[str, str] = field(default_factory=dict)

    def flash(self, message: str) -> str:
        key = secrets.token_urlsafe(8)
        self.flashes[key] = message
        return key


def create_app(store: Store, guardrail: Guardrail, access: Access, reviewer: str) -> Starlette:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_HERE / "templates"),
        autoescape=True,  # every value a template shows is escaped, the drafts' text above all
        undefined=jinja2.StrictUndefined,
    )
    desk = Desk(store, guardrail, reviewer, access, Jinja2Templates(env=environment))
    post = ["POST"]
    routes = [
        Route("/", partial(_front, desk)),
        Route("/drafts/{draft_id}", partial(_page, desk)),
        Route("/drafts/{draft_id}/approve", partial(_decide, desk, DraftStatus.APPROVED), methods=post),
        Route("/drafts/{draft_id}/reject", partial(_decide, desk, DraftStatus.REJECTED), methods=post),
        Route("/drafts/{draft_id}/edit", partial(_edit, desk), methods=post),
        Route("/drafts/{draft_id}/undo", partial(_undo, desk), methods=post),
        Route("/check", partial(_check, desk), methods=post),
        Route("/favicon.ico", _no_icon),
        Mount("/static", StaticFiles(directory=_HERE / "static"), name="static"),
    ]
    middleware = [
        Middleware(TrustedHostMiddleware, allowed_hosts=access.allowed_hosts()),
        Middleware(Guard, access=access),
    ]
    return Starlette(routes=routes, middleware=middleware)


async def _no_icon(request: Request) -> Response:
    return Response(status_code=204)  # a browser asks for one; the desk has none


def _filters(request: Request) -> pages.Filters:
    params = request.query_params
    return pages.Filters(
        status=params.get("status", pages.OPEN), run=params.get("run", ""), angle=params.get("angle", "")
    )


async def _front(desk: Desk, request: Request) -> Response:
    filters = _filters(request)
    try:
        waiting = pages.queue(desk.store, filters)
    except UsageError as error:
        return _render(desk, request, None, filters, error=str(error), status_code=400)
    if waiting:
        return _redirect(f"/drafts/{waiting[0].id}", filters, request.query_params.get("flash", ""))
    return _render(desk, request, None, filters)


async def _page(desk: Desk, request: Request) -> Response:
    try:
        draft = desk.store.draft(request.path_params["draft_id"])
    except UnknownDraft as error:
        return _render(desk, request, None, _filters(request), error=str(error), status_code=404)
    return _render(desk, request, draft, _filters(request))


def _render(
    desk: Desk,
    request: Request,
    draft: StoredDraft | None,
    filters: pages.Filters,
    *,
    error: str | None = None,
    status_code: int = 200,
    editing: str | None = None,
) -> HTMLResponse:
    try:
        waiting = pages.queue(desk.store, filters)
    except UsageError as problem:
        waiting, filters, error = [], pages.Filters(), str(problem)
    ids = [d.id for d in waiting]
    position = ids.index(draft.id) if draft is not None and draft.id in ids else -1
    undo_id = request.query_params.get("done") or (draft.id if draft is not None and draft.status.decided else "")
    undoable = _undoable(desk.store, undo_id)
    context: dict[str, Any] = {
        "draft": draft,
        "thread": pages.stored_thread(draft) if draft is not None else None,
        "history": review.history(desk.store, draft.id) if draft is not None else [],
        "revisions": pages.revision_changes(desk.store, draft) if draft is not None else [],
        "queue": waiting,
        "position": position,
        "previous": ids[position - 1] if position > 0 else "",
        "next": ids[position + 1] if 0 <= position < len(ids) - 1 else (ids[0] if position < 0 and ids else ""),
        "filters": filters,
        "statuses": [pages.OPEN, review.EVERY_STATUS, *DraftStatus],
        "runs": [run.id for run in desk.store.runs()],
        "angles": pages.angles(desk.store),
        "message": desk.flashes.pop(request.query_params.get("flash", ""), None),
        "error": error,
        "undoable": undoable,
        "editing": editing,
        "reviewer": desk.reviewer,
        "csrf_field": CSRF_FIELD,
        "csrf": desk.access.csrf,
        "flagged_count": flagged_count,
    }
    return desk.templates.TemplateResponse(request, "desk.html", context, status_code=status_code)


def _undoable(store: Store, draft_id: str) -> StoredDraft | None:
    """The draft whose decision `u` takes back: the one just decided, if it still is."""
    if not draft_id:
        return None
    try:
        draft = store.draft(draft_id)
    except UnknownDraft:
        return None
    return draft if draft.status.decided else None


def _redirect(path: str, filters: pages.Filters, flash: str = "", **extra: str) -> RedirectResponse:
    query = filters.query(**({"flash": flash} if flash else {}), **extra)
    return RedirectResponse(path + (f"?{query}" if query else ""), status_code=303)


async def _read(request: Request, model: type[Form]) -> Form:
    try:
        return model.model_validate(await form_fields(request))
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(part) for part in problem["loc"])
        raise UsageError(f"the form's {where} is not right: {problem['msg']}") from None


async def _write(desk: Desk, request: Request, action: Write) -> Response:
    """Run a write; an error shows on the draft's page, a conflict with what is there now."""
    draft_id = request.path_params["draft_id"]
    filters = _filters(request)
    try:
        return await action(draft_id, filters)
    except AngleforgeError as error:
        try:
            draft = desk.store.draft(draft_id)
        except UnknownDraft:
            draft = None
        code = 409 if isinstance(error, Conflict) else 404 if draft is None else 400
        return _render(desk, request, draft, filters, error=str(error), status_code=code)


async def _decide(desk: Desk, decision: DraftStatus, request: Request) -> Response:
    async def act(draft_id: str, filters: pages.Filters) -> Response:
        form = await _read(request, DecisionForm)
        seen = _seen(desk.store, draft_id, form)
        decide = review.approve if decision is DraftStatus.APPROVED else review.reject
        made = decide(desk.store, draft_id, reviewer=desk.reviewer, note=form.note, seen=seen)
        flash = desk.flash(review.decision_line(made))
        return _redirect(f"/drafts/{form.next or draft_id}", filters, flash, done=draft_id)

    return await _write(desk, request, act)


async def _edit(desk: Desk, request: Request) -> Response:
    async def act(draft_id: str, filters: pages.Filters) -> Response:
        form = await _read(request, EditForm)
        if len(form.text) > _MAX_TEXT:
            raise UsageError(f"the edit is {len(form.text):,} characters; a draft holds at most {_MAX_TEXT:,}")
        outcome = review.edit(
            desk.store,
            desk.guardrail,
            draft_id,
            form.text,
            reviewer=desk.reviewer,
            seen=_seen(desk.store, draft_id, form),
        )
        return _redirect(f"/drafts/{draft_id}", filters, desk.flash(outcome.summary()))

    return await _write(desk, request, act)


async def _undo(desk: Desk, request: Request) -> Response:
    async def act(draft_id: str, filters: pages.Filters) -> Response:
        form = await _read(request, Seen)
        withdrawal = review.undo(desk.store, draft_id, reviewer=desk.reviewer, seen=_seen(desk.store, draft_id, form))
        return _redirect(f"/drafts/{draft_id}", filters, desk.flash(withdrawal.summary()))

    return await _write(desk, request, act)


def _seen(store: Store, draft_id: str, form: Seen) -> StoredDraft:
    """The draft as the page showed it: its stored row with the revision and status the form
    carried, so the store's own check refuses a write on a draft changed since."""
    return store.draft(draft_id).model_copy(update={"revision": form.revision, "status": form.status})


async def _check(desk: Desk, request: Request) -> Response:
    """The thread an edit in progress would be, checked, as the cards the page swaps in."""
    try:
        asked = CheckRequest.model_validate_json(await request.body())
    except ValidationError:
        return HTMLResponse("<p class='error'>the re-check was asked for without a text and a format</p>", 400)
    if len(asked.text) > _MAX_TEXT:
        return HTMLResponse("<p class='error'>too long to re-check</p>", 413)
    started = time.perf_counter()
    thread = pages.edited_thread(desk.guardrail, asked.text, asked.format)
    elapsed = (time.perf_counter() - started) * 1000
    response = desk.templates.TemplateResponse(request, "_thread.html", {"thread": thread})
    response.headers["server-timing"] = f"check;dur={elapsed:.2f}"
    return response
