"""Uploads and account exports are limited per account and per hour: 429 with Retry-After."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from kneecap.web import ratelimit
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_limits(settings: Any, tmp_path: Path) -> None:
    settings.RATE_LIMITS = {"upload": (2, 3600), "export": (1, 3600)}
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.UPLOAD_DIR = tmp_path / "uploads"
    cache.clear()


def upload(client: Client) -> Any:
    return client.post("/runs/import/", {})  # an empty form still counts as an upload


def assert_refused(response: Any, what: str) -> None:
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    text = response.content.decode()
    assert f"Too many {what}" in text and "per hour" in text and "Try again in" in text


def test_the_third_upload_in_an_hour_is_refused_with_429(alice: Any) -> None:
    client = client_for(alice)
    assert [upload(client).status_code for _ in range(2)] == [200, 200]
    assert_refused(upload(client), "uploads")
    assert client.get("/runs/import/").status_code == 200  # looking at the page is free


def test_limits_count_each_account_apart(alice: Any, charlie: Any) -> None:
    for _ in range(3):
        upload(client_for(alice))
    assert upload(client_for(charlie)).status_code == 200


def test_the_second_export_in_an_hour_is_refused(alice: Any) -> None:
    client = client_for(alice)
    assert client.get(reverse("kc-account-export")).status_code == 200
    assert_refused(client.get(reverse("kc-account-export")), "exports")


def test_the_api_upload_answers_429_as_json(alice: Any) -> None:
    client = client_for(alice)
    for _ in range(2):
        assert client.post("/api/imports").status_code == 422
    refused = client.post("/api/imports")
    assert_refused(refused, "uploads")
    assert refused["Content-Type"] == "application/json"
    assert refused.json()["detail"].startswith("Too many uploads")


def test_the_limit_lifts_when_the_hour_is_over(alice: Any, monkeypatch: Any) -> None:
    client = client_for(alice)
    for _ in range(3):
        upload(client)
    later = ratelimit.time.time() + 3600
    monkeypatch.setattr(ratelimit.time, "time", lambda: later)
    assert upload(client).status_code == 200


def test_zero_turns_a_limit_off(alice: Any, settings: Any) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "upload": (0, 3600)}
    client = client_for(alice)
    assert {upload(client).status_code for _ in range(5)} == {200}


def test_redis_shares_the_counts_when_configured(alice: Any, settings: Any) -> None:
    pytest.importorskip("redis", reason="the redis package is not installed")
    url = os.environ.get("KNEECAP_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    settings.CACHES = {"default": redis, "values": {**redis, "KEY_PREFIX": "values"}}
    cache.clear()
    for _ in range(2):
        upload(client_for(alice))
    assert_refused(upload(client_for(alice)), "uploads")  # a fresh client: state in Redis
    cache.clear()


def test_the_limit_holds_across_the_hour(alice: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sliding hour: a fixed window per clock hour allowed two exports a second apart."""
    now = [3600.0 * 493_000 - 1]  # one second before a clock hour begins
    monkeypatch.setattr(ratelimit, "clock", lambda: now[0])
    client = client_for(alice)
    assert client.get(reverse("kc-account-export")).status_code == 200
    now[0] += 2
    refused = client.get(reverse("kc-account-export"))
    assert_refused(refused, "exports")
    assert int(refused["Retry-After"]) == 3598
    now[0] += 3600
    assert client.get(reverse("kc-account-export")).status_code == 200
