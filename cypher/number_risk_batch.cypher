// The risk cards of many numbers in one read (coalesced cold /risk misses): the columns of
// number_risk.cypher, `number` being the asked number; a number not in the graph gives no row.
UNWIND $numbers AS number
MATCH (p:Phone {number: number})
RETURN number, p.risk AS risk, p.tier AS tier, p.model_tier AS model_tier,
       p.ring_id AS ring_id, p.reasons AS reasons, p.explanation AS explanation,
       p.features AS features, toString(p.scored_at) AS computed_at
