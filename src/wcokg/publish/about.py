"""What a project says of the dataset it publishes (``sources/dataset.toml``): title, description, licence, the
resource its facts start from, and the resources to show first; sensible defaults where it says nothing.

    title = "Harbour Authority knowledge graph"
    description = "The Authority's annual reports as linked data, each fact with the words that state it."
    license = "https://creativecommons.org/licenses/by/4.0/"
    root = "wco:harbour-authority"               # wcokg-facts.jsonld and wcokg-facts.ttl start here
    examples = ["wco:harbour-authority", "wco:pilot-service"]
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..budgets import Budgets, read_input
from ..errors import SourceError

NAME = "dataset.toml"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
_KEYS = {"title", "description", "license", "root", "examples"}


@dataclass(frozen=True)
class About:
    """The dataset's description; ``root`` and ``examples`` are prefixed names (``wco:…``) or None/empty."""

    title: str
    description: str
    license: str = LICENSE
    root: str | None = None
    examples: tuple[str, ...] = ()


def default_about(titles: list[str]) -> About:
    """A title and description made from the documents' titles, for a project that describes nothing."""
    named = ", ".join(titles)
    return About(f"Knowledge graph of {named}", f"The facts that {named} states, each with the words that state it.")


def read_about(folder: str | Path, titles: list[str]) -> About:
    """The description in ``folder/dataset.toml``; where there is none (or it omits a key), a title and
    description made from the documents' ``titles``.

    Raises:
        SourceError: the file is not TOML, or has an unknown key or a value of the wrong kind.
    """
    path = Path(folder) / NAME
    default = default_about(titles)
    if not path.is_file():
        return default
    try:
        data = tomllib.loads(read_input(path, Budgets(max_bytes=1 << 20)).decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourceError(path, None, f"not a valid TOML description of the dataset: {exc}") from None
    if unknown := sorted(set(data) - _KEYS):
        raise SourceError(path, None, f'unknown key "{unknown[0]}" (known: {", ".join(sorted(_KEYS))})')
    examples = data.get("examples", [])
    texts = [data.get(key, "") for key in ("title", "description", "license", "root")]
    if not all(isinstance(text, str) for text in texts) or not all(isinstance(e, str) for e in examples):
        raise SourceError(path, None, "title, description, license and root are strings; examples a list of them")
    return About(
        title=data.get("title", default.title),
        description=data.get("description", default.description),
        license=data.get("license", LICENSE),
        root=data.get("root"),
        examples=tuple(examples),
    )
