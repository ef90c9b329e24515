"""fetch_url against a local server on 127.0.0.1 only; refusals make no connection."""

from __future__ import annotations

import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from sitrep.errors import FetchError
from sitrep.ingest import fetch, fetch_url

PAGE = (Path(__file__).parents[1] / "text" / "data" / "news_page.html").read_bytes()
LEGACY = "Officials’ statement: “two rockets” hit the base — nobody was hurt.".encode("cp1252")


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        routes = {
            "/article": lambda: self.reply(200, PAGE, "text/html; charset=utf-8"),
            "/plain": lambda: self.reply(200, LEGACY, "text/plain; charset=windows-1252"),
            "/redirect": lambda: self.redirect("/hop2"),
            "/hop2": lambda: self.redirect(f"http://127.0.0.1:{self.server.server_port}/article"),
            "/loop": lambda: self.redirect("/loop"),
            "/to-private": lambda: self.redirect("http://10.0.0.1/admin"),
            "/to-file": lambda: self.redirect("file:///etc/passwd"),
            "/missing": lambda: self.reply(404, b"not here", "text/plain"),
            "/big-declared": lambda: self.reply(200, b"x" * 5000, "text/plain"),
            "/big-streamed": self.stream_big,
            "/slow": self.slow,
            "/image": lambda: self.reply(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "image/png"),
            "/empty": lambda: self.reply(200, b"", "text/html"),
        }
        self.server.hits.append(self.path)
        routes.get(self.path, lambda: self.reply(404, b"", "text/plain"))()

    def reply(self, status, body, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def stream_big(self):  # no Content-Length: only the streamed count can stop it
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Connection", "close")
        self.end_headers()
        try:
            for _ in range(100):
                self.wfile.write(b"y" * 1000)
        except OSError:
            pass

    def slow(self):
        time.sleep(1.0)
        try:
            self.reply(200, b"late", "text/plain")
        except OSError:  # the client gave up long ago
            pass

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.hits = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def url(server, path):
    return f"http://127.0.0.1:{server.server_port}{path}"


def failure(target, **kwargs) -> str:
    with pytest.raises(FetchError) as info:
        fetch_url(target, **kwargs)
    assert "\n" not in str(info.value)
    return str(info.value)


def test_fetches_an_html_page(server):
    doc = fetch_url(url(server, "/article"), allow_private=True)
    assert doc.format == "html"
    assert doc.title == "Drones strike two garrisons in eastern Syria"
    assert doc.published == date(2023, 10, 27)
    assert doc.url == url(server, "/article")
    assert "Brig. Gen. Pat Ryder" in doc.text and "cookies" not in doc.text


def test_uses_the_charset_the_server_declares(server):
    doc = fetch_url(url(server, "/plain"), allow_private=True)
    assert (doc.format, doc.text) == ("text", LEGACY.decode("cp1252"))


def test_follows_redirects_to_the_final_url(server):
    doc = fetch_url(url(server, "/redirect"), allow_private=True)
    assert doc.url == url(server, "/article")


def test_too_many_redirects(server):
    assert (
        failure(url(server, "/loop"), allow_private=True)
        == f"{url(server, '/loop')}: more than 5 redirects"
    )


def test_each_redirect_hop_is_checked(server, monkeypatch):
    # Treat only the test server as public, so the redirect's private target is refused.
    monkeypatch.setattr(fetch, "_forbidden", lambda address: str(address) != "127.0.0.1")
    server.hits.clear()
    message = failure(url(server, "/to-private"))
    assert message == "http://10.0.0.1/admin: 10.0.0.1 is a private or reserved address; refused"
    assert server.hits == ["/to-private"]
    assert (
        failure(url(server, "/to-file"), allow_private=True)
        == "file:///etc/passwd: only http and https URLs can be fetched"
    )


def test_http_errors(server):
    assert (
        failure(url(server, "/missing"), allow_private=True)
        == f"{url(server, '/missing')}: HTTP 404 Not Found"
    )


def test_size_bounds(server):
    assert failure(url(server, "/big-declared"), allow_private=True, max_bytes=1000) == (
        f"{url(server, '/big-declared')}: 5000 bytes is over the 1000 bytes limit"
    )
    assert failure(url(server, "/big-streamed"), allow_private=True, max_bytes=10_000) == (
        f"{url(server, '/big-streamed')}: over the 10000 bytes limit"
    )


def test_time_bound(server):
    started = time.perf_counter()
    assert (
        failure(url(server, "/slow"), allow_private=True, timeout=0.3)
        == f"{url(server, '/slow')}: timed out after 0.3 s"
    )
    assert time.perf_counter() - started < 0.9


def test_content_refusals_become_fetch_errors(server):
    assert (
        failure(url(server, "/image"), allow_private=True)
        == f"{url(server, '/image')}: binary file (a PNG image), not text"
    )
    assert (
        failure(url(server, "/empty"), allow_private=True)
        == f"{url(server, '/empty')}: empty document"
    )


@pytest.fixture
def no_connection(monkeypatch):
    """Any attempt to send a request fails the test."""
    monkeypatch.setattr(
        httpx.Client, "stream", lambda *a, **k: pytest.fail("a connection was attempted")
    )


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            "http://127.0.0.1/",
            "http://127.0.0.1/: 127.0.0.1 is a private or reserved address; refused",
        ),
        (
            "http://10.0.0.1:8080/x",
            "http://10.0.0.1:8080/x: 10.0.0.1 is a private or reserved address; refused",
        ),
        (
            "http://169.254.169.254/latest/meta-data/",
            "http://169.254.169.254/latest/meta-data/: 169.254.169.254 is a private or reserved address; refused",
        ),
        ("http://[::1]/", "http://[::1]/: ::1 is a private or reserved address; refused"),
        (
            "http://[::ffff:127.0.0.1]/",
            "http://[::ffff:127.0.0.1]/: ::ffff:7f00:1 is a private or reserved address; refused",
        ),
        ("http://0.0.0.0/", "http://0.0.0.0/: 0.0.0.0 is a private or reserved address; refused"),
        (
            "http://224.0.0.1/",
            "http://224.0.0.1/: 224.0.0.1 is a private or reserved address; refused",
        ),
        ("file:///etc/passwd", "file:///etc/passwd: only http and https URLs can be fetched"),
        (
            "ftp://127.0.0.1/report.txt",
            "ftp://127.0.0.1/report.txt: only http and https URLs can be fetched",
        ),
        ("http:///no-host", "http:///no-host: the URL names no host"),
    ],
)
def test_refusals_make_no_connection(no_connection, target, message):
    assert failure(target) == message
