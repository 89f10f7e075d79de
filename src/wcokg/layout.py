"""Where the project's inputs and outputs live; every default path is defined here and only here."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "sources" / "wco-overview-2013-06-24.txt"
ONTOLOGY = ROOT / "ontology" / "wcokg.ttl"
SHAPES = ROOT / "shapes" / "wcokg-shapes.ttl"
OUTPUT = ROOT / "output"
EDITS = ROOT / "edits"
RELEASES = ROOT / "releases"
