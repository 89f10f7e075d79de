"""Apache Jena from Debian's libapache-jena-java, run with `java -cp`, as an independent engine for the tests:
the classpath of ``docs/jena``, the project's recipe."""

from __future__ import annotations

import subprocess
from importlib.machinery import SourceFileLoader
from importlib.util import module_from_spec, spec_from_loader
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "docs" / "jena"
_loader = SourceFileLoader("jena_script", str(SCRIPT))
_script = module_from_spec(spec_from_loader("jena_script", _loader))
_loader.exec_module(_script)
classpath = _script.classpath


def run(cp: str, main: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run one of Jena's command-line tools (``arq.sparql``, ``shacl.shacl`` …) and return its output."""
    return subprocess.run(["java", "-cp", cp, main, *args], capture_output=True, text=True, timeout=timeout, check=True)
