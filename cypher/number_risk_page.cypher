// Risk cards in number order, the $page numbers after $after (the /risk preload, api/riskwarm.py):
// the columns of number_risk.cypher. The range on the unique number gives an index-ordered scan.
MATCH (p:Phone)
WHERE p.number > $after
RETURN p.number AS number, p.risk AS risk, p.tier AS tier, p.model_tier AS model_tier,
       p.ring_id AS ring_id, p.reasons AS reasons, p.explanation AS explanation,
       p.features AS features, toString(p.scored_at) AS computed_at
ORDER BY number
LIMIT $page
