// Remember which world the database holds, so a second `graphfraud demo` reuses it.
MERGE (d:Dataset {name: $name})
SET d.key = $key, d.scored = $scored, d.at = datetime()
