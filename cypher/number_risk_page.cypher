// Risk cards in number order, the $page numbers after $after (the /risk preload, api/riskwarm.py):
// maps with the columns of number_risk.cypher, in one row (the driver spends far more per record
// than per value). The range on the unique number gives an index-ordered scan.
MATCH (p:Phone)
WHERE p.number > $after
WITH p ORDER BY p.number LIMIT $page
RETURN collect({number: p.number, risk: p.risk, tier: p.tier, model_tier: p.model_tier, ring_id: p.ring_id,
                reasons: p.reasons, explanation: p.explanation, features: p.features,
                computed_at: toString(p.scored_at)}) AS cards
