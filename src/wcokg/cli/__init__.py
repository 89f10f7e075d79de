"""The wcokg command line: a thin layer over the library that picks exit codes and prints.

Each command imports the modules it uses when it runs, so that a query or ``--version`` does not pay for
rdflib, pyshacl or an HTTP client.
"""

from . import build, claims, project, query, web  # noqa: F401  (each module adds its commands to the group)
from .group import cli

__all__ = ["cli", "main"]


def main() -> None:
    """Entry point of the ``wcokg`` script."""
    cli(prog_name="wcokg")
