// Readiness: Neo4j answers a trivial query.
RETURN 1 AS ok
