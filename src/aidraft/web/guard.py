"""The gate every request passes: Host check, access token, same-origin writes, body size, headers.

One pure ASGI middleware, so the checks run before routing and before any multipart parsing
spools an upload to disk, and so the body limit also holds for chunked uploads that send no
Content-Length.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from starlette.exceptions import HTTPException

from aidraft.messages import text
from aidraft.web.config import TOKEN_COOKIE, TOKEN_HEADER, TOKEN_QUERY, WebConfig

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: No inline script or style anywhere: an injected <script> could not run even if it escaped.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    # same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on its own form
    # posts, which must be refused; the ?token= URL is redirected away at once and never leaves the site
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
)


class BodyTooLarge(HTTPException):
    """Raised inside receive() once a body without Content-Length passes the limit; an
    HTTPException so FastAPI's body parsing passes it on as 413 instead of a generic 400."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=_too_large(limit))


class Guard:
    """Wraps the app; see the module docstring for what it refuses and why."""

    def __init__(self, app: ASGIApp, config: WebConfig) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        send = _with_headers(send)
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            await _plain(send, *refusal)
            return
        token = self.config.token
        if token is not None and not self._authorised(headers, token):
            query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
            given = query.get(TOKEN_QUERY)
            if scope["method"] == "GET" and given is not None and _same(given, token):
                await _login_redirect(send, scope, query, token)
                return
            await _plain(send, 401, _both("web.guard.token_required", header=TOKEN_HEADER))
            return
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.config.max_request_bytes:
            await _plain(send, 413, _too_large(self.config.max_request_bytes))
            return
        started = False

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, _counting(receive, self.config.max_request_bytes), tracking)
        except BodyTooLarge:
            if not started:
                await _plain(send, 413, _too_large(self.config.max_request_bytes))

    def _refusal(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str] | None:
        """A Host outside the allowed names (DNS rebinding) or a cross-site write (CSRF)."""
        host = headers.get("host", "")
        hosts = self.config.hosts
        if hosts is not None and _hostname(host) not in hosts:
            return 400, _both("web.guard.bad_host")
        if scope["method"] not in SAFE_METHODS and not same_origin_write(headers, host):
            return 403, _both("web.guard.cross_site")
        return None

    @staticmethod
    def _authorised(headers: dict[str, str], token: str) -> bool:
        given = headers.get(TOKEN_HEADER.lower())
        if given is not None:
            return _same(given, token)
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except CookieError:  # a malformed Cookie header is simply no cookie
            return False
        morsel = cookie.get(TOKEN_COOKIE)
        return morsel is not None and _same(morsel.value, token)


def same_origin_write(headers: dict[str, str], host: str) -> bool:
    """A write (POST …) is accepted only when the browser says it comes from this server's own page.

    ``Origin`` decides when present: it must name this Host; ``Origin: null`` (sandboxed iframes,
    data: and file: pages, privacy redirects) is refused. Browsers send Origin on every POST; only
    very old ones omit it, and then a same-origin ``Referer`` is required. A request with neither
    is refused too, so a scripted client sends ``Origin: http://127.0.0.1:PORT``. The access
    token does not exempt a request: a page on another site could ride the victim's cookie.
    """
    origin = headers.get("origin")
    referer = headers.get("referer")
    if referer is not None and not _names_host(referer, host):
        return False  # a cross-site (or null) Referer is refused whatever Origin says
    if origin is not None:
        return _names_host(origin, host)
    return referer is not None


def _names_host(url: str, host: str) -> bool:
    url = url.strip()
    if url.lower() == "null" or not host:
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host.strip().lower()


def _same(given: str, token: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8", "replace"), token.encode("utf-8"))


def _hostname(host: str) -> str:
    """'127.0.0.1:8000' → '127.0.0.1'; '[::1]:8000' → '::1'."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _too_large(limit: int) -> str:
    return _both("web.guard.too_large", mb=limit // (1024 * 1024))


def _both(key: str, /, **params: object) -> str:
    """A refusal in both languages: it comes before any page, so nothing says which one the
    client reads."""
    return "\n".join(text(key, lang, **params) for lang in ("zh", "en"))


def _counting(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(limit)
        return message

    return wrapped


def _with_headers(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            present = {k.lower() for k, _ in message.get("headers", [])}
            extra = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
            message["headers"] = list(message.get("headers", [])) + extra
        await send(message)

    return wrapped


async def _plain(send: Send, status: int, text: str, extra: list[tuple[bytes, bytes]] | None = None) -> None:
    body = (text + "\n").encode("utf-8")
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers + (extra or [])})
    await send({"type": "http.response.body", "body": body})


async def _login_redirect(send: Send, scope: Scope, query: dict[str, str], token: str) -> None:
    """?token=… once: keep it in an HttpOnly, SameSite=Strict cookie and drop it from the address bar."""
    rest = urlencode({k: v for k, v in query.items() if k != TOKEN_QUERY})
    path = "/" + str(scope.get("path", "/")).lstrip("/")  # never '//host': no redirect off-site
    location = quote(path, safe="/") + (f"?{rest}" if rest else "")
    cookie = f"{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
    await _plain(send, 303, "signed in", [(b"location", location.encode("utf-8")),
                                          (b"set-cookie", cookie.encode("latin-1"))])
