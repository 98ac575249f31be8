"""A local HTTP server for the feed watch's tests: routes set per test, requests recorded."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
RSS = "application/rss+xml; charset=utf-8"
LAST_MODIFIED = "Thu, 21 Mar 2024 01:00:00 GMT"


@dataclass
class Seen:
    path: str
    if_none_match: str | None
    if_modified_since: str | None


@dataclass
class FeedServer:
    routes: dict[str, Handler] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    # Bytes an endless response managed to write before the client hung up.
    streamed: int = 0
    port: int = 0
    _runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("GET", "/{path:.*}", self._handle)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def requests_to(self, path: str) -> list[Seen]:
        return [seen for seen in self.seen if seen.path == path]

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.seen.append(
            Seen(
                request.path,
                request.headers.get("If-None-Match"),
                request.headers.get("If-Modified-Since"),
            )
        )
        handler = self.routes.get(request.path)
        if handler is None:
            return web.Response(status=404)
        return await handler(request)

    def feed(
        self, path: str, body: bytes | str, *, content_type: str = RSS, etag: str | None = None
    ) -> None:
        """A feed that answers 304 to a request carrying its ETag."""
        data = body.encode() if isinstance(body, str) else body

        async def handler(request: web.Request) -> web.StreamResponse:
            if etag is not None and request.headers.get("If-None-Match") == etag:
                return web.Response(status=304, headers={"ETag": etag})
            headers = {
                "Content-Type": content_type,
                "Last-Modified": "Thu, 21 Mar 2024 01:00:00 GMT",
            }
            if etag is not None:
                headers["ETag"] = etag
            return web.Response(body=data, headers=headers)

        self.routes[path] = handler

    def file(self, path: str, body: bytes, content_type: str, **headers: str) -> None:
        async def handler(request: web.Request) -> web.StreamResponse:
            return web.Response(body=body, headers={"Content-Type": content_type, **headers})

        self.routes[path] = handler

    def redirect(self, path: str, location: str) -> None:
        async def handler(request: web.Request) -> web.StreamResponse:
            return web.Response(status=302, headers={"Location": location})

        self.routes[path] = handler

    def status(self, path: str, status: int) -> None:
        async def handler(request: web.Request) -> web.StreamResponse:
            return web.Response(status=status, text="Internal Server Error")

        self.routes[path] = handler

    def endless(self, path: str, content_type: str = RSS, *, cap: int = 200_000_000) -> None:
        """A body with no Content-Length that goes on until the client hangs up (or `cap`)."""

        async def handler(request: web.Request) -> web.StreamResponse:
            response = web.StreamResponse(headers={"Content-Type": content_type})
            await response.prepare(request)
            chunk = b"<item>" + b"x" * 65_530
            try:
                while self.streamed < cap:
                    await response.write(chunk)
                    self.streamed += len(chunk)
            except (ConnectionError, RuntimeError):
                pass  # the client stopped reading: what this server is here to show
            return response

        self.routes[path] = handler
