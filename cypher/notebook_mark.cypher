// Notebooks: mark the database as a notebook's scratch world (so a later notebook may empty it).
MERGE (w:NotebookWorld {notebook: $notebook})
SET w.profile = $profile, w.people = $people, w.days = $days, w.seed = $seed, w.at = datetime()
