// Notebooks: tier changes the scorer recorded in the audit trail since $since (ISO datetime).
MATCH (p:Phone)-[:HAS_EVENT]->(e:AuditEvent {kind: 'tier_change'})
WHERE e.at >= datetime($since)
RETURN p.number AS number, toString(e.at) AS at, e.actor AS actor, e.detail AS detail
ORDER BY e.at, p.number
