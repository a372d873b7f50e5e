// Notebooks: the stored score of every scored number.
MATCH (p:Phone)
WHERE p.tier IS NOT NULL
RETURN p.number AS number, p.risk AS risk, p.model_tier AS model_tier, p.tier AS tier,
       p.ring_id AS ring_id, p.reasons AS reasons, p.explanation AS explanation, p.features AS features
