// The audit trail of one number: flags, appeals, tier changes (oldest first, capped).
MATCH (p:Phone {number: $number})
OPTIONAL MATCH (p)-[:HAS_EVENT]->(e:AuditEvent)
WITH p, e ORDER BY e.at, e.kind
RETURN p.number AS number,
       [x IN collect(e)[..$limit] | {at: toString(x.at), actor: x.actor, kind: x.kind, detail: x.detail}] AS events
