// Before recording an appeal: the number's current scores.
MATCH (p:Phone {number: $number})
RETURN p.tier AS tier, p.model_tier AS model_tier, p.risk AS risk, p.reasons AS reasons,
       p.explanation AS explanation
