"""API errors (part of the one :class:`~graphfraud.errors.GraphFraudError` hierarchy) and the one
handler that maps every GraphFraudError onto an HTTP status with a JSON body."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graphfraud.cdr import normalize_number
from graphfraud.errors import (
    ConfigError,
    GraphFraudError,
    InputFileError,
    KindConflict,
    Neo4jUnavailable,
    NotFound,
)
from graphfraud.privacy import TOKEN_PATTERN, redact, redact_text

__all__ = ["Forbidden", "InvalidInput", "Unauthorized", "UnexpectedErrors", "install_error_handlers"]

log = logging.getLogger(__name__)


class Unauthorized(GraphFraudError):
    """No API key, or a key that is not configured."""


class Forbidden(GraphFraudError):
    """A valid key whose role may not use this endpoint."""


class InvalidInput(GraphFraudError):
    """A malformed number, or call rows that fail the call-record contract."""

    def __init__(self, message: str, errors: list[dict] | None = None, accepted: int | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []
        self.accepted = accepted


_STATUS: list[tuple[type[GraphFraudError], int, str]] = [
    (Unauthorized, 401, "unauthorized"),
    (Forbidden, 403, "forbidden"),
    (NotFound, 404, "not_found"),
    (InvalidInput, 422, "invalid_input"),
    (InputFileError, 422, "invalid_input"),
    (Neo4jUnavailable, 503, "neo4j_unavailable"),
    (KindConflict, 409, "kind_conflict"),
    (ConfigError, 500, "config_error"),
]


def _loggable_path(path: str) -> str:
    """``path`` safe for a log: the segment after ``numbers`` and any segment holding six digits or
    more (``133-0084-1987``, ``(133) 0084.1987``: separators do not hide a number) become the
    redaction of the number, normalised as the route would (else of its digits); a pseudonym token
    stays as it is.

    >>> _loggable_path("/v1/numbers/133-0084-1987/risk")
    '/v1/numbers/133******87/risk'
    """
    segments = path.split("/")
    for i, segment in enumerate(segments):
        digits = "".join(c for c in segment if c.isdigit())
        holds_number = (i > 0 and segments[i - 1] == "numbers") or len(digits) >= 6
        if digits and holds_number and not TOKEN_PATTERN.match(segment):
            segments[i] = redact(normalize_number(segment) or digits)
    return "/".join(segments)


async def _graphfraud_error(request: Request, exc: Exception) -> JSONResponse:
    status, code = next(((s, c) for cls, s, c in _STATUS if isinstance(exc, cls)), (500, "error"))
    body: dict = {"error": code, "detail": str(exc)}
    if isinstance(exc, InvalidInput):
        body["errors"] = exc.errors
        if exc.accepted is not None:
            body["accepted"] = exc.accepted
    if status >= 500:
        # Paths carry phone numbers: they are redacted before they reach a log.
        log.warning("%s %s -> %s: %s", request.method, _loggable_path(request.url.path), status,
                    redact_text(str(exc)))  # fmt: skip
    headers = {"WWW-Authenticate": "X-API-Key"} if status == 401 else None
    return JSONResponse(body, status_code=status, headers=headers)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    """Starlette's own errors (no such route, a method the route does not take, a missing /ui file)
    in the same ``{error, detail}`` shape, with their status and headers (``Allow`` on 405)."""
    http = cast(HTTPException, exc)
    try:
        phrase = HTTPStatus(http.status_code).phrase
    except ValueError:
        phrase = "error"
    detail, headers = str(http.detail), dict(http.headers or {})
    if http.status_code == 404 and detail == phrase:
        detail = f"no endpoint at {request.url.path} (a '/' or %2F inside a number splits the path)"
    elif http.status_code == 405 and detail == phrase:
        detail = f"{request.method} is not allowed here; allowed: {headers.get('Allow', '-')}"
    if http.status_code == 401:
        headers.setdefault("WWW-Authenticate", "X-API-Key")
    body = {"error": phrase.lower().replace(" ", "_").replace("-", "_"), "detail": detail}
    return JSONResponse(body, status_code=http.status_code, headers=headers or None)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    """Pydantic's errors, with call rows given as 1-based ``line`` numbers like the quarantine; a body
    that is not JSON at all gives the character ``position`` (0-based) where decoding failed."""
    errors = []
    for e in exc.errors():  # type: ignore[attr-defined]
        loc = list(e.get("loc", ()))
        if e.get("type") == "json_invalid":  # loc is ("body", character offset), not a row
            position = loc[1] if len(loc) >= 2 else None
            why = (e.get("ctx") or {}).get("error", "not JSON")
            errors.append({"reason": f"invalid JSON: {why} at character {position} of the body",
                           "field": "body", "position": position})  # fmt: skip
            continue
        item = {"reason": e.get("msg", "invalid"), "field": ".".join(str(x) for x in loc)}
        if len(loc) >= 2 and loc[0] == "body" and isinstance(loc[1], int):
            item["line"] = loc[1] + 1
        errors.append(item)
    return JSONResponse({"error": "invalid_input", "detail": "request validation failed", "errors": errors},
                        status_code=422)  # fmt: skip


class UnexpectedErrors:
    """ASGI middleware: anything a handler did not expect (a bug) becomes the documented JSON 500
    and one log line with the redacted path and the exception's type. It is answered here, not
    raised on: Starlette's outermost layer would log the traceback, whose text may quote numbers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            log.error("%s %s -> 500: unexpected %s", scope.get("method", "?"),
                      _loggable_path(scope.get("path", "")), type(exc).__name__)  # fmt: skip
            if not started:  # else the client already has a status line: the answer ends there
                body = {"error": "internal_error", "detail": "an unexpected error; the server logged it"}
                await JSONResponse(body, status_code=500)(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(GraphFraudError, _graphfraud_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
