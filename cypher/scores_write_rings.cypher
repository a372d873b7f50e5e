// Score write-back: the rings of this run (properties only; memberships separately).
UNWIND $rings AS ring
MERGE (r:Ring {ring_id: ring.ring_id})
SET r.risk = ring.risk,
    r.tier = ring.tier,
    r.size = ring.size,
    r.reasons = ring.reasons,
    r.explanation = ring.explanation,
    r.features = ring.features,
    r.scored_at = datetime($scored_at)
