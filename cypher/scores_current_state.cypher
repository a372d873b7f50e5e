// Before a score write-back: each number's effective tier now and its latest appeal.
UNWIND $numbers AS number
MATCH (p:Phone {number: number})
OPTIONAL MATCH (p)-[:HAS_APPEAL]->(a:Appeal)
WITH p, a ORDER BY a.at DESC
WITH p, collect(a)[0] AS appeal
RETURN p.number AS number, p.tier AS tier,
       appeal.outcome AS appeal_outcome, toString(appeal.valid_until) AS appeal_valid_until,
       appeal.risk_at_appeal AS risk_at_appeal, appeal.reasons_at_appeal AS reasons_at_appeal
