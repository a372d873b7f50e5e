// Which SIM was seen at which cell: the shared-cell evidence.
UNWIND $rows AS row
MATCH (p:Phone {number: row.number})
MERGE (c:Cell {cell_id: row.cell_id})
MERGE (p)-[:SEEN_AT]->(c)
