// The kind of numbers this database holds, claimed by its first writer: 'tokens' (keyed
// pseudonyms) or 'digits'. MERGE on the unique NumberKind.id takes a lock, so of two first writers
// of different kinds into an empty database one claims and the other reads the claim; a database
// written before this node existed gets it from a writer that has passed the check of its numbers.
MERGE (k:NumberKind {id: 'phone'})
ON CREATE SET k.kind = $kind, k.at = datetime()
RETURN k.kind AS kind
