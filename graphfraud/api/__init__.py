"""The HTTP face: a FastAPI service over the scores, rings and calls held in Neo4j (``graphfraud serve``)."""

from graphfraud.api.app import create_app

__all__ = ["create_app"]
