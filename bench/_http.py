"""A small HTTP/1.1 keep-alive client on asyncio streams, for the load scripts.

The load client runs on the same two cores as the server it measures, so whatever CPU it
spends is taken from the server: httpx spent about 2.5 ms of CPU per request (0.6 of a core
at 250 requests/s, decoding every gzipped answer it was sent). This client writes the
request bytes once, reads the status line, the headers it needs and the body (by
Content-Length, or chunked), and leaves the body as it came: about a tenth of the CPU.
It is a measuring tool, not a general client: one request at a time per connection,
no redirects, no TLS.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit


class Connection:
    """One keep-alive connection to the server of `url`."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.headers = {"Host": f"{self.host}:{self.port}", **headers}
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    def request_bytes(self, method: str, path: str, body: object | None = None) -> bytes:
        """The whole request, made once and sent as often as wanted."""
        headers = dict(self.headers)
        payload = b""
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        headers["Content-Length"] = str(len(payload))
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        return f"{method} {path} HTTP/1.1\r\n{head}\r\n".encode() + payload

    async def send(self, request: bytes) -> tuple[int, bytes]:
        """(status, body) of one request; reconnects when the server closed the connection."""
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(request)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:  # closed by the server between two requests: once more
            await self.close()
            return await self.send(request)
        status = int(status_line.split(b" ", 2)[1])
        length, chunked, closing = 0, False, False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
            elif name == b"connection" and b"close" in value.lower():
                closing = True
        if chunked:
            body = b""
            while size := int((await self.reader.readline()).split(b";")[0], 16):
                body += await self.reader.readexactly(size)
                await self.reader.readline()
            await self.reader.readline()
        else:
            body = await self.reader.readexactly(length)
        if closing:
            await self.close()
        return status, body

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


def path_with_query(url: str, params: dict[str, object] | None = None) -> str:
    parts = urlsplit(url)
    query = urlencode(params or {})
    return parts.path + (f"?{query}" if query else "")


class Run:
    """The outcome of `run`: every latency (ms), the status counts, the wall time (s) and
    the client's own CPU over it, in cores."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.elapsed = self.client_cpu = 0.0


async def run(connections: list[Connection], next_request: Callable[[], bytes | None]) -> Run:
    """Send from every connection at once, one request at a time each, until next_request
    answers None; then close them."""
    result = Run()

    async def one_connection(connection: Connection) -> None:
        while (request := next_request()) is not None:
            t0 = time.perf_counter()
            status, _ = await connection.send(request)
            result.latencies.append((time.perf_counter() - t0) * 1000)
            result.statuses[status] = result.statuses.get(status, 0) + 1

    started, cpu = time.monotonic(), time.process_time()
    await asyncio.gather(*(one_connection(c) for c in connections))
    result.elapsed = time.monotonic() - started
    result.client_cpu = (time.process_time() - cpu) / result.elapsed
    for connection in connections:
        await connection.close()
    return result
