"""kneecap as an installed app in Debian's chromium, with a persistent profile as a phone has:
installable, then offline after one visit, a whole session with no network, saved once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kneecap.db.training.models import SessionLog
from tests.browser.conftest import CHROMIUM, log_in
from tests.browser.test_guided_session import PASSWORD, play_through, runner

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def phone(tmp_path: Path) -> Iterator[Any]:
    """A persistent profile (service workers, caches and IndexedDB live in it) on a phone screen."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no chromium at {CHROMIUM}: install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            viewport={"width": 390, "height": 844},
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
        )
        page = context.pages[0] if context.pages else context.new_page()
        # a ceiling, not a measure: installing the worker fetches the whole app shell, which
        # takes several seconds on a loaded 2-core machine
        page.set_default_timeout(45_000)
        yield page
        context.close()


def kept_pages(page: Any) -> list[str]:
    return list(
        page.evaluate(
            """async () => {
                const out = [];
                for (const key of await caches.keys()) {
                    if (!key.startsWith("kc-pages-")) continue;
                    const cache = await caches.open(key);
                    for (const r of await cache.keys()) out.push(new URL(r.url).pathname);
                }
                return out;
            }"""
        )
    )


def test_installable_then_a_whole_session_offline_saved_once(live_server: Any, phone: Any) -> None:
    page = phone
    runner()
    log_in(page, live_server, "ada", PASSWORD)
    page.goto(live_server.url + "/today/?speed=100")
    if page.get_by_role("button", name="Start guided session").count() == 0:
        pytest.skip("no session planned today for this profile")
    page.wait_for_function("() => navigator.serviceWorker.controller?.state === 'activated'")

    errors = page.context.new_cdp_session(page).send("Page.getInstallabilityErrors")
    assert errors["installabilityErrors"] == []

    # one visit of each page under the worker keeps it; Today asks for its exercises too
    page.reload()
    page.goto(live_server.url + "/plan/")
    page.goto(live_server.url + "/today/?speed=100")
    page.wait_for_function(
        """async () => {
            for (const key of await caches.keys()) {
                const cache = await caches.open(key);
                if ((await cache.keys()).some((r) => r.url.includes("/exercises/"))) return true;
            }
            return false;
        }"""
    )
    kept = kept_pages(page)
    assert "/plan/" in kept and "/today/" in kept

    page.context.set_offline(True)
    page.goto(live_server.url + "/plan/")
    assert page.locator("main h1").count() == 1
    exercise = next(p for p in kept if p.startswith("/exercises/"))
    page.goto(live_server.url + exercise)
    assert page.locator("main h1").count() == 1
    page.goto(live_server.url + "/history/")  # never visited: the offline page says so
    assert "No connection" in page.locator("main h1").text_content()

    page.goto(live_server.url + "/today/?speed=100")
    page.get_by_role("button", name="Start guided session").click()
    play_through(page)
    assert "when the connection is back" in page.locator("#kc-status").text_content()
    assert "Waiting on this device" in page.locator("#kc-outbox").text_content()
    assert not SessionLog.objects.exists()

    page.context.set_offline(False)
    page.locator("#kc-status").filter(has_text="Saved.").wait_for()
    page.reload()  # the outbox is empty: nothing is sent twice
    page.wait_for_timeout(500)
    assert page.evaluate("kcOutbox.list().then((l) => l.length)") == 0
    assert SessionLog.objects.count() == 1


def test_logging_out_forgets_the_runners_pages_and_outbox(live_server: Any, phone: Any) -> None:
    page = phone
    runner()
    log_in(page, live_server, "ada", PASSWORD)
    page.goto(live_server.url + "/today/")
    page.wait_for_function("() => navigator.serviceWorker.controller?.state === 'activated'")
    page.reload()
    page.wait_for_function(
        "async () => (await caches.keys()).some((n) => n.startsWith('kc-pages-'))"
    )
    page.evaluate("kcOutbox.put({id: 'x', url: '/sessions/', label: 'x', body: {}, csrf: ''})")
    page.on("dialog", lambda dialog: dialog.accept())  # "a session has not been sent yet"
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login/")
    assert page.evaluate("kcOutbox.list().then((l) => l.length)") == 0
    assert kept_pages(page) == []


def test_a_new_version_replaces_every_cache_of_the_old_one(
    live_server: Any, phone: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kneecap.web.training import app_views

    page = phone
    runner()
    log_in(page, live_server, "ada", PASSWORD)
    page.goto(live_server.url + "/today/")
    page.wait_for_function("() => navigator.serviceWorker.controller?.state === 'activated'")
    page.reload()
    old = app_views.version()
    page.wait_for_function(
        "async () => (await caches.keys()).some((n) => n.startsWith('kc-pages-'))"
    )
    assert {key.rsplit("-", 1)[1] for key in page.evaluate("caches.keys()")} == {old}

    monkeypatch.setattr(app_views, "version", lambda: "0123456789abcdef")  # a new kneecap
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    page.wait_for_function(
        """async () => {
            const keys = await caches.keys();
            return keys.length > 0 && keys.every((k) => k.endsWith("-0123456789abcdef"));
        }"""
    )
    page.reload()
    shell = page.evaluate(
        "caches.open('kc-shell-0123456789abcdef').then((c) => c.keys()).then((k) => k.length)"
    )
    assert shell == len(app_views._shell_files()) + 1  # every file and the offline page
