// Evidence: cells where two or more numbers of a set were seen.
UNWIND $numbers AS number
MATCH (p:Phone {number: number})-[:SEEN_AT]->(c:Cell)
WITH c, collect(DISTINCT p.number) AS users
WHERE size(users) >= 2
RETURN c.cell_id AS id, users
ORDER BY size(users) DESC
LIMIT $limit
