"""API errors (part of the one :class:`~graphfraud.errors.GraphFraudError` hierarchy) and the one
handler that maps every GraphFraudError onto an HTTP status with a JSON body."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from graphfraud.errors import ConfigError, GraphFraudError, InputFileError, Neo4jUnavailable, NotFound
from graphfraud.privacy import redact_text

__all__ = ["Forbidden", "InvalidInput", "Unauthorized", "install_error_handlers"]

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
    (ConfigError, 500, "config_error"),
]


async def _graphfraud_error(request: Request, exc: Exception) -> JSONResponse:
    status, code = next(((s, c) for cls, s, c in _STATUS if isinstance(exc, cls)), (500, "error"))
    body: dict = {"error": code, "detail": str(exc)}
    if isinstance(exc, InvalidInput):
        body["errors"] = exc.errors
        if exc.accepted is not None:
            body["accepted"] = exc.accepted
    if status >= 500:
        # Paths carry phone numbers: they are redacted before they reach a log.
        log.warning("%s %s -> %s: %s", request.method, redact_text(request.url.path), status, exc)
    headers = {"WWW-Authenticate": "X-API-Key"} if status == 401 else None
    return JSONResponse(body, status_code=status, headers=headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    """Pydantic's errors, with call rows given as 1-based ``line`` numbers like the quarantine."""
    errors = []
    for e in exc.errors():  # type: ignore[attr-defined]
        loc = list(e.get("loc", ()))
        item = {"reason": e.get("msg", "invalid"), "field": ".".join(str(x) for x in loc)}
        if len(loc) >= 2 and loc[0] == "body" and isinstance(loc[1], int):
            item["line"] = loc[1] + 1
        errors.append(item)
    return JSONResponse({"error": "invalid_input", "detail": "request validation failed", "errors": errors},
                        status_code=422)  # fmt: skip


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(GraphFraudError, _graphfraud_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
