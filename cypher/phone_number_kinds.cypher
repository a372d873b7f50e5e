// Whether the stored numbers are pseudonym tokens ('x' + hex, ingest --pseudonymize) or digits, and
// how many of $sample are stored: score write-back must use the same kind (and key) as the ingest.
// Digits sort before 'x', so both probes are range seeks on the unique index of :Phone(number).
OPTIONAL MATCH (t:Phone) WHERE t.number >= 'x'
WITH t LIMIT 1
OPTIONAL MATCH (d:Phone) WHERE d.number < 'x'
WITH t, d LIMIT 1
OPTIONAL MATCH (s:Phone) WHERE s.number IN $sample
RETURN t IS NOT NULL AS tokens, d IS NOT NULL AS digits, count(s) AS known
