// Evidence: numbers that called, or were called by, a set of numbers, with per-pair call totals.
// $scan_cap bounds the relationships read per number; $limit bounds the numbers returned.
// Numbers linked to more of the set (shared victims) come first. `clipped` says that a number has
// more CALLED relationships than $scan_cap (its degree, read from the store), so some were not read.
// One row of two parallel lists, in that order: the driver spends far more per record than per value.
UNWIND $numbers AS number
MATCH (a:Phone {number: number})
WITH a, COUNT { (a)-[:CALLED]-() } > $scan_cap AS clipped
CALL (a) {
  MATCH (a)-[c:CALLED]-(b:Phone)
  RETURN c, b
  LIMIT $scan_cap
}
WITH a, clipped, b, startNode(c) = a AS outgoing, count(c) AS calls, sum(c.duration) AS total_duration,
     min(c.start) AS first_at, max(c.start) AS last_at
WITH b, collect({number: a.number, clipped: clipped, outgoing: outgoing, calls: calls, total_duration: total_duration,
                 first_at: toString(first_at), last_at: toString(last_at)}) AS links
ORDER BY size(links) DESC, coalesce(b.risk, 0.0) DESC
LIMIT $limit
RETURN collect(b {.number, .tier, .risk, .ring_id, .features}) AS others, collect(links) AS links
