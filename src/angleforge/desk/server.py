"""The desk served: a socket bound first (so `--port 0` can print the port it got), then
uvicorn on it until Ctrl-C, which stops it cleanly."""

from __future__ import annotations

import socket
import sys
from dataclasses import dataclass
from typing import TextIO

import uvicorn

from angleforge.desk.app import create_app
from angleforge.desk.guard import TOKEN_PARAMETER, Access
from angleforge.errors import UsageError
from angleforge.guardrail import Guardrail
from angleforge.store import Store


@dataclass(frozen=True, slots=True)
class DeskSettings:
    host: str = "127.0.0.1"
    port: int = 8765
    remote: bool = False  # whether an address other machines reach may be served


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on (host, port); a port in use is one clear error."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as error:
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def address(access: Access, sock: socket.socket) -> str:
    """The URL to open: with the access token where the desk needs one."""
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    token = f"?{TOKEN_PARAMETER}={access.token}" if access.token else ""
    return f"http://{shown}:{port}/{token}"


def serve(
    store: Store, guardrail: Guardrail, settings: DeskSettings, *, reviewer: str, out: TextIO = sys.stdout
) -> int:
    access = Access.for_host(settings.host, remote=settings.remote)
    sock = bind(settings.host, settings.port)
    app = create_app(store, guardrail, access, reviewer)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
    out.write(f"review desk for {reviewer}: {address(access, sock)}  (Ctrl-C stops it)\n")
    out.flush()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn shut down gracefully, then handed the signal on
        pass
    finally:
        sock.close()
    out.write("review desk stopped\n")
    return 0
