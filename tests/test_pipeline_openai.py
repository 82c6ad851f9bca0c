"""`Generator` end to end with the `openai` provider against a mocked endpoint (respx over httpx).

Every test asserts how many times its route was hit, so a mock that is never reached cannot
make a test pass.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from angleforge.angles import Angle, angles
from angleforge.config import GenerateSettings, Price, Settings
from angleforge.knowledge import KnowledgeBase
from angleforge.masking import FigureMask
from angleforge.pipeline import Generator, Plan, Summary
from angleforge.prompts import Prompts
from angleforge.providers import registry
from angleforge.providers.base import EndpointRefused
from angleforge.providers.registry import Endpoint
from angleforge.store import Store

from .support.completions import completion_body

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = "https://api.test/v1"
URL = f"{BASE_URL}/chat/completions"
KEY = "sk-test-SECRET-123"
MODEL = "gpt-test"

FABRICATED = "73% of contact centers say voice AI latency is their top problem."
GROUNDED = "Users expect a response within 300ms. Above 1,500ms, calls feel broken."


def answer(*posts: str, prompt_tokens: int = 100, completion_tokens: int = 20) -> httpx.Response:
    content = json.dumps({"posts": list(posts)})
    body = completion_body(content, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens)
    return httpx.Response(200, json={**body, "model": MODEL})


def messages_of(request: httpx.Request) -> list[dict[str, str]]:
    return json.loads(request.content)["messages"]


@pytest.fixture
def post_angles(seed_kb: KnowledgeBase) -> list[Angle]:
    found = [a for a in angles(seed_kb) if a.format == "post"]
    assert len(found) >= 2
    return found


@pytest.fixture
def store(tmp_path: Path):
    store = Store.open(tmp_path / "s.db")
    yield store
    store.close()


@pytest.fixture
def mock():
    with respx.mock(assert_all_called=False) as router:
        yield router


def generator(
    kb: KnowledgeBase, store: Store, *, concurrency: int = 8, attempts: int = 2, use_cache: bool = True
) -> Generator:
    settings = Settings(
        generate=GenerateSettings(model=MODEL, attempts=attempts, max_wait=0.05, timeout=5.0),
        prices={MODEL: Price(input=1.0, output=2.0)},
    )
    provider = registry.build(
        "openai",
        kb=kb,
        settings=settings,
        endpoint=Endpoint(api_key=KEY, base_url=BASE_URL, model=MODEL),
        cache=store if use_cache else None,
        http_client=httpx.AsyncClient(timeout=5.0),  # a legacy httpx client: respx patches only httpx
    )
    return Generator(kb=kb, prompts=Prompts(ROOT / "prompts"), provider=provider, store=store, concurrency=concurrency)


def generate(kb: KnowledgeBase, store: Store, plan: Plan, **kwargs: Any) -> Summary:
    g = generator(kb, store, **kwargs)
    return asyncio.run(g.run(g.start(plan)))


def plan(names: list[str], *, count: int = 1, max_repairs: int = 2) -> Plan:
    return Plan(angles=names, topic=None, format="post", count=count, seed=1, max_repairs=max_repairs, fact_count=8)


# --- 9. a fabricated statistic is flagged and repaired ---------------------------------------


def test_fabricated_statistic_is_repaired_on_the_second_attempt(mock, seed_kb, store, post_angles):
    route = mock.post(URL).mock(side_effect=[answer(FABRICATED), answer(GROUNDED)])

    summary = generate(seed_kb, store, plan([post_angles[0].name]))

    assert route.call_count == 2
    [draft] = summary.drafts
    assert draft.status == "passed"
    assert draft.attempts == 2
    assert draft.posts == [GROUNDED]
    assert draft.error is None

    compose = messages_of(route.calls[0].request)
    repair = messages_of(route.calls[1].request)
    # the repair goes on from the compose conversation: the refused draft as the model's own
    # turn, then what to fix in it
    assert repair[:2] == compose
    assert repair[2] == {"role": "assistant", "content": json.dumps({"posts": [FABRICATED]})}
    assert repair[-1]["role"] == "user"
    assert "sent back" in repair[-1]["content"]
    assert '"73%"' in repair[-1]["content"]

    first, second = store.attempts(draft.id)
    assert (first.number, first.kind, first.verdict) == (1, "compose", "flagged")
    assert (second.number, second.kind, second.verdict) == (2, "repair", "pass")
    assert first.posts == [FABRICATED]
    assert second.posts == [GROUNDED]
    assert [(f["text"], f["status"]) for f in first.findings] == [("73%", "unsupported")]
    assert second.findings and all(f["status"] == "grounded" for f in second.findings)
    assert first.prompt == compose
    assert second.prompt == repair
    assert first.prompt_tokens == second.prompt_tokens == 100
    assert draft.prompt_tokens == 200
    assert draft.cost == pytest.approx(2 * (100 * 1.0 + 20 * 2.0) / 1_000_000)


def test_a_statistic_still_fabricated_after_the_repairs_is_flagged(mock, seed_kb, store, post_angles):
    route = mock.post(URL).mock(return_value=answer(FABRICATED))
    summary = generate(seed_kb, store, plan([post_angles[0].name], max_repairs=1))
    assert route.call_count == 2  # one compose, one repair
    [draft] = summary.drafts
    assert draft.status == "flagged"
    assert draft.attempts == 2
    assert [f["status"] for f in draft.findings] == ["unsupported"]


# --- 10. the concurrency bound ---------------------------------------------------------------


def test_concurrency_bound_is_reached_and_never_exceeded(mock, seed_kb, store, post_angles):
    in_flight = 0
    peak = 0

    async def slow(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        try:
            await asyncio.sleep(0.05)
            return answer(GROUNDED)
        finally:
            in_flight -= 1

    route = mock.post(URL).mock(side_effect=slow)

    summary = generate(seed_kb, store, plan([post_angles[0].name], count=12), concurrency=3)

    assert route.call_count == 12
    assert peak == 3
    assert in_flight == 0
    assert [d.status for d in summary.drafts] == ["passed"] * 12


# --- 11. one draft's provider failure does not fail the run ----------------------------------


def test_provider_failure_fails_one_draft_and_the_others_complete(mock, seed_kb, store, post_angles):
    doomed, fine = post_angles[0], post_angles[1]
    calls: dict[str, int] = {"doomed": 0, "fine": 0}
    shown = FigureMask(seed_kb)  # a prompt shows an angle with its unsourced figures masked

    def effect(request: httpx.Request) -> httpx.Response:
        user = messages_of(request)[-1]["content"]
        if f"Angle: {shown.mask(doomed.title)}" in user:
            calls["doomed"] += 1
            return httpx.Response(500, json={"error": {"message": "internal error"}})
        assert f"Angle: {shown.mask(fine.title)}" in user
        calls["fine"] += 1
        return answer(GROUNDED)

    route = mock.post(URL).mock(side_effect=effect)

    summary = generate(seed_kb, store, plan([doomed.name, fine.name], count=2), attempts=2)

    assert calls == {"doomed": 4, "fine": 2}  # 2 drafts x 2 tries, and 2 drafts x 1 call
    assert route.call_count == 6
    by_angle: dict[str, list[Any]] = {}
    for draft in summary.drafts:
        by_angle.setdefault(draft.angle, []).append(draft)
    for draft in by_angle[doomed.name]:
        assert draft.status == "failed"
        assert draft.error is not None and "HTTP 500" in draft.error
        assert "2 tries" in draft.error
        [attempt] = store.attempts(draft.id)
        assert attempt.error == draft.error
        assert attempt.verdict is None
        assert attempt.retries == 1
    for draft in by_angle[fine.name]:
        assert draft.status == "passed"
        assert draft.posts == [GROUNDED]
    assert summary.run.status == "finished"
    assert summary.count("failed") == 2 and summary.count("passed") == 2


def test_the_first_refusal_stops_the_run_and_resume_finishes_it(mock, seed_kb, store, post_angles):
    route = mock.post(URL).mock(return_value=httpx.Response(401, json={"error": {"message": "bad key"}}))
    g = generator(seed_kb, store, concurrency=1)
    run = g.start(plan([post_angles[0].name], count=4))
    with pytest.raises(EndpointRefused, match=f"^{BASE_URL}/ refused the request: HTTP 401"):
        asyncio.run(g.run(run))
    assert route.call_count == 1  # the other drafts were never asked for
    statuses = sorted(d.status for d in store.drafts(run.id))
    assert statuses[0] == "failed" and not any(status.written for status in statuses)
    route.mock(return_value=answer(GROUNDED))
    g = generator(seed_kb, store, concurrency=1)
    summary = asyncio.run(g.run(store.run(run.id)))
    assert [d.status for d in summary.drafts] == ["passed"] * 4 and route.call_count == 5


def test_a_refusal_stops_the_drafts_in_flight_too(mock, seed_kb, store, post_angles):
    route = mock.post(URL).mock(return_value=httpx.Response(403, json={"error": {"message": "not this model"}}))
    g = generator(seed_kb, store, concurrency=4)
    run = g.start(plan([post_angles[0].name], count=12))
    with pytest.raises(EndpointRefused):
        asyncio.run(g.run(run))
    assert 1 <= route.call_count <= 4  # at most the requests already in flight
    assert sum(d.status == "pending" for d in store.drafts(run.id)) >= 4  # never taken: more than in hand


# --- 12. the key is never stored -------------------------------------------------------------


def test_api_key_never_reaches_the_store(mock, seed_kb, store, post_angles, tmp_path: Path):
    outcomes = iter(
        [
            answer(FABRICATED),
            httpx.Response(401, json={"error": {"message": f"Incorrect API key provided: {KEY}"}}),
        ]
    )

    def effect(request: httpx.Request) -> httpx.Response:
        assert request.headers["authorization"] == f"Bearer {KEY}"  # it was sent ...
        return next(outcomes, answer(GROUNDED))

    route = mock.post(URL).mock(side_effect=effect)

    with pytest.raises(EndpointRefused) as refused:  # the refused repair stops the run
        generate(seed_kb, store, plan([post_angles[0].name, post_angles[1].name]), concurrency=1)

    assert route.call_count == 2 and KEY not in str(refused.value)
    [run] = store.runs()
    drafts = store.drafts(run.id)
    assert sorted(d.status for d in drafts) == ["failed", "writing"]  # the other's repair was never sent
    # ... but is nowhere in what was kept: not in any attempt, draft or run,
    for draft in drafts:
        assert KEY not in draft.model_dump_json()
        for attempt in store.attempts(draft.id):
            assert KEY not in attempt.model_dump_json()
    assert KEY not in run.model_dump_json()
    # and not in the database files (WAL mode keeps recent writes in s.db-wal).
    files = sorted(tmp_path.glob("s.db*"))
    assert files
    for path in files:
        data = path.read_bytes()
        assert KEY.encode() not in data
        assert b"SECRET" not in data


# --- resume after a failed repair ------------------------------------------------------------


def test_resume_after_a_failed_repair_repairs_again(mock, seed_kb, store, post_angles):
    route = mock.post(URL).mock(
        side_effect=[
            answer(FABRICATED),
            httpx.Response(500, json={"error": {"message": "boom"}}),
        ]
    )
    g = generator(seed_kb, store, attempts=1)
    run = g.start(plan([post_angles[0].name]))
    [draft] = asyncio.run(g.run(run)).drafts
    assert route.call_count == 2
    assert draft.status == "failed"
    assert [a.kind for a in store.attempts(draft.id)] == ["compose", "repair"]

    route.side_effect = [answer(GROUNDED)]
    [draft] = asyncio.run(generator(seed_kb, store, attempts=1).run(store.run(run.id))).drafts
    assert route.call_count == 3
    assert draft.status == "passed"
    resumed = messages_of(route.calls[2].request)[-1]["content"]
    assert '"73%"' in resumed, "resume should send the repair prompt naming the rejected statistic"
    assert store.attempts(draft.id)[-1].kind == "repair"
