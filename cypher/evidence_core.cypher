// Evidence: the subject and the members of its ring (highest risk first, capped).
MATCH (s:Phone {number: $number})
OPTIONAL MATCH (s)-[:MEMBER_OF]->(:Ring)<-[:MEMBER_OF]-(m:Phone)
WHERE m <> s
WITH s, m ORDER BY coalesce(m.risk, 0.0) DESC
WITH s, collect(m) AS members
RETURN s {.number, .tier, .risk, .ring_id, .features} AS subject,
       [m IN members[..$limit] | m {.number, .tier, .risk, .ring_id, .features}] AS members,
       size(members) AS member_count
