// Stored calls or scores changed (ingest, a scoring run, an appeal): API workers drop cached answers.
MERGE (v:GraphVersion {name: 'graph'})
SET v.version = coalesce(v.version, 0) + 1, v.at = datetime()
