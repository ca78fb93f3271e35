"""Playwright driving Debian's Chromium against the live test server.

Chromium comes from Debian's packages (`make test` installs it when it can). Without it the
browser tests are skipped with a clear reason, except where ATTESTA_REQUIRE_BROWSER is set
(`.ci/run` sets it): there a missing browser fails the run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("ATTESTA_CHROMIUM", "/usr/bin/chromium"))
# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between page actions are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} absent : tests navigateur non exécutés (apt-get install chromium)"
        if os.environ.get("ATTESTA_REQUIRE_BROWSER"):
            pytest.fail(message + " — ils sont exigés ici (ATTESTA_REQUIRE_BROWSER).")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: object) -> Iterator[object]:
    context = chromium.new_context(locale="fr-FR")  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    # A script error or a Content-Security-Policy refusal is a failure too. A form sent back
    # with its errors answers 400 on purpose; Chromium logs that status as an error.
    expected = "the server responded with a status of 400"
    assert [e for e in errors if expected not in e] == [], errors
