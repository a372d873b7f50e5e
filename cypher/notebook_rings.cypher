// Notebooks: every stored ring with its evidence and its members' numbers, highest risk first.
MATCH (r:Ring)
OPTIONAL MATCH (m:Phone)-[:MEMBER_OF]->(r)
WITH r, collect(m.number) AS members
RETURN r.ring_id AS ring_id, r.risk AS risk, r.tier AS tier, r.size AS size, r.reasons AS reasons,
       r.explanation AS explanation, r.features AS features, members
ORDER BY r.risk DESC, r.ring_id
