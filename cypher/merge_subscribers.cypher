// Record activation dates from the subscribers file.
UNWIND $rows AS row
MERGE (p:Phone {number: row.number})
SET p.activated_on = date(row.activated_on)
