// Notebooks: how many phones the database holds, and whether a notebook wrote them.
CALL () { MATCH (p:Phone) RETURN count(p) AS phones }
CALL () { MATCH (w:NotebookWorld) RETURN count(w) AS notebook_marks }
RETURN phones, notebook_marks
