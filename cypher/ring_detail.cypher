// One ring with its members (highest risk first).
MATCH (r:Ring {ring_id: $ring_id})
OPTIONAL MATCH (m:Phone)-[:MEMBER_OF]->(r)
WITH r, m ORDER BY coalesce(m.risk, 0.0) DESC
RETURN r.ring_id AS ring_id, r.risk AS risk, r.tier AS tier, r.size AS size, r.reasons AS reasons,
       r.explanation AS explanation, r.features AS features, toString(r.scored_at) AS computed_at,
       [x IN collect(m)[..$limit] | x {.number, .risk, .tier}] AS members
