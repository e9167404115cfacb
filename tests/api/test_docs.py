"""The API docs at /api/docs work without internet: every asset comes from Clarion itself."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.django_db


class _Assets(HTMLParser):
    """The URLs a page loads: scripts, style sheets, icons, images."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("script", "img") and found.get("src"):
            self.urls.append(str(found["src"]))
        if tag == "link" and found.get("href"):
            self.urls.append(str(found["href"]))


def _assets(html: str) -> list[str]:
    parser = _Assets()
    parser.feed(html)
    return parser.urls


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_docs_page_loads_nothing_from_another_host(client):
    response = client.get("/api/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assets = _assets(html)
    assert any(url.endswith(".js") for url in assets)
    assert any(url.endswith(".css") for url in assets)
    foreign = [url for url in assets if urlsplit(url).netloc not in ("", "testserver")]
    assert foreign == []
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)


def test_every_asset_of_the_docs_page_is_served(client):
    assets = _assets(client.get("/api/docs").content.decode())

    for url in assets:
        response = client.get(urlsplit(url).path)
        assert response.status_code == 200, url
        body = _body(response)
        assert body, url
        if url.endswith(".css"):  # a style sheet pulls nothing (fonts, images) from elsewhere
            assert not re.search(rb"url\(\s*[\"']?(?:https?:)?//", body), url


def test_the_openapi_document_the_docs_read_is_served(client):
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Clarion API"


@pytest.mark.parametrize(
    "path", ["/static/../settings.py", "/static/%2e%2e/settings.py", "/static/ninja/"]
)
def test_nothing_but_static_files_is_served_from_static(client, path):
    assert client.get(path).status_code in (400, 404)
