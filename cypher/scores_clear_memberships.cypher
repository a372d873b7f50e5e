// Stale memberships: every MEMBER_OF of the rings being written, or of the numbers being scored.
MATCH (p:Phone)-[m:MEMBER_OF]->(r:Ring)
WHERE r.ring_id IN $ring_ids OR p.number IN $numbers
DELETE m
