"""wcokg: the World Customs Organization's overview, published as linked data with evidence for every fact."""

__version__ = "0.1.0"

from .edit import apply_update, load_published  # noqa: E402
from .errors import WcoKgError  # noqa: E402
from .incremental import validate_edit  # noqa: E402
from .pipeline import build, update  # noqa: E402
from .query import catalog, default_files, load_dataset, run_query  # noqa: E402
from .quotes import check_quotes  # noqa: E402
from .review import validate_files  # noqa: E402
from .validate import validate_graph  # noqa: E402

__all__ = [
    "WcoKgError",
    "__version__",
    "apply_update",
    "build",
    "catalog",
    "check_quotes",
    "default_files",
    "load_dataset",
    "load_published",
    "run_query",
    "update",
    "validate_edit",
    "validate_files",
    "validate_graph",
]
