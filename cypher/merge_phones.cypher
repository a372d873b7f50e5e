// Create the Phone nodes of a batch of numbers (idempotent).
UNWIND $numbers AS number
MERGE (:Phone {number: number})
