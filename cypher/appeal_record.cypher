// Record an appeal outcome and the effective tier it leads to.
MATCH (p:Phone {number: $number})
CREATE (p)-[:HAS_APPEAL]->(:Appeal {
  outcome: $outcome, by: $by, note: $note, at: datetime($at),
  valid_until: CASE WHEN $valid_until IS NULL THEN null ELSE date($valid_until) END,
  risk_at_appeal: $risk_at_appeal, reasons_at_appeal: $reasons_at_appeal
})
SET p.tier = $tier, p.reasons = $reasons, p.explanation = $explanation
