"""Extraction: read the document, quarantine what is not the WCO's, extract claims, mint the graphs."""
