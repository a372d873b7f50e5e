// The versions polled by every API worker: 'graph' moves with any write (ingest, scores, appeals),
// 'scores' with a scoring run or a new database (every risk card may change), 'cards' with an
// appeal (one card changed; `numbers` holds the last ones, newest last). With its time, a version is
// a token that a new database (bulk import) cannot repeat by chance.
OPTIONAL MATCH (g:GraphVersion {name: 'graph'})
OPTIONAL MATCH (s:GraphVersion {name: 'scores'})
OPTIONAL MATCH (c:GraphVersion {name: 'cards'})
RETURN coalesce(g.version, 0) AS graph, toString(g.at) AS graph_at,
       coalesce(s.version, 0) AS scores, toString(s.at) AS scores_at,
       coalesce(c.version, 0) AS cards, coalesce(c.numbers, []) AS cards_numbers
