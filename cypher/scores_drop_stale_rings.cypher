// A scoring run holds the complete set of rings: rings it no longer finds are removed.
MATCH (r:Ring)
WHERE NOT r.ring_id IN $ring_ids
DETACH DELETE r
