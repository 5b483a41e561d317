"""Requests and error answers shared by the endpoints: parameters from JSON,
forms or the query string; the API key and rate limit; ``{"error": ...}``
answers with LibreTranslate's status codes."""

from __future__ import annotations

import json
import logging
from urllib.parse import parse_qsl

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from translate.errors import InputError, TranslateError, UsageError
from translate.serve.batcher import ShuttingDown
from translate.serve.limits import ApiError, api_key_of
from translate.serve.service import Service

logger = logging.getLogger("translate")


class BodyTooLarge(Exception):
    pass


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def error_response(exc: BaseException) -> JSONResponse:
    """The answer for an exception raised while handling a request."""
    if isinstance(exc, ApiError):
        return error(exc.status, exc.message)
    if isinstance(exc, BodyTooLarge):
        return error(413, str(exc))
    if isinstance(exc, UsageError | InputError):
        return error(400, str(exc))
    if isinstance(exc, ShuttingDown):
        return error(503, str(exc))
    if isinstance(exc, TranslateError):
        logger.error("request failed: %s", exc)
        return error(500, str(exc))
    logger.error("internal error: %s: %s", type(exc).__name__, exc)
    logger.debug("internal error", exc_info=exc)
    return error(500, "internal error")


async def read_params(request: Request) -> dict:
    """The request's parameters: a JSON object, a form (urlencoded or
    multipart, files included), and the query string (body values win).

    Raises:
        ApiError: 400 for malformed JSON, a JSON body that is not an object,
            or a form that cannot be parsed.
    """
    body = await request.body()
    params: dict = dict(parse_qsl(request.url.query, keep_blank_values=True))
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/x-www-form-urlencoded":
        # parsed here, as UTF-8: `curl -d 'q=Сәлем'` sends the letters unescaped,
        # which Starlette's form parser would read as Latin-1 (mojibake)
        form: dict = {}
        try:  # escaped bytes (%FF) must be UTF-8 too: no character is replaced silently
            pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            raise ApiError(400, "Invalid request: the form is not UTF-8") from None
        for key, value in pairs:
            form.setdefault(key, []).append(value)
        params.update({k: v if len(v) > 1 else v[0] for k, v in form.items()})
        return params
    if ctype == "multipart/form-data":
        try:
            try:  # starlette >= 0.40 limits form fields to 1 MB unless told
                form = await request.form(max_part_size=request.app.state.svc.limits.max_body)
            except TypeError:
                form = await request.form()
        except StarletteHTTPException as exc:
            raise ApiError(400, f"Invalid request: malformed form ({exc.detail})") from None
        except (BodyTooLarge, ApiError):
            raise
        except Exception as exc:  # noqa: BLE001 - whatever the form parser trips on
            raise ApiError(400, f"Invalid request: malformed form ({type(exc).__name__})") from None
        for key in set(form.keys()):
            values = form.getlist(key)
            params[key] = values if len(values) > 1 else values[0]
        return params
    if not body.strip():
        return params
    if ctype and ctype != "application/json" and not ctype.endswith("+json"):
        if ctype != "text/plain":
            raise ApiError(400, f"Invalid request: unsupported content type {ctype}")
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise ApiError(400, f"Invalid request: malformed JSON ({str(exc)[:100]})") from None
    if not isinstance(data, dict):
        raise ApiError(400, "Invalid request: the JSON body must be an object")
    params.update(data)
    return params


def guard(request: Request, params: dict, limited: bool = True) -> None:
    """The API key (403) and the per-client rate limit (429)."""
    svc: Service = request.app.state.svc
    if limited and not svc.rate.allow(request.client.host if request.client else "?"):
        raise ApiError(429, f"Too many requests: limit {svc.rate.per_minute} per minute")
    svc.limits.check_key(api_key_of(request.headers, params))
