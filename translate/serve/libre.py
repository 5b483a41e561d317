"""LibreTranslate-compatible endpoints, so that its clients work unchanged:
``POST /translate``, ``POST /detect``, ``GET /languages``,
``POST /translate_file`` with ``GET /download_file/{name}``, and
``GET /frontend/settings``. Requests are JSON or forms; answers and error
codes are LibreTranslate's.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from translate.serve.limits import ApiError
from translate.serve.service import (
    LANGUAGE_LIST,
    Service,
    as_texts,
    check_pair,
    detect,
    resolve_source,
)
from translate.serve.web import guard, read_params

DOWNLOAD_NAME = re.compile(r"^[0-9a-f]{32}-[\w.-]{1,120}$")
DOWNLOAD_TYPES = {
    ".txt": "text/plain; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
DOWNLOAD_TTL = 3600.0  # seconds a translated file stays downloadable

_TRANSLATE_BODY = {
    "requestBody": {
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["q", "source", "target"],
                    "properties": {
                        "q": {
                            "oneOf": [
                                {"type": "string"},
                                {"type": "array", "items": {"type": "string"}},
                            ],
                            "example": "Біз дайынбыз.",
                        },
                        "source": {"type": "string", "enum": ["kk", "en", "auto"]},
                        "target": {"type": "string", "enum": ["en", "kk"]},
                        "format": {"type": "string", "enum": ["text", "html"]},
                        "api_key": {"type": "string"},
                    },
                }
            },
            "application/x-www-form-urlencoded": {"schema": {"type": "object"}},
        }
    }
}


def translate_q(svc: Service, params: dict) -> dict:
    """The answer of ``/translate`` (runs in a request thread)."""
    q = params.get("q")
    items = as_texts(q)
    source, target = check_pair(params.get("source"), params.get("target"), auto=True)
    fmt = params.get("format") or "text"
    if fmt not in ("text", "html"):
        raise ApiError(400, f"Invalid request: format must be text or html (got {fmt!r})")
    texts = items if items is not None else [q]
    svc.limits.check_chars(sum(map(len, texts)))
    detected = [resolve_source(t, source) for t in texts]
    out: list[str] = [""] * len(texts)
    for lang in dict.fromkeys(lang for lang, _ in detected):  # one call per source language
        idx = [i for i, (code, _) in enumerate(detected) if code == lang]
        group = [texts[i] for i in idx]
        run = svc.translate_markup if fmt == "html" else svc.translate_plain
        for i, t in zip(idx, run(group, lang, target)):
            out[i] = t
    answer: dict = {"translatedText": out if items is not None else out[0]}
    if source == "auto":
        langs = [d for _, d in detected]
        answer["detectedLanguage"] = langs if items is not None else langs[0]
    try:
        alternatives = int(params.get("alternatives") or 0)
    except (TypeError, ValueError):
        alternatives = 0
    if alternatives > 0:
        answer["alternatives"] = [[] for _ in texts] if items is not None else []
    return answer


def _clean_downloads(folder: Path) -> None:
    now = time.time()
    for f in folder.iterdir():
        try:
            if now - f.stat().st_mtime > DOWNLOAD_TTL:
                f.unlink()
        except OSError:
            pass


def translate_upload(svc: Service, params: dict, base_url: str) -> dict:
    """The answer of ``/translate_file``: decodes as the command line does."""
    from translate.documents import detect_format
    from translate.text.encoding import decode_article
    from translate.text.magic import is_docx
    from translate.text.reader import parse_article, refuse_binary

    upload = params.get("file")
    if upload is None or isinstance(upload, str) or not hasattr(upload, "file"):
        raise ApiError(400, "Invalid request: missing file parameter")
    source, target = check_pair(params.get("source"), params.get("target"), auto=True)
    raw_name = Path(str(upload.filename or "file.txt").replace("\\", "/")).name or "file.txt"
    data = upload.file.read(svc.limits.max_body + 1)
    if len(data) > svc.limits.max_body:
        raise ApiError(413, f"file larger than {svc.limits.max_body} bytes")
    if not is_docx(data):
        refuse_binary(raw_name[:100], data)  # a PDF, an image, an archive: 400, what to do
    fmt = detect_format(raw_name, data)
    if fmt == "text":
        text, _ = decode_article(data, raw_name[:100])  # InputError: 400
        doc = parse_article(text, "file")
        text = doc.text
        if not text.strip():
            raise ApiError(400, f"{raw_name[:100]}: is empty (no text to translate)")
        svc.limits.check_chars(len(text))
        lang, _ = resolve_source(text, source)
        (translated,) = svc.translate_plain([text], lang, target)
        out, suffix = translated.encode("utf-8"), ".txt"  # line for line
    else:  # HTML, Word, Markdown: the translated document in its own format
        out, suffix = _translate_document(svc, data, raw_name[:100], fmt, source, target)
    stem = re.sub(r"[^\w.-]+", "_", Path(raw_name).stem)[:80].strip(".") or "file"
    name = f"{secrets.token_hex(16)}-{stem}.{target}{suffix}"
    _clean_downloads(svc.downloads)
    (svc.downloads / name).write_bytes(out)
    return {"translatedFileUrl": f"{base_url}download_file/{name}"}


def _translate_document(
    svc: Service, data: bytes, name: str, fmt: str, source: str, target: str
) -> tuple[bytes, str]:
    """An uploaded document read as the command line reads it (the same
    hardening), translated, and written back in its format (``run --to
    document``)."""
    from translate.documents import from_bytes, render

    doc_source = from_bytes(data, name, "file", fmt)  # InputError: 400
    doc = doc_source.document
    body = doc.text[doc.body_start :]
    svc.limits.check_chars(len(body))
    lang, _ = resolve_source(body, source)
    if lang == target:
        return data, doc_source.suffix
    result = svc.translate_source(doc, lang, target)
    return render(result, doc_source)


def add_libre_routes(app: FastAPI, svc: Service) -> None:
    @app.post(
        "/translate", summary="Translate text (LibreTranslate)", openapi_extra=_TRANSLATE_BODY
    )
    async def translate(request: Request) -> JSONResponse:
        params = await read_params(request)
        guard(request, params)
        return JSONResponse(await run_in_threadpool(translate_q, svc, params))

    @app.post("/detect", summary="Detect the language (LibreTranslate)")
    async def detect_language(request: Request) -> JSONResponse:
        params = await read_params(request)
        guard(request, params)
        q = params.get("q")
        items = as_texts(q)
        text = "\n".join(items) if items is not None else q
        svc.limits.check_chars(len(text))
        lang, confidence = detect(text)
        return JSONResponse([{"confidence": confidence, "language": lang}])

    @app.get("/languages", summary="Supported languages (LibreTranslate)")
    def languages() -> list:
        return LANGUAGE_LIST

    @app.post("/translate_file", summary="Translate a plain text file (LibreTranslate)")
    async def translate_file(request: Request) -> JSONResponse:
        params = await read_params(request)
        guard(request, params)
        base = str(request.base_url)
        return JSONResponse(await run_in_threadpool(translate_upload, svc, params, base))

    @app.get("/download_file/{name}", summary="A file translated by /translate_file")
    def download_file(name: str) -> Response:
        path = svc.downloads / name
        if not DOWNLOAD_NAME.match(name) or not path.is_file():
            raise ApiError(404, "file not found (translated files are kept for an hour)")
        return Response(
            path.read_bytes(),
            media_type=DOWNLOAD_TYPES.get(path.suffix, "application/octet-stream"),
            headers={
                "Content-Disposition": f'attachment; filename="{name[33:]}"',
                # a translated page keeps its scripts: never run them on this origin
                "Content-Security-Policy": "sandbox",
                "X-Content-Type-Options": "nosniff",
            },
        )

    @app.get("/frontend/settings", summary="Settings for LibreTranslate front ends")
    def frontend_settings() -> dict:
        from translate.documents import SUFFIXES

        return {
            "charLimit": svc.limits.char_limit if svc.limits.char_limit > 0 else -1,
            "frontendTimeout": 500,
            "apiKeys": bool(svc.limits.api_keys),
            "keyRequired": bool(svc.limits.api_keys),
            "suggestions": False,
            "filesTranslation": True,
            "supportedFilesFormat": sorted(SUFFIXES),
            "language": {
                "source": {"code": "kk", "name": "Kazakh"},
                "target": {"code": "en", "name": "English"},
            },
        }
