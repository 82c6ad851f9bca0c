"""A small OpenAI-compatible HTTP server on loopback, for tests and benchmarks.

    with OpenAIServer(latency=0.2) as server:
        client = make_client(api_key="test", base_url=server.base_url, timeout=5)
        ...
        server.stats.requests, server.stats.peak_in_flight

Standard library only: a `ThreadingHTTPServer` bound to 127.0.0.1 on a port the OS chooses,
served from a daemon thread, one daemon handler thread per connection (HTTP/1.1 keep-alive).
It answers `POST /v1/chat/completions` with a `chat.completion` body whose message content is
`reply(request)`; by default a draft `{"posts": [...]}` grounded in the
seed knowledge base, so the guardrail passes it on the first attempt.

Faults, for reliability work, are drawn per request from a seeded `random.Random` (so a run
with one seed sees the same sequence of faults), or taken in order from `script` first:

- ``"429"``: status 429 with a ``Retry-After`` header (``retry_after`` seconds) and an
  OpenAI error body;
- ``"500"``: status 500 with an OpenAI error body;
- ``"reset"``: the connection is closed with a TCP reset, no response at all;
- ``"slow"``: an ordinary answer, after ``slow_delay`` seconds more than ``latency``;
- ``"truncated"``: a valid HTTP 200 response whose JSON body is cut in half (its
  Content-Length is that of the half sent);
- ``"401"``, ``"403"``: the key refused, or access denied, with an OpenAI error body.

Every fault is bounded in time: the only waits are ``latency`` and ``slow_delay``, and both
end at once when the server stops; an idle keep-alive connection is closed after
``idle_timeout`` seconds. `stop()` (or leaving the ``with`` block) stops accepting, wakes every
wait, closes every connection, joins every thread and closes the listening socket, so the
port is free again. Nothing is written to stderr: access logs are off, and an exception in a
handler is kept in `errors` instead of printed.

`ServerProcess` runs one in a child process (`python -m tests.support.openai_server
--latency S`), its counters read over `GET /stats` and zeroed by `POST /stats/reset`.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import random
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

FAULTS = ("429", "500", "reset", "slow", "truncated", "401", "403")
OK = "ok"

# The 300ms rule of the seed knowledge base, stated as the brief states it: the guardrail passes it.
GROUNDED_POST = "Users expect a response within 300ms. Above 1,500ms, calls feel broken."

Reply = Callable[[dict[str, Any]], str]


def grounded_reply(request: dict[str, Any]) -> str:
    """The default reply: a one-post draft that every statistic of checks out against the seed KB."""
    return json.dumps({"posts": [GROUNDED_POST]})


def tokens(text: str) -> int:
    """A rough token count (four characters a token), for the `usage` block."""
    return max(1, len(text) // 4) if text else 0


@dataclasses.dataclass(frozen=True, slots=True)
class Stats:
    """A snapshot of the server's counters."""

    requests: int  # chat completion requests received, bad ones included
    kinds: dict[str, int]  # how each was answered: "ok", a fault kind, or "bad_request"
    in_flight: int  # requests being handled now
    peak_in_flight: int  # the most handled at once
    connections: int  # TCP connections accepted

    def count(self, kind: str) -> int:
        return self.kinds.get(kind, 0)

    @property
    def faults(self) -> int:
        return sum(self.kinds.get(kind, 0) for kind in FAULTS)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = True  # server_close() joins the handler threads
    request_queue_size = 128  # the default 5 drops SYNs under a burst of new connections
    allow_reuse_address = True

    owner: OpenAIServer

    def shutdown_request(self, request: Any) -> None:
        if self.owner._take_reset(request):
            # No FIN first: close() with SO_LINGER 0 sends the client a reset.
            self.close_request(request)
            return
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return  # the client went away, or an idle connection timed out
        self.owner._record_error(error)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.owner.idle_timeout)  # an idle keep-alive ends
        self.server.owner._opened(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.owner._closed(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # no access log on stderr

    def do_GET(self) -> None:
        if self.path.rstrip("/") == "/stats":  # for a server in another process (ServerProcess)
            self.send_json(200, dataclasses.asdict(self.server.owner.stats))
        elif self.path.split("?", 1)[0].rstrip("/") == "/v1/models":
            self.send_json(
                200,
                {
                    "object": "list",
                    "data": [{"id": "test-model", "object": "model", "created": 0, "owned_by": "angleforge-tests"}],
                },
            )
        else:
            self.send_error_json(404, "not found", "invalid_request_error")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        if self.path.rstrip("/") == "/stats/reset":
            self.server.owner.reset_stats()
            self.send_json(200, {})
            return
        if self.path.split("?", 1)[0].rstrip("/") != "/v1/chat/completions":
            self.send_error_json(404, f"no route for POST {self.path}", "invalid_request_error")
            return
        self.server.owner._answer(self, body)

    # --- writing ---------------------------------------------------------------------

    def send_bytes(self, status: int, data: bytes, headers: Mapping[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def send_json(self, status: int, payload: object, headers: Mapping[str, str] | None = None) -> None:
        self.send_bytes(status, json.dumps(payload).encode(), headers)

    def send_error_json(
        self, status: int, message: str, kind: str, code: str | None = None, headers: Mapping[str, str] | None = None
    ) -> None:
        self.send_json(status, {"error": {"message": message, "type": kind, "param": None, "code": code}}, headers)

    def drop(self) -> None:
        """Close the connection without answering."""
        self.close_connection = True

    def reset(self) -> None:
        """Close the connection with a TCP reset, without answering."""
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.server.owner._mark_reset(self.connection)


class OpenAIServer:
    """An OpenAI-compatible chat completions endpoint on 127.0.0.1, in a background thread.

    `latency`, `reply`, `faults`, `retry_after` and `slow_delay` are read per request, so a
    test may change them while the server runs.
    """

    def __init__(
        self,
        *,
        latency: float = 0.0,
        reply: Reply = grounded_reply,
        faults: Mapping[str, float] | None = None,
        script: Iterable[str | None] = (),
        seed: int = 0,
        retry_after: float = 1.0,
        slow_delay: float = 1.0,
        idle_timeout: float = 10.0,
        port: int = 0,
    ) -> None:
        self.latency = latency
        self.reply = reply
        self.faults = faults or {}
        self.retry_after = retry_after
        self.slow_delay = slow_delay
        self.idle_timeout = idle_timeout
        self._port = port
        self._script: deque[str] = deque(_check_kind(kind) for kind in script)
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[socket.socket] = set()
        self._resets: set[int] = set()
        self._counts: Counter[str] = Counter()
        self._requests = 0
        self._accepted = 0
        self._in_flight = 0
        self._peak = 0
        self._serial = 0
        self.received: deque[dict[str, Any]] = deque(maxlen=1000)  # the latest request bodies
        self.errors: list[BaseException] = []  # exceptions raised while handling a request

    @property
    def faults(self) -> dict[str, float]:
        """The rate of each fault kind, 0 to 1, adding up to at most 1."""
        return self._faults

    @faults.setter
    def faults(self, rates: Mapping[str, float]) -> None:
        self._faults = _check_rates(rates)

    # --- lifecycle -------------------------------------------------------------------

    def start(self) -> OpenAIServer:
        if self._httpd is not None:
            raise RuntimeError("the server is already running")
        self._stopping.clear()
        httpd = _HTTPServer(("127.0.0.1", self._port), _Handler)
        httpd.owner = self
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, name=f"openai-server:{self.port}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, thread = self._httpd, self._thread
        if httpd is None or thread is None:
            return
        self._stopping.set()  # every latency or slow wait ends now
        httpd.shutdown()  # serve_forever returns: no new connections
        thread.join()
        with self._lock:
            open_now = list(self._connections)
        for connection in open_now:  # wakes handlers blocked reading an idle keep-alive connection
            _shut(connection)
        httpd.server_close()  # closes the listening socket and joins every handler thread
        self._httpd = self._thread = None

    def __enter__(self) -> OpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._httpd is not None

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the server is not running")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """What the OpenAI SDK takes as `base_url`: http://127.0.0.1:PORT/v1."""
        return f"http://127.0.0.1:{self.port}/v1"

    # --- counters --------------------------------------------------------------------

    @property
    def stats(self) -> Stats:
        with self._lock:
            return Stats(
                requests=self._requests,
                kinds=dict(self._counts),
                in_flight=self._in_flight,
                peak_in_flight=self._peak,
                connections=self._accepted,
            )

    def reset_stats(self) -> None:
        """Zero the counters (requests in flight stay counted until they finish)."""
        with self._lock:
            self._counts.clear()
            self._requests = self._accepted = 0
            self._peak = self._in_flight
            self.received.clear()

    # --- handling (called from handler threads) ----------------------------------------

    def _answer(self, handler: _Handler, body: bytes) -> None:
        try:
            request = json.loads(body)
        except ValueError:
            request = None
        valid = isinstance(request, dict) and isinstance(request.get("messages"), list)
        with self._lock:
            self._requests += 1
            self._in_flight += 1
            self._peak = max(self._peak, self._in_flight)
            kind = self._draw() if valid else "bad_request"
            self._counts[kind] += 1
            self._serial += 1
            serial = self._serial
            if valid:
                self.received.append(request)
        try:
            if not valid:
                handler.send_error_json(
                    400, "the body must be a JSON object with a 'messages' list", "invalid_request_error"
                )
                return
            assert isinstance(request, dict)
            delay = self.latency + (self.slow_delay if kind == "slow" else 0.0)
            if delay > 0 and self._stopping.wait(delay):
                handler.drop()  # stopping: answer nothing, at once
                return
            if kind == "429":
                handler.send_error_json(
                    429,
                    "Rate limit reached (injected fault)",
                    "requests",
                    "rate_limit_exceeded",
                    {"Retry-After": _seconds(self.retry_after)},
                )
            elif kind == "500":
                handler.send_error_json(500, "The server had an error (injected fault)", "server_error")
            elif kind == "401":
                handler.send_error_json(401, "Incorrect API key provided (injected fault)", "invalid_request_error")
            elif kind == "403":
                handler.send_error_json(403, "You are not allowed to use this model (injected fault)", "permission")
            elif kind == "reset":
                handler.reset()
            else:
                try:
                    data = json.dumps(self._completion(request, serial)).encode()
                except Exception as error:  # a broken `reply`: say so, and keep it in `errors`
                    self._record_error(error)
                    handler.send_error_json(500, f"reply() raised {type(error).__name__}: {error}", "server_error")
                    return
                if kind == "truncated":
                    data = data[: len(data) // 2]
                handler.send_bytes(200, data)
        finally:
            with self._lock:
                self._in_flight -= 1

    def _completion(self, request: dict[str, Any], serial: int) -> dict[str, Any]:
        content = self.reply(request)
        prompt = sum(tokens(str(m.get("content") or "")) for m in request["messages"] if isinstance(m, dict))
        completion = tokens(content)
        return {
            "id": f"chatcmpl-test{serial:06d}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": str(request.get("model") or "test-model"),
            "system_fingerprint": "fp_angleforge_tests",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content, "refusal": None},
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion},
        }

    def _draw(self) -> str:
        """The kind of answer for the next request (under the lock): scripted, then drawn."""
        if self._script:
            return self._script.popleft()
        if not self.faults:
            return OK
        roll, edge = self._rng.random(), 0.0
        for kind in FAULTS:
            edge += self.faults.get(kind, 0.0)
            if roll < edge:
                return kind
        return OK

    def _opened(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.add(connection)
            self._accepted += 1
            stopping = self._stopping.is_set()
        if stopping:  # accepted just as the server stopped: nobody would wake it
            _shut(connection)

    def _closed(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.discard(connection)

    def _mark_reset(self, connection: socket.socket) -> None:
        with self._lock:
            self._resets.add(id(connection))

    def _take_reset(self, connection: socket.socket) -> bool:
        with self._lock:
            if id(connection) in self._resets:
                self._resets.discard(id(connection))
                return True
            return False

    def _record_error(self, error: BaseException | None) -> None:
        if error is not None:
            with self._lock:
                self.errors.append(error)


class ServerProcess:
    """An `OpenAIServer` in a child process, for benchmarks: a model server is not in its
    client's process, and one there would take the GIL from the client's event loop.

        with ServerProcess(latency=0.2) as server:
            ... server.base_url, server.stats, server.reset_stats()
    """

    def __init__(self, *, latency: float = 0.0) -> None:
        self.latency = latency
        self._process: subprocess.Popen[str] | None = None
        self.base_url = ""

    def __enter__(self) -> ServerProcess:
        root = str(Path(__file__).resolve().parents[2])
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.support.openai_server", "--latency", str(self.latency)],
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._process.stdout is not None
        self.base_url = self._process.stdout.readline().strip()
        if not self.base_url.startswith("http://"):
            self.__exit__()
            raise RuntimeError("the server process did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        process, self._process = self._process, None
        if process is not None:
            try:
                process.communicate(timeout=10)  # closing its stdin stops it
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate()

    def _call(self, path: str, data: bytes | None = None) -> Any:
        root = self.base_url.removesuffix("/v1")
        with urllib.request.urlopen(urllib.request.Request(root + path, data=data), timeout=10) as response:
            return json.loads(response.read())

    @property
    def stats(self) -> Stats:
        return Stats(**self._call("/stats"))

    def reset_stats(self) -> None:
        self._call("/stats/reset", data=b"")


def main(argv: list[str] | None = None) -> None:
    """Serve until standard input closes; the first line written is the base URL."""
    parser = argparse.ArgumentParser(description="an OpenAI-compatible test server on loopback")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    with OpenAIServer(latency=args.latency, port=args.port) as server:
        print(server.base_url, flush=True)
        sys.stdin.read()


def _check_kind(kind: str | None) -> str:
    if kind is None or kind == OK:
        return OK
    if kind not in FAULTS:
        raise ValueError(f"unknown fault {kind!r} (faults: {', '.join(FAULTS)})")
    return kind


def _check_rates(faults: Mapping[str, float]) -> dict[str, float]:
    rates = {}
    for kind, rate in faults.items():
        _check_kind(kind)
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"the rate of fault {kind!r} must be between 0 and 1, not {rate}")
        rates[kind] = float(rate)
    if sum(rates.values()) > 1.0 + 1e-9:
        raise ValueError(f"fault rates add up to more than 1 ({sum(rates.values())})")
    return rates


def _seconds(value: float) -> str:
    """Retry-After as an integer when it is one ("2"), else a decimal ("0.5")."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _shut(connection: socket.socket) -> None:
    with contextlib.suppress(OSError):
        connection.shutdown(socket.SHUT_RDWR)


if __name__ == "__main__":
    main()
