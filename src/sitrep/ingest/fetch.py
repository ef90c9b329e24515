"""Fetch one web page safely -> Document.

Only http and https. The host is resolved first and private, loopback, link-local,
multicast and reserved addresses are refused (unless ``allow_private``); the connection
then goes to the address that was checked, so a second DNS answer cannot swap in an
internal one. Redirects are followed by hand, each hop checked the same way. Size and
time are bounded while streaming. Every failure is one FetchError line.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass

import httpx

from sitrep import __version__
from sitrep.errors import FetchError, InputError
from sitrep.ingest.decode import decode_bytes
from sitrep.ingest.document import document_from_text
from sitrep.ingest.files import MAX_BYTES, size_text, too_large
from sitrep.model import Document

MAX_REDIRECTS = 5
_HEADERS = {"User-Agent": f"sitrep/{__version__}", "Accept": "text/html,text/plain;q=0.9,*/*;q=0.1"}

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def fetch_url(
    url: str, *, allow_private: bool = False, max_bytes: int = MAX_BYTES, timeout: float = 20.0
) -> Document:
    """The page at ``url`` as a Document; FetchError (one line) on any failure."""
    deadline = time.monotonic() + timeout
    current = _parse(url)
    # trust_env=False: a proxy from the environment would bypass the address checks.
    with httpx.Client(
        timeout=timeout, follow_redirects=False, trust_env=False, headers=_HEADERS
    ) as client:
        for _ in range(MAX_REDIRECTS + 1):
            address = _checked_address(current, allow_private)
            try:
                response = _get(client, current, address, max_bytes, deadline)
            except httpx.TimeoutException:
                raise FetchError(f"{current}: timed out after {timeout:g} s") from None
            except httpx.HTTPError as exc:
                raise FetchError(f"{current}: {type(exc).__name__}: {exc}") from None
            if isinstance(response, httpx.URL):
                current = response  # a redirect, checked at the top of the loop
                continue
            return _document(current, response)
    raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")


def _parse(url: str, base: httpx.URL | None = None) -> httpx.URL:
    """``url`` (relative to ``base``, for a redirect) if it is http(s) with a host."""
    try:
        parsed = base.join(url) if base else httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise FetchError(f"{url}: not a valid URL ({exc})") from None
    if parsed.scheme not in ("http", "https"):
        raise FetchError(f"{url}: only http and https URLs can be fetched")
    if not parsed.host:
        raise FetchError(f"{url}: the URL names no host")
    return parsed


def _checked_address(url: httpx.URL, allow_private: bool) -> str:
    """The address to connect to; FetchError if the host resolves anywhere forbidden."""
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(url.raw_host.decode("ascii"), port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise FetchError(f"{url}: cannot resolve {url.host} ({exc})") from None
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not allow_private:
        for address in addresses:
            if _forbidden(address):
                raise FetchError(f"{url}: {address} is a private or reserved address; refused")
    return str(addresses[0])


def _forbidden(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return (
        not address.is_global
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


@dataclass(frozen=True, slots=True)
class _Page:
    data: bytes
    content_type: str
    charset: str | None


def _get(
    client: httpx.Client, url: httpx.URL, address: str, max_bytes: int, deadline: float
) -> _Page | httpx.URL:
    """One request to the checked address: the page, or where a redirect points."""
    extensions = {"sni_hostname": url.host} if url.scheme == "https" else {}
    headers = {"Host": url.netloc.decode("ascii")}
    with client.stream(
        "GET", url.copy_with(host=address), headers=headers, extensions=extensions
    ) as r:
        if r.is_redirect:
            return _parse(r.headers["location"], base=url)
        if r.status_code >= 400:
            raise FetchError(f"{url}: HTTP {r.status_code} {r.reason_phrase}")
        length = r.headers.get("content-length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise FetchError(too_large(str(url), int(length), max_bytes))
        chunks, size = [], 0
        for chunk in r.iter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(f"{url}: over the {size_text(max_bytes)} limit")
            if time.monotonic() > deadline:
                raise httpx.ReadTimeout("deadline passed")
            chunks.append(chunk)
        return _Page(b"".join(chunks), r.headers.get("content-type", ""), r.charset_encoding)


def _document(url: httpx.URL, page: _Page) -> Document:
    kind = page.content_type.split(";")[0].strip().lower()
    fmt = (
        "html"
        if kind in ("text/html", "application/xhtml+xml")
        else "text"
        if kind == "text/plain"
        else None
    )
    try:
        text = decode_bytes(page.data, str(url), declared=page.charset)
        return document_from_text(text, name=str(url), fmt=fmt, url=str(url))
    except FetchError:
        raise
    except InputError as exc:
        raise FetchError(str(exc)) from None
