"""The test OpenAI-compatible server answers the real SDK, injects its faults and counts."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from typing import Any

import openai
import pytest

from angleforge.drafts import DraftReply
from angleforge.providers.openai import make_client, retry_after

from .support.openai_server import GROUNDED_POST, OpenAIServer, ServerProcess

MESSAGES = [{"role": "system", "content": "You write drafts."}, {"role": "user", "content": "One post, please."}]


def ask(server: OpenAIServer | ServerProcess, n: int = 1, *, one_by_one: bool = False) -> list[Any]:
    """`n` chat completions through the SDK, concurrent unless `one_by_one`; each a completion
    or the exception it raised."""

    async def go() -> list[Any]:
        client = make_client(api_key="test", base_url=server.base_url, timeout=5)

        async def call() -> Any:
            try:
                return await client.chat.completions.create(model="m", messages=MESSAGES)  # type: ignore[arg-type]
            except Exception as error:
                return error

        try:
            if one_by_one:
                return [await call() for _ in range(n)]
            return list(await asyncio.gather(*(call() for _ in range(n))))
        finally:
            await client.close()

    return asyncio.run(go())


def one(server: OpenAIServer) -> Any:
    return ask(server)[0]


def server_threads() -> list[threading.Thread]:
    return [
        t for t in threading.enumerate() if t.name.startswith("openai-server") or "process_request_thread" in t.name
    ]


def test_the_sdk_gets_a_grounded_draft_by_default():
    with OpenAIServer() as server:
        assert server.base_url == f"http://127.0.0.1:{server.port}/v1"
        completion = one(server)
        assert completion.object == "chat.completion" and completion.id and completion.created > 0
        assert completion.model == "m"
        choice = completion.choices[0]
        assert choice.finish_reason == "stop" and choice.message.role == "assistant"
        assert DraftReply.model_validate_json(choice.message.content).posts == [GROUNDED_POST]
        usage = completion.usage
        assert usage.prompt_tokens > 0 and usage.completion_tokens > 0
        assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
        assert server.received[-1]["messages"] == MESSAGES and server.errors == []


def test_a_reply_callable_sees_the_parsed_request():
    seen: list[dict[str, Any]] = []

    def reply(request: dict[str, Any]) -> str:
        seen.append(request)
        return f"echo: {request['messages'][-1]['content']}"

    with OpenAIServer(reply=reply) as server:
        assert one(server).choices[0].message.content == "echo: One post, please."
    assert seen[0]["model"] == "m" and seen[0]["messages"] == MESSAGES


def test_latency_roughly_holds():
    with OpenAIServer() as server:
        one(server)  # warm the SDK up, so its first-call cost is not counted
        server.latency = 0.2
        started = time.perf_counter()
        one(server)
        elapsed = time.perf_counter() - started
    assert 0.2 <= elapsed < 0.45


def test_a_429_carries_retry_after_and_the_next_request_succeeds():
    with OpenAIServer(script=["429"], retry_after=2) as server:
        error = one(server)
        assert isinstance(error, openai.RateLimitError)
        assert error.response.headers["retry-after"] == "2"
        assert retry_after(error) == 2.0
        assert one(server).choices[0].message.content
        assert server.stats.kinds == {"429": 1, "ok": 1}


def test_500_and_reset_reach_the_sdk_as_its_own_errors():
    with OpenAIServer(script=["500", "reset"]) as server:
        assert isinstance(one(server), openai.InternalServerError)
        assert isinstance(one(server), openai.APIConnectionError)
        assert isinstance(one(server).choices[0].message.content, str)  # the server lives on
        assert server.stats.kinds == {"500": 1, "reset": 1, "ok": 1} and server.errors == []


def test_a_truncated_body_makes_the_sdk_raise():
    with OpenAIServer(script=["truncated"]) as server:
        error = one(server)
    # The SDK hands on json's own error for a 200 whose body is not JSON (an APIError in some versions).
    assert isinstance(error, (ValueError, openai.APIError)), repr(error)


def test_a_slow_fault_adds_its_delay():
    with OpenAIServer(script=[None, "slow"], slow_delay=0.2) as server:
        one(server)
        started = time.perf_counter()
        assert one(server).choices[0].message.content
        assert 0.2 <= time.perf_counter() - started < 0.45
        assert server.stats.count("slow") == 1


def test_counters_count_and_seeded_faults_repeat():
    def kinds(seed: int) -> dict[str, int]:
        with OpenAIServer(faults={"500": 0.3, "429": 0.2}, retry_after=0, seed=seed) as server:
            ask(server, 20, one_by_one=True)
            stats = server.stats
        assert stats.requests == 20 and sum(stats.kinds.values()) == 20
        assert stats.faults == stats.count("500") + stats.count("429")
        assert stats.in_flight == 0 and stats.peak_in_flight == 1
        return stats.kinds

    first = kinds(seed=7)
    assert first.get("ok", 0) and first.get("500", 0) and first.get("429", 0)
    assert kinds(seed=7) == first


def test_peak_concurrency_is_measured():
    with OpenAIServer(latency=0.25) as server:
        results = ask(server, 6)
        assert all(r.choices[0].message.content for r in results)
        stats = server.stats
        assert stats.requests == 6 and stats.peak_in_flight == 6 and stats.in_flight == 0
        server.reset_stats()
        server.latency = 0
        one(server)
        assert server.stats.peak_in_flight == 1 and server.stats.requests == 1


def test_a_server_in_its_own_process_answers_and_counts_over_http():
    with ServerProcess(latency=0.2) as server:
        results = ask(server, 3)
        assert [r.choices[0].message.content for r in results] == [json.dumps({"posts": [GROUNDED_POST]})] * 3
        stats = server.stats
        assert stats.requests == 3 and stats.peak_in_flight == 3 and stats.kinds == {"ok": 3}
        server.reset_stats()
        assert server.stats.requests == 0
        process = server._process
        assert process is not None and process.poll() is None
    assert process.returncode == 0  # leaving the block stopped it


def test_stopping_joins_threads_frees_the_port_and_ends_waits_at_once():
    server = OpenAIServer(script=["slow"], slow_delay=30)
    server.start()
    port = server.port
    hanging: list[Any] = []
    caller = threading.Thread(target=lambda: hanging.append(one(server)))
    caller.start()
    deadline = time.monotonic() + 2
    while server.stats.in_flight == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.perf_counter()
    server.stop()
    caller.join(timeout=5)
    assert time.perf_counter() - started < 1.0
    assert isinstance(hanging[0], openai.APIConnectionError)
    assert not server.running and server_threads() == []
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))  # the port is free again
    listener.close()


def test_nothing_is_written_to_stderr(capfd):
    with OpenAIServer(script=["500", "reset", "truncated"]) as server:
        ask(server, 4)
        for path, body in (("/v1/chat/completions", b"not json"), ("/v1/nowhere", b"{}")):
            with socket.create_connection(("127.0.0.1", server.port)) as raw:
                raw.sendall(
                    b"POST " + path.encode() + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
                )
                answer = b"".join(iter(lambda: raw.recv(4096), b""))
            status = 400 if path.endswith("completions") else 404
            assert answer.startswith(f"HTTP/1.1 {status}".encode())
            assert "error" in json.loads(answer.split(b"\r\n\r\n", 1)[1])
        assert server.stats.count("bad_request") == 1
    out, err = capfd.readouterr()
    assert err == "" and out == ""


def test_fault_settings_are_checked():
    with pytest.raises(ValueError, match="unknown fault"):
        OpenAIServer(faults={"404": 0.1})
    with pytest.raises(ValueError, match="between 0 and 1"):
        OpenAIServer(faults={"500": 1.5})
    with pytest.raises(ValueError, match="more than 1"):
        OpenAIServer(faults={"500": 0.6, "429": 0.6})
    with pytest.raises(ValueError, match="unknown fault"):
        OpenAIServer(script=["teapot"])
