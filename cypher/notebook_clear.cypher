// Notebooks: empty the scratch database (auto-commit transaction; batches of $batch_size).
MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF $batch_size ROWS
