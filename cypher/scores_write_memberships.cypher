// Score write-back: (:Phone)-[:MEMBER_OF]->(:Ring), one row per (number, ring_id).
UNWIND $rows AS row
MATCH (r:Ring {ring_id: row.ring_id})
MERGE (p:Phone {number: row.number})
MERGE (p)-[:MEMBER_OF]->(r)
