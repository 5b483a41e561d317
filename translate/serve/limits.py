"""What the service refuses: unknown API keys, too many requests, too much text.

Errors carry LibreTranslate's status codes and become ``{"error": ...}``
answers (:mod:`translate.serve.app`).
"""

from __future__ import annotations

import hmac
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from translate.errors import UsageError


class ApiError(Exception):
    """An answer other than 200: a status code and a message for ``{"error": ...}``."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)


def read_api_keys(path: str | Path) -> frozenset[str]:
    """Keys of a file, one per line (blank lines and ``#`` comments skipped).

    Raises:
        UsageError: the file cannot be read or holds no key.
    """
    try:
        lines = Path(path).read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"--api-keys {path}: cannot be read ({exc})") from None
    keys = frozenset(s for line in lines if (s := line.strip()) and not s.startswith("#"))
    if not keys:
        raise UsageError(f"--api-keys {path}: no key in it (one key per line)")
    return keys


class RateLimiter:
    """At most ``per_minute`` requests per client in any 60 seconds (0: no limit)."""

    def __init__(self, per_minute: int, window: float = 60.0):
        self.per_minute = per_minute
        self.window = window
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._swept = time.monotonic()

    def allow(self, client: str) -> bool:
        if self.per_minute <= 0:
            return True
        now = time.monotonic()
        with self._lock:
            if now - self._swept > self.window:  # forget clients gone quiet
                for key in [k for k, q in self._hits.items() if not q or q[-1] < now - self.window]:
                    del self._hits[key]
                self._swept = now
            q = self._hits.setdefault(client, deque())
            while q and q[0] <= now - self.window:
                q.popleft()
            if len(q) >= self.per_minute:
                return False
            q.append(now)
            return True


@dataclass(frozen=True)
class Limits:
    """The service's limits (``translate serve`` options)."""

    char_limit: int = 5000  # characters per request; 0 or less: none
    max_body: int = 10 * 1024 * 1024  # bytes of a request body
    api_keys: frozenset[str] = frozenset()

    def check_chars(self, n: int) -> None:
        if 0 < self.char_limit < n:
            raise ApiError(
                413,
                f"Invalid request: request ({n} characters) exceeds the text limit "
                f"({self.char_limit} characters)",
            )

    def check_key(self, key: str | None) -> None:
        """403 unless keys are off or ``key`` is one of them (compared in constant time)."""
        if not self.api_keys:
            return
        if not key or not any(hmac.compare_digest(key.encode(), k.encode()) for k in self.api_keys):
            raise ApiError(
                403, "Invalid API key" if key else "Please provide an API key (api_key or Bearer)"
            )


def api_key_of(headers: dict[str, str] | object, params: dict) -> str | None:
    """The key given as ``api_key`` (body, form or query) or ``Authorization: Bearer``."""
    key = params.get("api_key")
    if isinstance(key, str) and key:
        return key
    auth = headers.get("authorization", "") if hasattr(headers, "get") else ""
    scheme, _, token = auth.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None
