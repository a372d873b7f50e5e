// The risk cards of many numbers in one read (coalesced cold /risk misses): maps with the columns of
// number_risk.cypher, `number` being the asked number; a number not in the graph gives none. One
// row of one list: the driver spends far more per record than per value.
UNWIND $numbers AS number
MATCH (p:Phone {number: number})
RETURN collect({number: number, risk: p.risk, tier: p.tier, model_tier: p.model_tier, ring_id: p.ring_id,
                reasons: p.reasons, explanation: p.explanation, features: p.features,
                computed_at: toString(p.scored_at)}) AS cards
