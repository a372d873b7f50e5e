// Sizes of the stored graph.
CALL () { MATCH (p:Phone) RETURN count(p) AS phones }
CALL () { MATCH ()-[c:CALLED]->() RETURN count(c) AS calls }
RETURN phones, calls
