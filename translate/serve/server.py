"""Running the application under uvicorn, with a clean stop.

SIGTERM (and Ctrl-C) start uvicorn's graceful shutdown: no new connections,
requests in flight are answered (for at most ``shutdown_timeout`` seconds),
then the inference worker stops. The process then exits with 0 after SIGTERM
and 130 after Ctrl-C, instead of uvicorn's re-raising the signal.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Iterator

logger = logging.getLogger("translate")


def run_server(
    app,
    host: str,
    port: int,
    *,
    access_log: bool = False,
    shutdown_timeout: float = 10.0,
    log_level: str = "info",
) -> int:
    """Serve ``app`` until SIGTERM or Ctrl-C; the exit code."""
    import uvicorn

    stopped_by: list[int] = []

    class Server(uvicorn.Server):
        def _handle(self, sig, frame) -> None:
            stopped_by.append(sig)
            if len(stopped_by) > 1:
                self.force_exit = True
            self.should_exit = True

        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:  # uvicorn >= 0.29
            if threading.current_thread() is not threading.main_thread():
                yield
                return
            sigs = (signal.SIGINT, signal.SIGTERM)
            before = {s: signal.signal(s, self._handle) for s in sigs}
            try:
                yield
            finally:
                for s, handler in before.items():
                    signal.signal(s, handler)

        def install_signal_handlers(self) -> None:  # older uvicorn
            if threading.current_thread() is threading.main_thread():
                for s in (signal.SIGINT, signal.SIGTERM):
                    signal.signal(s, self._handle)

    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        access_log=access_log,
        log_level=log_level,
        timeout_graceful_shutdown=shutdown_timeout,
        lifespan="on",
    )
    server = Server(config)
    server.run()
    if not server.started:
        return 1
    if signal.SIGINT in stopped_by:
        logger.info("interrupted: stopped")
        return 130
    logger.info("stopped")
    return 0
