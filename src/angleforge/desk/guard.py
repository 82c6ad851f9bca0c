"""Who may use the desk, and how a page proves a POST is its own.

- Where it listens: loopback unless the reviewer asks for more, and then every request needs the
  access token printed at start (a first visit with `?token=` trades it for a cookie, so it
  leaves the address bar, and a Referer only ever goes to the desk itself).
- The Host header must name the desk itself, so a web page elsewhere cannot reach it through a
  name that resolves to 127.0.0.1 (DNS rebinding).
- Every POST carries the page's CSRF token (a form field, or a header from the page's script),
  and an Origin, where the browser sends one, that is the desk's own.
- Every response forbids scripts, styles and connections from anywhere but the desk itself.
"""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp

from angleforge.errors import UsageError

CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
TOKEN_PARAMETER = "token"
_COOKIE = "angleforge_desk"
_LOOPBACK_NAMES = frozenset({"localhost"})
_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class Access:
    """The desk's secrets for one start: the CSRF token, and the access token when it is
    reachable from other machines."""

    host: str
    remote: bool
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    token: str | None = None

    @classmethod
    def for_host(cls, host: str, *, remote: bool) -> Access:
        if not is_loopback(host) and not remote:
            raise UsageError(
                f"--host {host} can be reached from other machines; add --remote to serve there "
                "(every request then needs the token printed at start)"
            )
        return cls(host, not is_loopback(host), token=secrets.token_urlsafe(24) if not is_loopback(host) else None)

    def allowed_hosts(self) -> list[str]:
        return sorted({"127.0.0.1", "localhost", "[::1]", self.host})

    def csrf_ok(self, given: str | None) -> bool:
        return given is not None and secrets.compare_digest(given, self.csrf)


class Guard(BaseHTTPMiddleware):
    def __init__(self, app: ASGIApp, access: Access) -> None:
        super().__init__(app)
        self.access = access

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        refused = await self._refusal(request)
        if refused is not None:
            return _secured(refused)
        given = request.query_params.get(TOKEN_PARAMETER)
        if self.access.token is not None and given is not None:
            # the token from the printed address becomes a cookie, and the address loses it
            rest = urlencode([(k, v) for k, v in parse_qsl(request.url.query) if k != TOKEN_PARAMETER])
            moved = RedirectResponse(request.url.path + (f"?{rest}" if rest else ""), status_code=303)
            moved.set_cookie(_COOKIE, given, httponly=True, samesite="strict")
            return _secured(moved)
        return _secured(await call_next(request))

    async def _refusal(self, request: Request) -> Response | None:
        token = self.access.token
        if token is not None:
            presented = request.query_params.get(TOKEN_PARAMETER) or request.cookies.get(_COOKIE) or ""
            if not secrets.compare_digest(presented, token):
                return PlainTextResponse("this desk needs the token printed when it started\n", status_code=401)
        if request.method != "POST":
            return None
        origin = request.headers.get("origin")
        if origin is not None and origin != f"{request.url.scheme}://{request.headers.get('host', '')}":
            return PlainTextResponse(f"a request from {origin} is not the desk's own\n", status_code=403)
        sent = request.headers.get(CSRF_HEADER) or (await form_fields(request)).get(CSRF_FIELD)
        if not self.access.csrf_ok(sent):
            return PlainTextResponse("this request does not come from a page of the desk\n", status_code=403)
        return None


async def form_fields(request: Request) -> dict[str, str]:
    """A URL-encoded form's fields (the desk's forms are all of that kind); empty otherwise."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
        return {}
    body = await request.body()
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


def _secured(response: Response) -> Response:
    response.headers["content-security-policy"] = _POLICY
    response.headers["x-content-type-options"] = "nosniff"
    # same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on form posts
    response.headers["referrer-policy"] = "same-origin"
    response.headers["cache-control"] = "no-store"
    return response
