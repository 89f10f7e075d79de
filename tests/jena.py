"""Apache Jena from Debian's libapache-jena-java, run with `java -cp`, as an independent engine for the tests."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

JARS = Path("/usr/share/java")
JENA = [
    "jena-arq",
    "jena-base",
    "jena-cmds",
    "jena-core",
    "jena-dboe-base",
    "jena-dboe-index",
    "jena-dboe-storage",
    "jena-dboe-trans-data",
    "jena-dboe-transaction",
    "jena-iri",
    "jena-rdfconnection",
    "jena-shacl",
    "jena-tdb",
    "jena-tdb2",
]
DEPENDENCIES = [
    "commons-cli",
    "commons-codec",
    "commons-compress",
    "commons-csv",
    "commons-io",
    "commons-lang3",
    "dexx.collection",
    "gson",
    "guava",
    "httpclient",
    "httpcore",
    "jackson-annotations",
    "jackson-core",
    "jackson-databind",
    "jakarta.json-api",
    "jsonld-java",
    "protobuf",
    "slf4j-api",
    "slf4j-nop",
    "thrift",
    "titanium-json-ld",
]
RELOCATED = "org/apache/jena/ext/xerces/"


def classpath(workdir: Path) -> str:
    """Jena's classpath, with the fix for Debian's Jena 4.5 packaging bug put first.

    Debian's jena-core.jar relocates its bundled Xerces classes to ``xerces.*`` but leaves their message
    bundles under ``org/apache/jena/ext/xerces/``; XSD datatypes then fail with "internal error". The
    bundles are copied to the relocated path in ``workdir``.
    """
    assert shutil.which("java"), "java must be installed"
    jars = [JARS / f"{name}.jar" for name in JENA + DEPENDENCIES]
    missing = [str(jar) for jar in jars if not jar.exists()]
    assert not missing, f"Debian's libapache-jena-java must be installed (.ci/run installs it); missing {missing}"
    fix = workdir / "jena-xerces-fix"
    with zipfile.ZipFile(JARS / "jena-core.jar") as jar:
        for member in jar.namelist():
            if member.startswith(RELOCATED) and member.endswith(".properties"):
                target = fix / "xerces" / member[len(RELOCATED) :]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(member))
    return ":".join([str(fix), *map(str, jars)])


def run(cp: str, main: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run one of Jena's command-line tools (``arq.sparql``, ``shacl.shacl`` …) and return its output."""
    return subprocess.run(["java", "-cp", cp, main, *args], capture_output=True, text=True, timeout=timeout, check=True)
