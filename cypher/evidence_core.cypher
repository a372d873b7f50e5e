// Evidence, first round trip: the subject, the members of its ring (highest risk first, capped),
// the handsets (IMEI) they used that other SIMs used too (with those SIMs, capped per handset), and,
// for a ring, the cells where two or more of them were seen. Every list is capped.
MATCH (s:Phone {number: $number})
OPTIONAL MATCH (s)-[:MEMBER_OF]->(:Ring)<-[:MEMBER_OF]-(m:Phone)
WHERE m <> s
WITH s, m ORDER BY coalesce(m.risk, 0.0) DESC
WITH s, collect(m) AS all_members
WITH s, all_members[..$limit] AS members, size(all_members) AS member_count
CALL (s, members) {
  UNWIND [s] + members AS p
  RETURN collect(DISTINCT p) AS core
}
CALL (core) {
  UNWIND core AS p
  MATCH (p)-[:USED_DEVICE]->(d:Device)
  WITH DISTINCT d LIMIT $node_limit
  CALL (d) {
    MATCH (q:Phone)-[:USED_DEVICE]->(d)
    WITH q LIMIT $per_device
    RETURN collect(q {.number, .tier, .risk, .ring_id, .features}) AS users
  }
  WITH d, users WHERE size(users) >= 2
  RETURN collect({id: d.imei, users: users}) AS devices
}
CALL (core, member_count) {
  UNWIND CASE WHEN member_count > 0 THEN core ELSE [] END AS p
  MATCH (p)-[:SEEN_AT]->(c:Cell)
  WITH c, collect(DISTINCT p.number) AS users
  WHERE size(users) >= 2
  WITH c, users ORDER BY size(users) DESC LIMIT $node_limit
  RETURN collect({id: c.cell_id, users: users}) AS cells
}
RETURN s {.number, .tier, .risk, .ring_id, .features} AS subject,
       [m IN members | m {.number, .tier, .risk, .ring_id, .features}] AS members,
       member_count, [p IN core | p.number] AS core_numbers, devices, cells
