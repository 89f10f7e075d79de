"""``python -m wcokg``: the same as the ``wcokg`` command."""

from .cli import main

main()
