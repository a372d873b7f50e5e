// A page of rings, highest risk first.
MATCH (r:Ring)
WITH r ORDER BY r.risk DESC, r.ring_id SKIP $offset LIMIT $limit
RETURN r.ring_id AS ring_id, r.risk AS risk, r.tier AS tier, r.size AS size, r.reasons AS reasons,
       toString(r.scored_at) AS computed_at
