"""sitrep: conflict reporting to a source-traced ledger of incidents and official tallies."""

__version__ = "0.1.0"

# `sitrep.extract(text, published=..., url=..., title=...)` extracts the incidents,
# claims, interactions and quotes of one report and returns an Extraction whose
# `to_dict()` is the output contract. The subpackage is callable (see its __init__),
# so the name means the same whether or not a stage module was imported first.
from sitrep import extract  # noqa: E402
from sitrep.errors import SitrepError  # noqa: E402
from sitrep.model import Claim, Document, Extraction, IncidentMention  # noqa: E402

__all__ = [
    "Claim",
    "Document",
    "Extraction",
    "IncidentMention",
    "SitrepError",
    "__version__",
    "extract",
]
