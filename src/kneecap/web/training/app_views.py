"""The installable app: its manifest, its service worker and the page shown with no network."""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

STATIC = Path(__file__).resolve().parent.parent / "static"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
THEME = "#0b6e4f"  # the favicon's green
SW_TEMPLATE = "app/sw.js"
OFFLINE_TEMPLATE = "app/offline.html"
# The runner's own pages kept for a visit with no network, refreshed on every online visit.
KEPT_PAGES = (r"^/today/$", r"^/plan/$", r"^/exercises/[\w-]+/$")


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    icons = [
        {"src": static("kneecap/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("kneecap/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("kneecap/icons/maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    body = {
        "id": "/",
        "name": "kneecap: knee strength for runners",
        "short_name": "kneecap",
        "description": "Knee strength sessions planned around your running.",
        "start_url": reverse("kc-today"),
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME,
        "background_color": "#fbfcfc",
        "icons": icons,
    }
    response = JsonResponse(body, content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response


def _shell_files() -> list[str]:
    """kneecap's own static files (styles, scripts, icons, exercise pictures), by name."""
    return sorted(
        p.relative_to(STATIC).as_posix()
        for p in (STATIC / "kneecap").rglob("*")
        if p.is_file() and p.suffix in {".css", ".js", ".svg", ".png"}
    )


@functools.cache
def version() -> str:
    """A digest of every file the worker caches and of the worker itself: a new kneecap gets
    a new cache name, so its files never mix with an old version's."""
    digest = hashlib.sha256()
    for name in _shell_files():
        digest.update(name.encode() + b"\0" + (STATIC / name).read_bytes())
    for template in (SW_TEMPLATE, OFFLINE_TEMPLATE):
        digest.update((TEMPLATES / template).read_bytes())
    return digest.hexdigest()[:16]


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    config = {
        "version": version(),
        "precache": [static(name) for name in _shell_files()] + [reverse("kc-offline")],
        "offline": reverse("kc-offline"),
        "pages": list(KEPT_PAGES),
        "outbox": static("kneecap/outbox.js"),
    }
    body = render_to_string(SW_TEMPLATE, {"config": json.dumps(config)})
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"  # the browser checks for a new version every visit
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """Shown by the service worker for a page it has not kept; the same for everyone."""
    return render(request, OFFLINE_TEMPLATE)
