"""The installable app's pieces: the manifest, the service worker's script, the offline page."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from kneecap.web.training import app_views
from tests.web.conftest import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("alice")]  # past first run


def test_the_manifest_makes_kneecap_installable_and_opens_at_today() -> None:
    response = Client().get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    body = json.loads(response.content)
    assert body["start_url"] == "/today/" and body["display"] == "standalone"
    assert body["name"] and body["short_name"] == "kneecap" and body["theme_color"]
    sizes = {(i["sizes"], i.get("purpose", "any")) for i in body["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in body["icons"]:  # each icon is served and is a PNG of its stated size
        png = b"".join(Client().get(icon["src"]).streaming_content)  # type: ignore[attr-defined]
        width = int.from_bytes(png[16:20], "big")
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and f"{width}x{width}" == icon["sizes"]


def test_every_page_links_the_manifest_and_the_worker(alice: Any) -> None:
    for client, url in ((Client(), "/login/"), (client_for(alice), "/settings/")):
        html = client.get(url).content.decode()
        assert 'rel="manifest" href="/manifest.webmanifest"' in html
        assert 'name="theme-color"' in html and 'data-sw="/sw.js"' in html


def test_the_worker_is_served_for_the_whole_site_with_a_version_of_its_files() -> None:
    response = Client().get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/" and response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    config = json.loads(re.search(r"const KC = (\{.*\});", body).group(1))  # type: ignore[union-attr]
    assert config["version"] == app_views.version()
    assert "/static/kneecap/session-guide.js" in config["precache"]
    assert "/static/kneecap/exercises/split-squat.svg" in config["precache"]
    assert "/offline/" in config["precache"]
    assert any(re.match(p, "/today/") for p in config["pages"])
    assert any(re.match(p, "/exercises/split-squat/") for p in config["pages"])


def test_a_changed_static_file_changes_the_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "kneecap").mkdir()
    (tmp_path / "kneecap" / "app.js").write_text("one")
    monkeypatch.setattr(app_views, "STATIC", tmp_path)
    app_views.version.cache_clear()
    first = app_views.version()
    (tmp_path / "kneecap" / "app.js").write_text("two")
    app_views.version.cache_clear()
    try:
        assert app_views.version() != first
    finally:
        monkeypatch.undo()
        app_views.version.cache_clear()


def test_the_offline_page_says_what_still_works() -> None:
    html = Client().get("/offline/").content.decode()
    assert "No connection" in html and 'href="/today/"' in html
