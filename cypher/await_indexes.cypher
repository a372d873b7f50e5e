// Wait until every index and constraint is online (seconds).
CALL db.awaitIndexes($timeout_s)
