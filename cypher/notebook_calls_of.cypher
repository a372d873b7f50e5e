// Notebooks: every call made or received by a set of numbers (each call once).
UNWIND $numbers AS number
MATCH (:Phone {number: number})-[c:CALLED]-(:Phone)
WITH DISTINCT c
RETURN startNode(c).number AS caller, endNode(c).number AS callee, c.start.epochSeconds AS start_s,
       c.duration AS duration_s, c.cell AS cell_id, c.imei AS imei
