// The risk card of one number.
MATCH (p:Phone {number: $number})
RETURN p.number AS number, p.risk AS risk, p.tier AS tier, p.model_tier AS model_tier,
       p.ring_id AS ring_id, p.reasons AS reasons, p.explanation AS explanation,
       p.features AS features, toString(p.scored_at) AS computed_at
