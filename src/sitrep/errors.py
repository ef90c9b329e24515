"""One exception tree for sitrep. Messages are one line, stable and greppable.

SitrepError
├── InputError        bad input: empty, binary, undecodable, too large, malformed (HTTP 400)
│   └── FetchError    a URL that may not or could not be fetched (HTTP 400)
├── LexiconError      a lexicon data file that fails its schema (HTTP 500)
├── StoreError        the database refused or is missing (HTTP 500)
│   └── NotFound      no such record (HTTP 404)
├── AuthError         a write without a valid token (HTTP 401)
└── GoldError         a gold file that cannot be scored (HTTP 400)
"""

from __future__ import annotations


class SitrepError(Exception):
    """Base of every error sitrep raises on purpose."""

    status = 500

    def __init__(self, message: str):
        super().__init__(" ".join(str(message).split()))  # always one line

    @property
    def message(self) -> str:
        return str(self)


class InputError(SitrepError):
    status = 400


class FetchError(InputError):
    status = 400


class LexiconError(SitrepError):
    status = 500


class StoreError(SitrepError):
    status = 500


class NotFound(StoreError):
    status = 404


class AuthError(SitrepError):
    status = 401


class GoldError(SitrepError):
    status = 400
