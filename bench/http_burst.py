"""A burst of one-request HTTP clients released together, driven from one thread.

Each client opens its own TCP connection, sends one HTTP/1.1 request with
`Connection: close`, reads the response to the end and closes, as a browser
booking once does. Its latency runs from just before it connects to the last
byte of the answer.

The load generator shares the machine with the server it measures, so it must
cost little and answer at once: a thread per client (the first version) spent
about 0.8 ms of CPU per request and, with fifty threads taking turns at the
interpreter lock, let finished answers wait to be read. That wait was counted
as the server's latency, and gunicorn's sync workers, which wait for the
client to close before taking the next connection, sat idle meanwhile. One
event loop with non-blocking sockets reads every answer as it arrives.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from dataclasses import dataclass

TIMEOUT = 30.0


@dataclass(frozen=True)
class Answer:
    status: int | None  # None: no answer (connection error or timeout)
    payload: object  # parsed JSON, else text, else the error
    seconds: float
    started: float  # perf_counter at connect
    ended: float


def request_bytes(method: str, path: str, port: int, token: str, body=None) -> bytes:
    data = b"" if body is None else json.dumps(body).encode()
    head = [
        f"{method} {path} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        f"Authorization: Bearer {token}",
        "Accept: application/json",
        "Connection: close",
    ]
    if body is not None:
        head += ["Content-Type: application/json", f"Content-Length: {len(data)}"]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + data


def burst(port: int, requests: list[bytes]) -> list[Answer]:
    """Sends every request at once, each on its own connection; answers in order."""
    return asyncio.run(_burst(port, requests))


async def _burst(port: int, requests: list[bytes]) -> list[Answer]:
    go = asyncio.Event()
    clients = [asyncio.create_task(_client(port, raw, go)) for raw in requests]
    await asyncio.sleep(0)  # every client is waiting at the start line
    go.set()
    return list(await asyncio.gather(*clients))


async def _client(port: int, raw: bytes, go: asyncio.Event) -> Answer:
    await go.wait()
    loop = asyncio.get_running_loop()
    started = time.perf_counter()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setblocking(False)
    chunks = []
    try:
        async with asyncio.timeout(TIMEOUT):
            await loop.sock_connect(sock, ("127.0.0.1", port))
            await loop.sock_sendall(sock, raw)
            while chunk := await loop.sock_recv(sock, 65536):
                chunks.append(chunk)
    except (OSError, TimeoutError) as exc:
        ended = time.perf_counter()
        return Answer(None, f"{type(exc).__name__}: {exc}", ended - started, started, ended)
    finally:
        sock.close()
    ended = time.perf_counter()
    status, payload = _parse(b"".join(chunks))
    return Answer(status, payload, ended - started, started, ended)


def _parse(response: bytes) -> tuple[int | None, object]:
    head, _, body = response.partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n", 1)[0].split()
    if len(status_line) < 2 or not status_line[1].isdigit():
        return None, f"not an HTTP answer: {response[:200]!r}"
    if b"\r\ntransfer-encoding: chunked" in head.lower():
        body = _unchunk(body)
    try:
        payload = json.loads(body)
    except ValueError:
        payload = body.decode("utf-8", "replace")[:500]
    return int(status_line[1]), payload


def _unchunk(body: bytes) -> bytes:
    data = []
    while body:
        size_line, _, rest = body.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        data.append(rest[:size])
        body = rest[size + 2 :]
    return b"".join(data)
