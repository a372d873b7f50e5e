// The kind of numbers this database holds, claimed by its first writer: 'tokens' (keyed
// pseudonyms) or 'digits'. MERGE on the unique NumberKind.id takes a lock, so of two first writers
// of different kinds into an empty database one claims and the other reads the claim; a database
// written before this node existed gets it from a writer that has passed the check of its numbers.
// A claim older than $stale_s seconds on a database that still holds no number is a writer that
// failed before its first write: it is taken over.
MERGE (k:NumberKind {id: 'phone'})
ON CREATE SET k.kind = $kind, k.at = datetime()
WITH k
CALL (k) {
  WITH k
  WHERE k.kind <> $kind AND k.at < datetime() - duration({seconds: $stale_s})
    AND NOT EXISTS { MATCH (:Phone) }
  SET k.kind = $kind, k.at = datetime()
}
RETURN k.kind AS kind
