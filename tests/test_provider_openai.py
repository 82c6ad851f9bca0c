"""The `openai` provider against a mocked chat-completions endpoint (respx over httpx).

Every test asserts how many times its route was hit: a route that is silently never called
would make a retry test pass for the wrong reason.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from angleforge.angles import Angle, angles
from angleforge.config import GenerateSettings, Price, Settings
from angleforge.drafts import Completion, DraftReply, DraftRequest
from angleforge.knowledge import KnowledgeBase
from angleforge.providers.base import EndpointRefused, Provider, ProviderError
from angleforge.providers.cache import CachedProvider
from angleforge.providers.openai import OpenAIProvider, make_client, shown
from angleforge.store import Store

from .support.completions import completion_body

BASE_URL = "https://api.test/v1"
URL = f"{BASE_URL}/chat/completions"
KEY = "sk-test-SECRET-123"
MODEL = "gpt-test"
MESSAGES = [
    {"role": "system", "content": "You write posts."},
    {"role": "user", "content": "Write one post on latency."},
]
GOOD = {"posts": ["Users expect a response within 300ms."]}


def reply(content: str | None = None, **kwargs: Any) -> httpx.Response:
    if content is None and "refusal" not in kwargs:
        content = json.dumps(GOOD)
    return httpx.Response(200, json=completion_body(content, **kwargs))


def sent(call: Any) -> dict[str, Any]:
    return json.loads(call.request.content)


@pytest.fixture
def angle(seed_kb: KnowledgeBase) -> Angle:
    return next(a for a in angles(seed_kb) if a.format == "post")


@pytest.fixture
def request_(angle: Angle) -> DraftRequest:
    return DraftRequest(angle=angle, format="post", facts=[], messages=MESSAGES, seed=7)


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as router:
        yield router


def provider(
    *,
    attempts: int = 3,
    max_wait: float = 0.05,
    store: Store | None = None,
    use_cache: bool = True,
    prices: dict[str, Price] | None = None,
    timeout: float = 5.0,
) -> Provider:
    """The openai provider against the mocked endpoint; with `store`, behind the reply cache."""
    settings = Settings(
        generate=GenerateSettings(model=MODEL, attempts=attempts, max_wait=max_wait, timeout=timeout),
        prices=prices or {},
    )
    client = make_client(
        api_key=KEY, base_url=BASE_URL, timeout=timeout, http_client=httpx.AsyncClient(timeout=timeout)
    )
    plain = OpenAIProvider(model=MODEL, settings=settings, client=client)
    return CachedProvider(plain, store) if store is not None and use_cache else plain


def complete(p: Provider, request: DraftRequest) -> Completion:
    async def go() -> Completion:
        try:
            return await p.complete(request)
        finally:
            await p.aclose()

    return asyncio.run(go())


def fail(p: Provider, request: DraftRequest) -> ProviderError:
    with pytest.raises(ProviderError) as caught:
        complete(p, request)
    return caught.value


def stamped(responses: list[Any]) -> tuple[list[float], Any]:
    """A side effect that answers in turn and notes when each request arrived."""
    times: list[float] = []
    queue = list(responses)

    def effect(request: httpx.Request) -> httpx.Response:
        times.append(time.perf_counter())
        item = queue.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    return times, effect


# --- 1. a structured reply -------------------------------------------------------------------


def test_structured_reply_is_parsed_with_usage_cost_schema_and_key(mock, request_):
    route = mock.post(URL).mock(return_value=reply(prompt_tokens=1000, completion_tokens=200))
    p = provider(prices={MODEL: Price(input=2.0, output=10.0)})

    result = complete(p, request_)

    assert route.call_count == 1
    assert isinstance(result.reply, DraftReply)
    assert result.reply.posts == GOOD["posts"]
    assert json.loads(result.raw) == GOOD
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (1000, 200)
    assert result.cost == pytest.approx((1000 * 2.0 + 200 * 10.0) / 1_000_000)
    assert result.cached is False
    assert result.retries == 0

    call = route.calls.last
    assert call.request.headers["authorization"] == f"Bearer {KEY}"
    body = sent(call)
    assert body["model"] == MODEL
    assert body["messages"] == MESSAGES
    assert body["seed"] == 7
    fmt = body["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["strict"] is True
    schema = fmt["json_schema"]["schema"]
    assert set(schema["properties"]) == {"posts"}
    assert set(schema["required"]) == {"posts"}
    assert schema["additionalProperties"] is False


def test_no_price_means_zero_cost(mock, request_):
    route = mock.post(URL).mock(return_value=reply())
    result = complete(provider(), request_)
    assert route.call_count == 1
    assert result.cost == 0.0
    assert result.usage.prompt_tokens == 100


# --- 2. rate limits and Retry-After ----------------------------------------------------------


@pytest.mark.parametrize(
    "headers", [{"Retry-After": "0.2"}, {"retry-after-ms": "200"}], ids=["retry-after", "retry-after-ms"]
)
def test_429_waits_as_long_as_the_server_asks(mock, request_, headers):
    times, effect = stamped(
        [
            httpx.Response(429, headers=headers, json={"error": {"message": "slow down", "type": "rate_limit"}}),
            reply(),
        ]
    )
    route = mock.post(URL).mock(side_effect=effect)
    # A ceiling above the asked wait, so the server's 0.2 s is honoured as given; exponential
    # jitter would wait 0.5-1.0 s, so a gap under 0.45 s shows Retry-After won.
    result = complete(provider(attempts=3, max_wait=1.0), request_)

    assert route.call_count == 2
    gap = times[1] - times[0]
    assert 0.19 <= gap < 0.45, gap
    assert result.retries == 1
    assert result.reply.posts == GOOD["posts"]


def test_retry_after_is_capped_by_max_wait(mock, request_):
    times, effect = stamped(
        [
            httpx.Response(429, headers={"Retry-After": "30"}, json={"error": {"message": "slow down"}}),
            reply(),
        ]
    )
    route = mock.post(URL).mock(side_effect=effect)
    complete(provider(attempts=2, max_wait=0.05), request_)
    assert route.call_count == 2
    assert times[1] - times[0] < 1.0


def test_429_every_time_gives_up_rate_limited(mock, request_):
    route = mock.post(URL).mock(return_value=httpx.Response(429, json={"error": {"message": "slow down"}}))
    error = fail(provider(attempts=3), request_)
    assert route.call_count == 3
    assert error.attempts == 3
    assert "429" in str(error) and "rate limited" in str(error)


# --- 3. server errors ------------------------------------------------------------------------


def test_500_then_success(mock, request_):
    route = mock.post(URL).mock(
        side_effect=[
            httpx.Response(500, json={"error": {"message": "boom"}}),
            reply(),
        ]
    )
    result = complete(provider(attempts=3), request_)
    assert route.call_count == 2
    assert result.retries == 1
    assert result.reply.posts == GOOD["posts"]


def test_400_is_not_retried(mock, request_):
    route = mock.post(URL).mock(return_value=httpx.Response(400, json={"error": {"message": "bad request"}}))
    error = fail(provider(attempts=3), request_)
    assert route.call_count == 1
    assert error.attempts == 1
    assert "HTTP 400" in str(error)


# --- 4. timeouts and connection errors -------------------------------------------------------


@pytest.mark.parametrize("exception", [httpx.ReadTimeout, httpx.ConnectError], ids=["timeout", "connect"])
def test_transport_error_then_success(mock, request_, exception):
    route = mock.post(URL).mock(side_effect=[exception("network trouble"), reply()])
    result = complete(provider(attempts=3), request_)
    assert route.call_count == 2
    assert result.retries == 1


def test_every_try_timing_out_raises_provider_error(mock, request_):
    route = mock.post(URL).mock(side_effect=httpx.TimeoutException("too slow"))
    error = fail(provider(attempts=3), request_)
    assert route.call_count == 3
    assert error.attempts == 3
    assert "timed out" in str(error)
    assert "3 tries" in str(error)


# --- 5. replies that fail validation are asked for again -------------------------------------


def test_truncated_non_json_content_is_reasked_with_the_problem(mock, request_):
    truncated = '{"posts": ["half'
    route = mock.post(URL).mock(side_effect=[reply(truncated), reply()])

    result = complete(provider(attempts=3), request_)

    assert route.call_count == 2
    assert result.reply.posts == GOOD["posts"]
    assert result.retries == 1
    assert sent(route.calls[0])["messages"] == MESSAGES
    second = sent(route.calls[1])["messages"]
    assert second[: len(MESSAGES)] == MESSAGES
    assert second[len(MESSAGES)] == {"role": "assistant", "content": truncated}
    feedback = second[-1]
    assert feedback["role"] == "user"
    assert "not usable" in feedback["content"]
    assert "not JSON" in feedback["content"]
    # usage of both tries is counted
    assert result.usage.prompt_tokens == 200


def test_schema_mismatch_is_reasked_naming_the_field(mock, request_):
    route = mock.post(URL).mock(side_effect=[reply(json.dumps({"posts": "x"})), reply()])
    complete(provider(attempts=3), request_)
    assert route.call_count == 2
    feedback = sent(route.calls[1])["messages"][-1]["content"]
    assert "posts" in feedback
    assert "schema" in feedback


@pytest.mark.parametrize(("finish_reason", "named"), [("length", "cut off"), ("content_filter", "content filter")])
def test_cut_off_or_filtered_reply_is_reasked(mock, request_, finish_reason, named):
    route = mock.post(URL).mock(side_effect=[reply('{"posts": ["half', finish_reason=finish_reason), reply()])
    result = complete(provider(attempts=3), request_)
    assert route.call_count == 2
    assert result.reply.posts == GOOD["posts"]
    assert named in sent(route.calls[1])["messages"][-1]["content"]


def test_bad_replies_every_time_raise_with_the_last_raw_and_all_usage(mock, request_):
    route = mock.post(URL).mock(return_value=reply('{"posts": ["half', finish_reason="length"))
    error = fail(provider(attempts=2), request_)
    assert route.call_count == 2
    assert error.attempts == 2
    assert "cut off" in str(error)
    assert error.raw == '{"posts": ["half'
    assert error.usage.prompt_tokens == 200


@pytest.mark.parametrize("content_type", ["application/json", "text/html"])
def test_http_body_that_is_not_json_is_retried(mock, request_, content_type):
    # With a JSON content-type the SDK raises JSONDecodeError; with another it hands back the
    # body as a str. Either way it is a bad reply, to be asked for again.
    route = mock.post(URL).mock(
        side_effect=[
            httpx.Response(200, text="<html>502 Bad Gateway</html>", headers={"content-type": content_type}),
            reply(),
        ]
    )
    result = complete(provider(attempts=3), request_)
    assert route.call_count == 2
    assert result.reply.posts == GOOD["posts"]
    assert result.retries == 1


@pytest.mark.parametrize("content_type", ["application/json", "text/html"])
def test_http_body_that_is_never_json_fails_cleanly(mock, request_, content_type):
    route = mock.post(URL).mock(
        return_value=httpx.Response(200, text="<html>502 Bad Gateway</html>", headers={"content-type": content_type})
    )
    error = fail(provider(attempts=2), request_)
    assert route.call_count == 2
    assert error.attempts == 2
    assert "not JSON" in str(error)
    assert "Error:" not in str(error)  # not a bare exception name such as JSONDecodeError/AttributeError


# --- 6. refusals -----------------------------------------------------------------------------


def test_refusal_is_not_retried(mock, request_):
    route = mock.post(URL).mock(return_value=reply(None, refusal="I can't help with that"))
    error = fail(provider(attempts=3), request_)
    assert route.call_count == 1
    assert error.attempts == 1
    assert "refused" in str(error)
    assert "I can't help with that" in str(error)


# --- 7. a refused key ------------------------------------------------------------------------


def test_401_is_not_retried_and_never_leaks_the_key(mock, request_):
    route = mock.post(URL).mock(
        return_value=httpx.Response(
            401, json={"error": {"message": f"Incorrect API key provided: {KEY}", "code": "invalid_api_key"}}
        )
    )
    error = fail(provider(attempts=3), request_)
    assert route.call_count == 1
    assert error.attempts == 1
    assert "401" in str(error)
    assert "key was refused" in str(error)
    for text in (str(error), repr(error), error.raw, repr(error.args)):
        assert KEY not in text
        assert "SECRET" not in text
    assert error.__cause__ is None and error.__suppress_context__


@pytest.mark.parametrize(("status", "meaning"), [(401, "the API key was refused"), (403, "access denied")])
def test_a_refusal_names_the_endpoint_that_refused_and_stops_the_run(mock, request_, status, meaning):
    route = mock.post(URL).mock(return_value=httpx.Response(status, json={"error": {"message": "no"}}))
    error = fail(provider(attempts=3), request_)
    assert route.call_count == 1
    assert isinstance(error, EndpointRefused) and error.stops_run and error.exit_code == 2
    assert str(error) == f"{BASE_URL}/ refused the request: HTTP {status} ({meaning}): no"


def test_a_connection_error_names_the_url_tried(mock, request_):
    route = mock.post(URL).mock(side_effect=httpx.ConnectError("connection refused"))
    error = fail(provider(attempts=2), request_)
    assert route.call_count == 2
    assert str(error) == f"could not connect to {BASE_URL}/ (gave up after 2 tries)"
    assert not error.stops_run  # a server that is down may come back: one draft fails, not the run


def test_a_shown_endpoint_keeps_no_credentials():
    assert shown("https://me:sk-SECRET@api.test:8443/v1/?api-key=sk-SECRET#frag") == "https://api.test:8443/v1/"


# --- 8. the reply cache ----------------------------------------------------------------------


def test_cached_reply_makes_no_request(mock, request_, tmp_path: Path):
    store = Store.open(tmp_path / "s.db")
    route = mock.post(URL).mock(return_value=reply())

    first = complete(provider(store=store), request_)
    assert route.call_count == 1
    assert first.cached is False

    again = complete(provider(store=store), request_)
    assert route.call_count == 1
    assert again.cached is True
    assert again.reply == first.reply
    assert again.raw == first.raw

    fresh = complete(provider(store=store, use_cache=False), request_)
    assert route.call_count == 2
    assert fresh.cached is False

    # a different seed is a different request
    other = DraftRequest(angle=request_.angle, format="post", facts=[], messages=MESSAGES, seed=8)
    assert complete(provider(store=store), other).cached is False
    assert route.call_count == 3
    store.close()


def test_failed_reply_is_not_cached(mock, request_, tmp_path: Path):
    store = Store.open(tmp_path / "s.db")
    route = mock.post(URL).mock(side_effect=[reply('{"posts": ["half', finish_reason="length"), reply()])
    fail(provider(attempts=1, store=store), request_)
    assert route.call_count == 1
    result = complete(provider(attempts=1, store=store), request_)
    assert route.call_count == 2
    assert result.cached is False
    store.close()
