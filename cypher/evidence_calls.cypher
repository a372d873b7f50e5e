// Evidence: numbers that called, or were called by, a set of numbers, with per-pair call totals.
// $scan_cap bounds the relationships read per number; $limit bounds the numbers returned.
// Numbers linked to more of the set (shared victims) come first.
UNWIND $numbers AS number
MATCH (a:Phone {number: number})
CALL (a) {
  MATCH (a)-[c:CALLED]-(b:Phone)
  RETURN c, b
  LIMIT $scan_cap
}
WITH a, b, startNode(c) = a AS outgoing, count(c) AS calls, sum(c.duration) AS total_duration,
     min(c.start) AS first_at, max(c.start) AS last_at
WITH b, collect({number: a.number, outgoing: outgoing, calls: calls, total_duration: total_duration,
                 first_at: toString(first_at), last_at: toString(last_at)}) AS links
ORDER BY size(links) DESC, coalesce(b.risk, 0.0) DESC
LIMIT $limit
RETURN b {.number, .tier, .risk, .ring_id, .features} AS other, links
