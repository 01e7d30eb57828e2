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
thread polling non-blocking sockets (epoll: Linux, as the bench's /proc
readings are) reads every answer as it arrives, for about 0.1 ms of CPU.
"""

from __future__ import annotations

import json
import os
import select
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
    poller = select.epoll()
    clients = [_Client(raw) for raw in requests]
    by_fd = {}
    try:
        for client in clients:  # the start line: each clock starts as it connects
            client.connect(port)
            by_fd[client.sock.fileno()] = client
            poller.register(client.sock, select.EPOLLOUT)
        deadline = time.perf_counter() + TIMEOUT
        while by_fd:
            wait = deadline - time.perf_counter()
            if wait <= 0:
                break
            for fd, events in poller.poll(wait):
                client = by_fd[fd]
                if client.step(events, poller):
                    del by_fd[fd]
        for client in by_fd.values():
            client.fail(f"TimeoutError: no answer within {TIMEOUT:.0f} s", poller)
    finally:
        poller.close()
    return [client.answer for client in clients]


class _Client:
    """One connection: connect, send, read to the end (the server closes), close."""

    def __init__(self, raw: bytes):
        self.unsent = raw
        self.chunks = []
        self.answer = None
        self.started = 0.0

    def connect(self, port: int) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setblocking(False)
        self.started = time.perf_counter()
        self.sock.connect_ex(("127.0.0.1", port))

    def step(self, events: int, poller) -> bool:
        """Handles what the poller saw; True once the answer is in (or failed)."""
        try:
            if self.unsent:
                error = self.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if error:
                    raise OSError(error, os.strerror(error))
                self.unsent = self.unsent[self.sock.send(self.unsent) :]
                if not self.unsent:
                    poller.modify(self.sock, select.EPOLLIN)
                return False
            while chunk := self.sock.recv(65536):
                self.chunks.append(chunk)
        except BlockingIOError:
            return False
        except OSError as exc:
            self.fail(f"{type(exc).__name__}: {exc}", poller)
            return True
        ended = time.perf_counter()  # the answer is in: parsing it is the client's time
        self._end(*_parse(b"".join(self.chunks)), poller, ended)
        return True

    def fail(self, why: str, poller) -> None:
        self._end(None, why, poller, time.perf_counter())

    def _end(self, status: int | None, payload, poller, ended: float) -> None:
        poller.unregister(self.sock)
        self.sock.close()
        self.answer = Answer(status, payload, ended - self.started, self.started, ended)


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
