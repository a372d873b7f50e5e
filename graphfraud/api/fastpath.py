"""Cached /risk and /evidence answers sent before FastAPI's routing and dependency machinery.

A warm ``GET /v1/numbers/{number}/risk`` spent most of its time in routing and in solving the
route's dependencies, not in the answer, which is already encoded in the cache. This pure-ASGI
layer answers such a request itself when, and only when, the slow path would give the same answer:

* the key's role is enough for the route (else the route answers: 401/403 from the same handler);
* the number needs no normalising (else the route normalises it or answers 422); digits in a
  database known to hold pseudonym tokens are looked up by their token (``AppState.stored_form``);
* for /evidence, the query string is empty or only ``hops``/``limit`` with in-range plain integers;
* the answer is in the cache (else the route computes it and keeps it for next time) — or, for
  /risk, the number's card comes from the batched read of cold misses
  (:class:`~graphfraud.api.riskbatch.RiskBatcher`, which keeps it); a number not in the graph
  (404) or a failed read (503) is left to the route.

The answer is the same :class:`~starlette.responses.Response` the route returns (body and headers),
and ``scope["route"]`` is the route itself so :class:`~graphfraud.api.metrics.MetricsMiddleware`
counts it under the same label. It sits inside the metrics middleware (see ``app.py``).
"""

from __future__ import annotations

import re

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.routing import BaseRoute

from graphfraud.api.cache import evidence_key
from graphfraud.api.deps import already_normal
from graphfraud.api.evidence import MAX_HOPS, MAX_LIMIT
from graphfraud.api.security import Role
from graphfraud.api.state import AppState
from graphfraud.errors import GraphFraudError

__all__ = ["CachedAnswers"]

_PREFIX = "/v1/numbers/"
_QUERY = re.compile(r"^(?:(hops|limit)=([1-9][0-9]{0,5}))(?:&(hops|limit)=([1-9][0-9]{0,5}))?$")


def _evidence_params(query: bytes) -> tuple[int, int | None] | None:
    """(hops, limit) when the route would accept the query string as it is; else None."""
    if not query:
        return 1, None
    m = _QUERY.match(query.decode("latin-1"))
    if m is None or m.group(1) == m.group(3):  # a repeated name: leave it to the route
        return None
    params = {m.group(1): int(m.group(2))}
    if m.group(3):
        params[m.group(3)] = int(m.group(4))
    hops, limit = params.get("hops", 1), params.get("limit")
    if hops > MAX_HOPS or (limit is not None and limit > MAX_LIMIT):  # the route's Query bounds
        return None
    return hops, limit


class CachedAnswers:
    """Pure ASGI middleware: cache hits of the two per-number GET routes, answered directly."""

    def __init__(self, app, routes: dict[str, BaseRoute]) -> None:
        self.app = app
        self.risk_route, self.evidence_route = routes["get_risk"], routes["get_evidence"]

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            hit = await self._answer(scope)
            if hit is not None:
                route, body = hit
                scope["route"] = route
                await Response(body, media_type="application/json")(scope, receive, send)
                return
        await self.app(scope, receive, send)

    async def _answer(self, scope) -> tuple[BaseRoute, bytes] | None:
        found = self._lookup(scope)
        if found is None or found[1] is not None:
            return found
        # A /risk miss the route would answer the same way: the batched read (riskbatch.py), here.
        # Not in the graph (404) or a failed read (503): the route answers, with its own read.
        number, state = found[2], scope["app"].state.graphfraud
        try:
            card = await state.risk_batcher.card(number)
        except GraphFraudError:
            return None
        return None if card is None else (self.risk_route, card)

    def _lookup(self, scope) -> tuple[BaseRoute, bytes] | tuple[BaseRoute, None, str] | None:
        """(route, cached answer), or for a /risk miss (route, None, number); None: the app answers."""
        path: str = scope["path"]
        if not path.startswith(_PREFIX) or scope.get("root_path"):
            return None
        number, sep, endpoint = path[len(_PREFIX) :].partition("/")
        if not sep or not already_normal(number):
            return None
        state: AppState | None = getattr(scope["app"].state, "graphfraud", None)
        if state is None:
            return None
        number = state.stored_form(number)  # digits in a pseudonymised database: the token
        if number is None:
            return None
        if endpoint == "risk":
            route, needed, cache, key = self.risk_route, Role.consumer, state.risk_cache, number
        elif endpoint == "evidence":
            params = _evidence_params(scope["query_string"])
            if params is None:
                return None
            route, needed, cache = self.evidence_route, Role.investigator, state.evidence_cache
            key = evidence_key(number, *params, state.settings.evidence_max_nodes)
        else:
            return None
        role = state.keys.role_of(Headers(scope=scope).get("x-api-key"))
        if role is None or role < needed:
            return None
        body = cache.get(key)
        if body is None:
            return (route, None, number) if route is self.risk_route else None
        return route, body
