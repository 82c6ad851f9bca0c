"""The review desk over HTTP: pages, decisions through its forms, conflicts, and its guard."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from angleforge.cli import main
from angleforge.desk import Access, create_app
from angleforge.errors import UsageError
from angleforge.guardrail import Guardrail
from angleforge.review import edit
from angleforge.store import Store

from .conftest import ROOT

BASE = "http://127.0.0.1:8765"
_MAIN = "import sys; from angleforge.cli import main; sys.exit(main())"


@pytest.fixture
def store(offline_db: Path) -> Store:
    return Store.open(offline_db)


@pytest.fixture
def access() -> Access:
    return Access.for_host("127.0.0.1", remote=False)


@pytest.fixture
def client(store: Store, guardrail: Guardrail, access: Access) -> TestClient:
    return TestClient(create_app(store, guardrail, access, "desk"), base_url=BASE, follow_redirects=False)


def form(access: Access, draft, **fields: str) -> dict[str, str]:
    return {"csrf": access.csrf, "revision": str(draft.revision), "status": draft.status, **fields}


def test_the_front_page_opens_the_first_flagged_draft_as_its_thread(client, store):
    response = client.get("/", follow_redirects=True)
    first = store.drafts(status="flagged")[0]
    assert response.status_code == 200 and response.url.path == f"/drafts/{first.id}"
    page = response.text
    assert page.count('class="card"') == len(first.posts)
    for length in (len(post) for post in first.posts if "http" not in post):
        assert f">{length}/280<" in page
    assert 'class="stat stat-flagged"' in page and "Flagged statistics" in page and "did you mean" in page
    # passed drafts follow the flagged ones in the queue; decided ones are left out
    queue = re.findall(r'data-id="([^"]+)"', page)
    statuses = [store.draft(draft_id).status for draft_id in queue]
    assert statuses == sorted(statuses, key=["flagged", "passed"].index)


def test_every_value_is_escaped(client, store, guardrail):
    draft = store.drafts(status="flagged")[0]
    edit(store, guardrail, draft.id, "<script>alert(1)</script> users expect 300ms", reviewer="<b>eve</b>")
    page = client.get(f"/drafts/{draft.id}").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>eve</b>" not in page and "&lt;b&gt;eve&lt;/b&gt;" in page
    response = client.get("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]


def test_approve_reject_edit_and_undo_through_the_forms(client, store, access):
    flagged, second = store.drafts(status="flagged")[:2]
    response = client.post(
        f"/drafts/{flagged.id}/approve", data=form(access, flagged, note="", next=second.id), follow_redirects=True
    )
    assert response.status_code == 400 and "give a --note saying why" in response.text
    response = client.post(
        f"/drafts/{flagged.id}/approve",
        data=form(access, flagged, note="the author's framing", next=second.id),
        follow_redirects=True,
    )
    assert response.url.path == f"/drafts/{second.id}" and f"{flagged.id}: approved by desk" in response.text
    assert store.draft(flagged.id).status == "approved"
    assert 'id="undo-form"' in response.text  # the decision just made can be taken back from the next draft

    response = client.post(f"/drafts/{flagged.id}/undo", data=form(access, store.draft(flagged.id)))
    assert response.status_code == 303 and store.draft(flagged.id).status == "flagged"

    client.post(f"/drafts/{second.id}/reject", data=form(access, second, note="off voice"))
    assert store.decisions(second.id)[-1].note == "off voice"

    text = (
        "1/4 Users expect a response within 300ms.\n\n---\n\n2/4 Above 1,500ms, calls feel broken.\n\n---\n\n"
        "3/4 Every pause past that costs the caller trust.\n\n---\n\n4/4 Measure the whole path.\nSources: Trillet"
    )
    response = client.post(f"/drafts/{flagged.id}/edit", data=form(access, store.draft(flagged.id), text=text))
    assert response.status_code == 303
    edited = store.draft(flagged.id)
    assert edited.revision == 2 and edited.status == "passed"
    page = client.get(f"/drafts/{flagged.id}").text
    assert 'class="diff-add">+ 1/4 Users expect a response within 300ms.' in page  # the revision as a diff


def test_a_decision_on_a_draft_changed_since_the_page_was_read_is_refused(client, store, access, guardrail):
    shown = store.drafts(status="flagged")[0]
    edit(store, guardrail, shown.id, "Users expect a response within 300ms.", reviewer="other")
    response = client.post(f"/drafts/{shown.id}/approve", data=form(access, shown, note="fine"))
    assert response.status_code == 409 and "changed since it was read (now revision 2" in response.text
    assert store.decisions(shown.id) == []


@pytest.mark.parametrize(
    ("headers", "data", "status"),
    [
        ({}, {"note": "x"}, 403),  # no CSRF token
        ({"origin": "http://evil.example"}, None, 403),  # another site's page
        ({"host": "evil.example"}, None, 400),  # a name rebound to loopback
    ],
)
def test_posts_from_anywhere_but_the_desk_are_refused(client, store, access, headers, data, status):
    draft = store.drafts(status="passed")[0]
    body = data if data is not None else form(access, draft)
    response = client.post(f"/drafts/{draft.id}/approve", data=body, headers=headers)
    assert response.status_code == status
    assert store.draft(draft.id).status == "passed"


def test_the_live_recheck_returns_the_cards_with_counts(client, access):
    long = "Gartner says 40% of agentic AI projects will fail by 2028. " + "x" * 250
    response = client.post(
        "/check",
        json={"text": f"{long}\n\n---\n\nSources: Gartner", "format": "thread"},
        headers={"x-csrf-token": access.csrf},
    )
    assert response.status_code == 200 and response.headers["server-timing"].startswith("check;dur=")
    assert 'class="count over"' in response.text and ">309/280<" in response.text
    assert "the knowledge base gives 2027 for this, not 2028" in response.text
    assert "a thread is 4 to 12 posts; this draft has 2" in response.text
    assert client.post("/check", json={"text": "x", "format": "thread"}).status_code == 403


def test_a_remote_desk_needs_its_token(store, guardrail):
    with pytest.raises(UsageError, match="add --remote"):
        Access.for_host("0.0.0.0", remote=False)
    access = Access.for_host("0.0.0.0", remote=True)
    assert access.token
    remote = TestClient(
        create_app(store, guardrail, access, "desk"), base_url="http://0.0.0.0:8765", follow_redirects=False
    )
    assert remote.get("/").status_code == 401
    assert remote.get("/?token=wrong").status_code == 401
    response = remote.get(f"/?token={access.token}&status=all")
    assert response.status_code == 303 and response.headers["location"] == "/?status=all"
    assert remote.get("/", follow_redirects=True).status_code == 200  # the cookie carries it now


def test_the_command_refuses_other_interfaces_unless_asked(store, capsys):
    code = main(["review", "--web", "--host", "0.0.0.0"])
    err = capsys.readouterr().err
    assert code == 2 and "add --remote" in err and err.count("\n") == 1


def test_the_command_prints_its_address_and_stops_cleanly_on_ctrl_c(store):
    desk = subprocess.Popen(
        [sys.executable, "-c", _MAIN, "review", "--web", "--port", "0", "--reviewer", "ana"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "ANGLEFORGE_DB": str(store.path)},
        cwd=ROOT,
    )
    assert desk.stdout is not None
    line = desk.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    assert line.startswith("review desk for ana: ") and match, line
    with httpx.Client() as http:  # the socket is bound before the line is printed
        assert http.get(match[0], follow_redirects=True, timeout=10).status_code == 200
    desk.send_signal(signal.SIGINT)
    out, err = desk.communicate(timeout=15)
    assert desk.returncode == 0 and out == "review desk stopped\n" and "Traceback" not in err
