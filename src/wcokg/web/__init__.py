"""The web face of the graph: dereferenceable IRIs, pages that show the evidence, a SPARQL endpoint."""
