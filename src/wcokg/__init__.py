"""wcokg: documents published as linked data, with the words of the source as evidence for every fact."""

from __future__ import annotations

from importlib import import_module

__version__ = "0.1.0"

_API = {
    "WcoKgError": "errors",
    "apply_update": "edit.apply",
    "build": "pipeline",
    "catalog": "sparql.query",
    "check_quotes": "check.quotes",
    "default_files": "sparql.query",
    "load_dataset": "sparql.query",
    "load_published": "edit.apply",
    "run_query": "sparql.query",
    "update": "pipeline",
    "validate_edit": "check.incremental",
    "validate_files": "check.review",
    "validate_graph": "check.validate",
}
"""The public API by the module that defines it, imported on first use: a command pays only for what it uses."""

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> object:
    if name not in _API:
        raise AttributeError(f"module 'wcokg' has no attribute {name!r}")
    value = getattr(import_module(f".{_API[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
