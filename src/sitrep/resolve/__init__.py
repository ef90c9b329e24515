"""The resolve stage: mentions across documents become incidents; claims become series.

Pure functions, no database: the caller reads mentions and claims from the store and
writes back what these return.

- :func:`resolve_incidents` (incremental with ``existing``) and :func:`match_score`,
  whose threshold is ``MATCH_THRESHOLD``; :func:`incident_changes` says what to write;
- :func:`build_series`: claims of one measure, subject, region and start, by as-of, with
  revisions flagged;
- :func:`pairwise_scores`: pairwise merge precision and recall against gold clusters;
  :func:`merge_scores` runs it over merge scenarios (``tests/resolve/merge_scenarios.jsonl``).
"""

from __future__ import annotations

from sitrep.resolve.incidents import incident_changes, match_score, mention_key, resolve_incidents
from sitrep.resolve.pairwise import merge_scores, pairwise_scores
from sitrep.resolve.rules import MATCH_THRESHOLD
from sitrep.resolve.series import build_series

__all__ = [
    "MATCH_THRESHOLD",
    "build_series",
    "incident_changes",
    "match_score",
    "merge_scores",
    "mention_key",
    "pairwise_scores",
    "resolve_incidents",
]
