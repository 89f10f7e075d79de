"""wcokg: the World Customs Organization's overview, published as linked data with evidence for every fact."""

__version__ = "0.1.0"
