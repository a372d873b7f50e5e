// The version of the stored graph, polled by every API worker (0 before anything bumped it).
OPTIONAL MATCH (v:GraphVersion {name: 'graph'})
RETURN coalesce(v.version, 0) AS version
