"""One exception hierarchy for the whole package.

The CLI turns any :class:`GraphFraudError` into one clear line and exit code 2;
the API maps them onto HTTP statuses.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "GraphFraudError",
    "InputFileError",
    "KindConflict",
    "Neo4jServerError",
    "Neo4jUnavailable",
    "NotFound",
    "OutputFileError",
]


class GraphFraudError(Exception):
    """Base class of every error graphfraud raises on purpose."""


class ConfigError(GraphFraudError):
    """Settings are missing, contradictory or unsafe (e.g. a default secret in production)."""


class KindConflict(ConfigError):
    """Another writer has just claimed an empty database for the other kind of numbers (raw digits
    against pseudonym tokens)."""


class InputFileError(GraphFraudError):
    """A whole input file is wrong: unreadable, wrong format, or a required column missing.

    Raised before anything is written, so a failed run leaves no partial output.
    """


class OutputFileError(GraphFraudError):
    """An output cannot go where it was asked to: it would overwrite an input, or its folder
    cannot be written. Checked before the work where it can be."""


class Neo4jUnavailable(GraphFraudError):
    """Neo4j cannot be reached (not started, wrong URI, wrong credentials)."""


class Neo4jServerError(GraphFraudError):
    """The bundled Neo4j server could not be fetched, configured, started or stopped."""


class NotFound(GraphFraudError):
    """A number, ring or other record asked for does not exist."""
