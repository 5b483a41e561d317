"""The FastAPI application: middleware, error answers, request parsing, and the
service's own pages (``/``, ``/health``, ``/metrics``).

Every error is a JSON ``{"error": ...}`` answer with LibreTranslate's status
codes; nothing a client sends produces a 500 or a traceback in the log (an
unexpected error is logged on one line, its traceback only with ``-v``).
"""

from __future__ import annotations

import logging
import time
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, PlainTextResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from translate.serve.service import Service
from translate.serve.web import BodyTooLarge, error, error_response

logger = logging.getLogger("translate")

HTTP_THREADS = 64  # request threads running the pipeline (they wait on the worker)
# An over-limit body up to this size is read and discarded before the 413 is sent:
# a client that writes its whole body before reading (urllib, requests) would
# otherwise see a broken pipe instead of the answer. Larger bodies are cut off.
DRAIN_MAX = 64 * 1024 * 1024


async def drain(receive, budget: int) -> None:
    """Read and discard the rest of a request body, at most ``budget`` bytes."""
    while budget >= 0:
        message = await receive()
        if message["type"] != "http.request":
            return
        budget -= len(message.get("body", b""))
        if not message.get("more_body", False):
            return


class Guard:
    """ASGI middleware around the whole application: refuses bodies over the
    limit (413), turns any exception into a JSON error, counts requests."""

    def __init__(self, app, svc: Service):
        self.app = app
        self.svc = svc

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        status = [500]
        started = [False]
        limit = self.svc.limits.max_body

        async def send_counted(message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                started[0] = True
            await send(message)

        received = [0]
        body_done = [False]

        async def receive_limited():
            message = await receive()
            if message["type"] == "http.request":
                body_done[0] = not message.get("more_body", False)
                received[0] += len(message.get("body", b""))
                if received[0] > limit:
                    raise BodyTooLarge(f"request body larger than {limit} bytes")
            return message

        batcher = self.svc.batcher
        ticket = batcher.expect() if batcher is not None and scope["method"] == "POST" else None
        headers = dict(scope.get("headers") or ())
        length = headers.get(b"content-length")
        # a client that asked to be told before sending (curl does for large
        # bodies) gets the 413 at once: nothing to drain
        waits = headers.get(b"expect", b"").lower() == b"100-continue"
        try:
            if length is not None and (not length.isdigit() or int(length) > limit):
                raise BodyTooLarge(f"request body larger than {limit} bytes")
            await self.app(scope, receive_limited, send_counted)
        except Exception as exc:  # noqa: BLE001 - every error is an answer, not a traceback
            if started[0]:
                logger.error("error after the answer started: %s: %s", type(exc).__name__, exc)
            else:
                if isinstance(exc, BodyTooLarge) and not body_done[0] and not waits:
                    declared = int(length) if length is not None and length.isdigit() else 0
                    if declared <= DRAIN_MAX:
                        await drain(receive, DRAIN_MAX - received[0])
                await error_response(exc)(scope, receive, send_counted)
        finally:
            if ticket is not None:
                batcher.settle(ticket)
            route = scope.get("route")
            endpoint = getattr(route, "path", None) or "unmatched"
            self.svc.metrics.request(
                endpoint, scope.get("method", "?"), status[0], time.perf_counter() - t0
            )


def create_app(svc: Service) -> FastAPI:
    """The application over ``svc``."""
    from translate._version import __version__

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        import anyio.to_thread

        anyio.to_thread.current_default_thread_limiter().total_tokens = HTTP_THREADS
        yield
        if svc.batcher is not None:
            svc.batcher.close()
        if svc.jobs is not None:
            svc.jobs.close()

    app = FastAPI(
        title="translate",
        version=__version__,
        description="Kazakh-English machine translation into sentence-aligned records. "
        "LibreTranslate-compatible endpoints (`/translate`, `/detect`, `/languages`, "
        "`/translate_file`) and a native API under `/v1`.",
        lifespan=lifespan,
    )
    app.state.svc = svc

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return error(exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        return error(400, f"Invalid request: {exc.errors()[:1]}")

    @app.get("/", include_in_schema=False)
    def page() -> HTMLResponse:
        from translate.serve.page import csp, render_page

        return HTMLResponse(
            render_page(svc.model_name, bool(svc.limits.api_keys)),
            headers={
                "Content-Security-Policy": csp(),
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer",
            },
        )

    @app.get("/health", summary="Liveness: {'status': 'ok'}")
    def health() -> dict:
        return {"status": "ok"}

    @app.get("/metrics", summary="Prometheus metrics (text exposition format)")
    def metrics() -> PlainTextResponse:
        return PlainTextResponse(
            svc.metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8"
        )

    from translate.serve.libre import add_libre_routes
    from translate.serve.native import add_native_routes

    add_libre_routes(app, svc)
    add_native_routes(app, svc)
    app.add_middleware(Guard, svc=svc)
    return app
