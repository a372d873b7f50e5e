// One number's risk card changed (an appeal): API workers drop that card alone. The last $keep
// numbers are kept, newest last; a worker that missed more than that reads every card again.
MERGE (v:GraphVersion {name: 'cards'})
SET v.version = coalesce(v.version, 0) + 1, v.at = datetime(),
    v.numbers = (coalesce(v.numbers, []) + [$number])[-$keep..]
