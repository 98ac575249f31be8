"""Small local proxies for the tests: HTTP CONNECT (optionally over TLS) and SOCKS5.

They tunnel only to 127.0.0.1 and keep what the client sent, so a test can see that the bot's
Bot API calls went through them.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import ssl
import struct
from dataclasses import dataclass, field
from types import TracebackType

LOCAL = {"127.0.0.1", "localhost"}


@dataclass
class Proxy:
    kind: str  # "http" or "socks5"
    tls: ssl.SSLContext | None = None
    targets: list[str] = field(default_factory=list)
    sent: bytearray = field(default_factory=bytearray)
    port: int = 0
    _server: asyncio.Server | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else self.kind}://127.0.0.1:{self.port}"

    async def __aenter__(self) -> Proxy:
        await self.resume()
        return self

    async def resume(self) -> None:
        """Listen (again, on the same port)."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port, ssl=self.tls)
        self.port = self._server.sockets[0].getsockname()[1]

    async def pause(self) -> None:
        """Stop listening and cut every tunnel, as a proxy that goes down does."""
        await self.__aexit__(None, None, None)

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            opening = self._http_connect if self.kind == "http" else self._socks5
            host, port = await opening(reader, writer)
            self.targets.append(f"{host}:{port}")
            if host not in LOCAL:  # nothing leaves this machine
                return
            upstream_reader, upstream_writer = await asyncio.open_connection(host, port)
            writer.write(
                b"HTTP/1.1 200 Connection established\r\n\r\n"
                if self.kind == "http"
                else b"\x05\x00\x00\x01" + bytes(4) + bytes(2)
            )
            await asyncio.gather(
                self._pipe(reader, upstream_writer, keep=True),
                self._pipe(upstream_reader, writer, keep=False),
            )
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()
            self._tasks.discard(task)

    async def _http_connect(
        self, reader: asyncio.StreamReader, _writer: asyncio.StreamWriter
    ) -> tuple[str, int]:
        method, target, _version = (await reader.readline()).decode().split()
        assert method == "CONNECT", method
        while (await reader.readline()).strip():
            pass  # headers
        host, _, port = target.rpartition(":")
        return host, int(port)

    async def _socks5(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> tuple[str, int]:
        version, methods = await reader.readexactly(2)
        assert version == 5
        await reader.readexactly(methods)
        writer.write(b"\x05\x00")  # no authentication
        _version, command, _reserved, kind = await reader.readexactly(4)
        assert command == 1, "CONNECT"
        if kind == 1:
            host = str(ipaddress.IPv4Address(await reader.readexactly(4)))
        elif kind == 3:
            host = (await reader.readexactly((await reader.readexactly(1))[0])).decode()
        else:
            host = str(ipaddress.IPv6Address(await reader.readexactly(16)))
        (port,) = struct.unpack("!H", await reader.readexactly(2))
        return host, port

    async def _pipe(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, keep: bool
    ) -> None:
        with contextlib.suppress(ConnectionError):
            while data := await reader.read(65536):
                if keep:
                    self.sent.extend(data)
                writer.write(data)
                await writer.drain()
        writer.close()
