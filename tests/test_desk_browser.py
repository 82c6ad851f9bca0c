"""The review desk in a real browser: Debian's Chromium driven by Playwright, against a desk
served on loopback; every decision is checked in the store.

Chromium comes from the system (`apt-get install chromium`), never from Playwright's own
download. Where it or the driver is missing the tests are skipped with the reason printed, or,
with ANGLEFORGE_BROWSER_TESTS=required (as CI sets it where it could install them), fail.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from angleforge.guardrail import Guardrail
from angleforge.store import Store

from .support.desk import ServedDesk, served

CHROMIUM = Path(os.environ.get("ANGLEFORGE_CHROMIUM", "/usr/bin/chromium"))
# what Chromium needs here: no sandbox as root, and none of its calls home, which the closed
# network refuses many at a time
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path(os.environ.get("ANGLEFORGE_SCREENSHOTS", tempfile.gettempdir())) / "angleforge-desk"


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright's Python package is not installed (pip install -e '.[browser]')"
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


if (_reason := _missing()) is not None:
    if os.environ.get("ANGLEFORGE_BROWSER_TESTS") == "required":
        raise RuntimeError(f"the browser tests are required, but {_reason}")
    pytest.skip(f"browser tests skipped: {_reason}", allow_module_level=True)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # launch() gives Chromium a fresh, empty profile of its own, removed when it closes
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def store(offline_db: Path) -> Store:
    return Store.open(offline_db)


@pytest.fixture
def desk(store: Store, guardrail: Guardrail) -> Iterator[ServedDesk]:
    with served(store, guardrail, reviewer="pat") as running:
        yield running


@pytest.fixture
def page(browser: Browser, desk: ServedDesk) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    yield opened
    context.close()
    assert errors == []  # no script error, no resource refused (the page's policy forbids others)


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _current(page: Page) -> str:
    return page.url.rsplit("/drafts/", 1)[1].split("?")[0]


def test_the_thread_keys_and_moving_through_the_queue(page: Page, desk: ServedDesk, store: Store):
    started = time.perf_counter()
    page.goto(desk.url)
    loaded = time.perf_counter() - started
    first = store.drafts(status="flagged")[0]
    assert _current(page) == first.id and loaded < 5
    expect(page.locator(".card")).to_have_count(len(first.posts))
    expect(page.locator(".stat-flagged .chip").first).to_be_visible()
    expect(page.locator(".finding .claim").first).to_contain_text("did you mean")
    shot(page, "draft")
    page.keyboard.press("j")
    page.wait_for_url(f"**/drafts/{store.drafts(status='flagged')[1].id}*")
    page.keyboard.press("ArrowUp")
    page.wait_for_url(f"**/drafts/{first.id}*")
    page.keyboard.press("?")
    expect(page.locator("#keys")).to_be_visible()
    shot(page, "keys")
    page.keyboard.press("Escape")
    expect(page.locator("#keys")).to_be_hidden()


def test_approve_reject_and_undo_from_the_keyboard(page: Page, desk: ServedDesk, store: Store):
    flagged = [d.id for d in store.drafts(status="flagged")]
    page.goto(desk.url)
    page.keyboard.press("a")  # a flagged draft: approving overrides the guardrail, so it asks why
    expect(page.locator("#approve-dialog")).to_be_visible()
    page.fill("#approve-dialog textarea", "the hook is framing")
    page.click("#approve-dialog button[type=submit]")
    page.wait_for_url(f"**/drafts/{flagged[1]}*")
    expect(page.locator(".message")).to_contain_text(f"{flagged[0]}: approved by pat")
    decision = store.decisions(flagged[0])[-1]
    assert store.draft(flagged[0]).status == "approved" and decision.note == "the hook is framing"

    page.keyboard.press("u")  # undo the decision just made, from the next draft
    page.wait_for_url(f"**/drafts/{flagged[0]}*")
    expect(page.locator(".message")).to_contain_text("undone; now flagged")
    assert store.draft(flagged[0]).status == "flagged" and store.decisions(flagged[0])[-1].withdrawn_by == "pat"

    page.keyboard.press("r")
    expect(page.locator("#reject-dialog")).to_be_visible()
    page.click("#reject-dialog button[type=submit]")  # no reason: the browser keeps the dialog open
    expect(page.locator("#reject-dialog")).to_be_visible()
    page.fill("#reject-dialog textarea", "off voice")
    page.click("#reject-dialog button[type=submit]")
    page.wait_for_url(f"**/drafts/{flagged[1]}*")
    assert store.draft(flagged[0]).status == "rejected" and store.decisions(flagged[0])[-1].note == "off voice"

    passed = store.drafts(status="passed")[0].id
    page.goto(f"{desk.url}drafts/{passed}")
    page.keyboard.press("a")  # a passed draft is approved at once
    page.wait_for_url(lambda url: "done=" in url)
    assert store.draft(passed).status == "approved"
    shot(page, "after-decisions")


def test_an_edit_is_checked_as_it_is_typed_and_saved_as_a_revision(page: Page, desk: ServedDesk, store: Store):
    draft = store.drafts(status="flagged")[0]
    page.goto(f"{desk.url}drafts/{draft.id}")
    page.keyboard.press("e")
    editor = page.locator("#edit-text")
    expect(editor).to_be_focused()
    long = "Gartner says 40% of agentic AI projects will fail by 2028. " + "x" * 240
    started = time.perf_counter()
    editor.fill(f"{long}\n\n---\n\nSources: Gartner")
    expect(page.locator(".count.over")).to_have_text("299/280")
    rechecked = time.perf_counter() - started
    expect(page.locator(".finding").first).to_contain_text("the knowledge base gives 2027 for this, not 2028")
    expect(page.locator("#check-time")).to_contain_text("guardrail")
    shot(page, "editing")
    assert rechecked < 3

    # a thread as its format wants it: 4 posts numbered i/N, a Sources line last
    posts = [
        "1/4 Users expect a response within 300ms.",
        "2/4 Above 1,500ms, calls feel broken.",
        "3/4 Every pause past that costs the caller trust.",
        "4/4 Measure the whole path.\nSources: Trillet",
    ]
    editor.fill("\n\n---\n\n".join(posts))
    expect(page.locator(".verdict")).to_have_text("2 statistics grounded")
    page.keyboard.press("Control+Enter")
    page.wait_for_load_state()
    expect(page.locator(".message")).to_contain_text(f"{draft.id}: revision 2 is passed")
    edited = store.draft(draft.id)
    assert edited.revision == 2 and edited.status == "passed"
    assert edited.posts == posts
    expect(page.locator(".diff-add").first).to_contain_text("1/4 Users expect a response within 300ms.")
    shot(page, "edited")
