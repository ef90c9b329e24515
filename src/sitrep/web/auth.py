"""Tokens: writes need ``Authorization: Bearer <api token>``; reads need a token only when
a read token is configured (then the read or the write token, as a Bearer header or the
dashboard's ``sitrep_token`` cookie). Writes never accept the cookie, so a page on another
site cannot make a browser write (no CSRF). Comparisons take constant time."""

from __future__ import annotations

import hmac

from fastapi import Request

from sitrep.errors import AuthError

COOKIE = "sitrep_token"


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def _matches(given: str | None, *expected: str | None) -> bool:
    if not given:
        return False
    ok = False
    for e in expected:
        if e:  # compare with every configured token, so timing does not say which matched
            ok |= hmac.compare_digest(given.encode(), e.encode())
    return ok


def require_read(request: Request) -> None:
    s = request.app.state.settings
    if not s.read_token:
        return
    given = _bearer(request) or request.cookies.get(COOKIE)
    if not _matches(given, s.read_token, s.api_token):
        raise AuthError("reading needs a token: send Authorization: Bearer <token>")


def require_write(request: Request) -> None:
    s = request.app.state.settings
    if not s.api_token:
        raise AuthError("writes are disabled: no API token is configured (SITREP_API_TOKEN)")
    if not _matches(_bearer(request), s.api_token):
        raise AuthError("writing needs a valid token: send Authorization: Bearer <token>")
