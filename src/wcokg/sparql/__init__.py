"""SPARQL over the published files: guarded queries in stoppable workers, and their answers."""
