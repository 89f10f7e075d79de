"""Edits: apply a reviewed SPARQL Update with its provenance, and the edit log that replays them."""
