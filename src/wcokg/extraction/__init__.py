"""Extraction: read each document and its claims file, quarantine what is not the document's, mint the graphs."""
