// Score write-back: model tier, effective tier (after appeals), risk, reasons, explanation.
UNWIND $rows AS row
MERGE (p:Phone {number: row.number})
SET p.risk = row.risk,
    p.model_tier = row.model_tier,
    p.tier = row.tier,
    p.ring_id = row.ring_id,
    p.reasons = row.reasons,
    p.explanation = row.explanation,
    p.features = row.features,
    p.scored_at = datetime($scored_at)
