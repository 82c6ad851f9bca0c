"""A review desk served on loopback in a thread, for the desk's tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn

from angleforge.desk import Access, create_app
from angleforge.desk.server import address, bind
from angleforge.guardrail import Guardrail
from angleforge.store import Store


@dataclass(frozen=True)
class ServedDesk:
    url: str
    access: Access


@contextmanager
def served(store: Store, guardrail: Guardrail, reviewer: str = "desk") -> Iterator[ServedDesk]:
    access = Access.for_host("127.0.0.1", remote=False)
    sock = bind("127.0.0.1", 0)
    server = uvicorn.Server(
        uvicorn.Config(create_app(store, guardrail, access, reviewer), log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield ServedDesk(address(access, sock), access)
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
