// Stored data changed; API workers drop the cached answers that depend on it. $names: 'graph' for
// every write, plus 'scores' when any risk card may have changed (a scoring run, a new database).
UNWIND $names AS name
MERGE (v:GraphVersion {name: name})
SET v.version = coalesce(v.version, 0) + 1, v.at = datetime()
