"""sitrep: conflict reporting to a source-traced ledger of incidents and official tallies."""

__version__ = "0.1.0"

from sitrep.errors import SitrepError  # noqa: E402
from sitrep.model import Claim, Document, Extraction, IncidentMention  # noqa: E402


def extract(text: str, published=None, url: str | None = None, title: str | None = None):
    """Extract the incidents, claims, interactions and quotes of one report.

    ``published`` is a ``date`` or ISO string; relative dates resolve against it.
    Returns an :class:`Extraction` whose ``to_dict()`` is the output contract.
    """
    from sitrep.extract import extract_text

    return extract_text(text, published=published, url=url, title=title)


__all__ = [
    "Claim",
    "Document",
    "Extraction",
    "IncidentMention",
    "SitrepError",
    "__version__",
    "extract",
]
