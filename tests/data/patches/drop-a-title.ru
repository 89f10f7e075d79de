# A broken edit: Goal 4 loses its title, which every goal must have.
DELETE DATA { wco:goal-4 skos:prefLabel "Trade Facilitation"@en }
