// Evidence: handsets (IMEI) used by a set of numbers, with the SIMs seen in each (capped).
UNWIND $numbers AS number
MATCH (:Phone {number: number})-[:USED_DEVICE]->(d:Device)
WITH DISTINCT d LIMIT $limit
CALL (d) {
  MATCH (q:Phone)-[:USED_DEVICE]->(d)
  WITH q LIMIT $per_item
  RETURN collect(q {.number, .tier, .risk, .ring_id, .features}) AS users
}
WITH d, users WHERE size(users) >= 2
RETURN d.imei AS id, users
