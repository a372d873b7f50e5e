// Which simulated world (and whether its scores) the database already holds; used by `graphfraud demo`.
MATCH (d:Dataset {name: $name})
RETURN d.key AS key, d.scored AS scored
