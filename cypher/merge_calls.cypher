// Calls as CALLED relationships; the call id (caller>callee@start) makes re-ingest idempotent.
UNWIND $rows AS row
MATCH (a:Phone {number: row.caller})
MATCH (b:Phone {number: row.callee})
MERGE (a)-[c:CALLED {id: row.id}]->(b)
ON CREATE SET
  c.start = datetime({epochSeconds: row.start}),
  c.duration = row.duration,
  c.cell = row.cell,
  c.imei = row.imei
