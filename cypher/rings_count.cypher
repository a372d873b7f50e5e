// How many rings are stored.
MATCH (r:Ring)
RETURN count(r) AS total
