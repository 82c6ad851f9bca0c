"""Recorded model replies, replayed through the same client code as live calls.

A recording is a JSON file of exchanges, each keyed by the request's model and messages. In
replay the client's transport answers from the file and never opens a socket; with `record`
it forwards to the live endpoint and keeps what came back.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx

from angleforge.providers.registry import Endpoint

# where replayed requests are addressed: the transport answers them, so no socket is opened
_REPLAY_URL = "http://recorded.invalid/v1"


def request_key(body: dict[str, Any]) -> str:
    shape = {"model": body.get("model"), "messages": body.get("messages"), "seed": body.get("seed")}
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()[:32]


class RecordingTransport(httpx.AsyncBaseTransport):
    """Answers chat completions from a recording file, or (recording) from the live endpoint."""

    def __init__(self, path: Path, upstream: httpx.AsyncBaseTransport | None = None) -> None:
        self.path = path
        self.upstream = upstream
        self.exchanges: dict[str, dict[str, Any]] = {}
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
            self.exchanges = {item["key"]: item for item in data.get("exchanges", [])}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content or b"{}")
        key = request_key(body)
        if self.upstream is None:
            exchange = self.exchanges.get(key)
            if exchange is None:
                return httpx.Response(
                    404,
                    json={
                        "error": {
                            "message": f"no recorded reply in {self.path} for this request; "
                            "refresh the recordings with `angleforge eval --record`"
                        }
                    },
                )
            return httpx.Response(exchange["status"], json=exchange["response"])
        response = await self.upstream.handle_async_request(request)
        content = await response.aread()
        if response.status_code == 200:
            self.exchanges[key] = {
                "key": key,
                "model": body.get("model"),
                "last_message": str(body.get("messages", [{}])[-1].get("content", ""))[:200],
                "status": response.status_code,
                "response": json.loads(content),
            }
            self._save()
        return httpx.Response(response.status_code, headers=response.headers, content=content)

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        document = {
            "note": "model replies recorded by `angleforge eval --record`; replayed offline",
            "exchanges": list(self.exchanges.values()),
        }
        self.path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def recorded(path: Path, live: Endpoint, *, record: bool, timeout: float) -> tuple[Endpoint, httpx.AsyncClient]:
    """The endpoint and HTTP client of a provider whose replies come from the recording at
    `path`: replayed from the file with no key and no network, or (`record`) asked of the
    `live` endpoint and saved."""
    upstream = httpx.AsyncHTTPTransport() if record else None
    client = httpx.AsyncClient(transport=RecordingTransport(path, upstream), timeout=timeout)
    endpoint = live if record else replace(live, api_key="replay", base_url=_REPLAY_URL)
    return endpoint, client
