// Append audit events: one (:AuditEvent) per row, linked from its number.
UNWIND $events AS event
MATCH (p:Phone {number: event.number})
CREATE (p)-[:HAS_EVENT]->(:AuditEvent {
  at: datetime(event.at), actor: event.actor, kind: event.kind, detail: event.detail
})
