"""Check graphs and edits: SHACL validation, evidence quotes against the source, reports for editors."""
