"""The native API under ``/v1``: records with offsets, scores and flags, any
output format, alignment, batch jobs and the model registry."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from translate.records import DocumentResult, Signature
from translate.serve.limits import ApiError
from translate.serve.service import MEDIA_TYPES, Service, as_texts, check_pair
from translate.serve.web import guard, read_params

FORMATS = ("json", *MEDIA_TYPES)


def _body_schema(required: list[str], properties: dict) -> dict:
    return {
        "requestBody": {
            "content": {
                "application/json": {
                    "schema": {"type": "object", "required": required, "properties": properties}
                }
            }
        }
    }


_LANGS = {
    "source": {"type": "string", "enum": ["kk", "en"]},
    "target": {"type": "string", "enum": ["en", "kk"]},
}
_FORMAT = {"type": "string", "enum": list(FORMATS), "default": "json"}
_TRANSLATE_BODY = _body_schema(
    ["text"],
    {
        "text": {
            "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
            "example": "Біз дайынбыз. Жұмыс басталды.",
        },
        **_LANGS,
        "format": _FORMAT,
        "id": {"type": "string", "description": "document id in the records"},
    },
)
_ALIGN_BODY = _body_schema(
    ["source_text", "target_text"],
    {
        "source_text": {"type": "string"},
        "target_text": {"type": "string"},
        **_LANGS,
        "format": _FORMAT,
        "model": {"type": "boolean", "default": False, "description": "also score by MT"},
    },
)
_JOB_BODY = _body_schema(
    ["articles"],
    {
        "articles": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"id": {"type": "string"}, "text": {"type": "string"}},
            },
        },
        **_LANGS,
        "formats": {"type": "array", "items": {"type": "string"}, "default": ["jsonl"]},
    },
)


def languages(svc: Service, params: dict) -> tuple[str, str]:
    source = params.get("source") or svc.src
    target = params.get("target") or (
        svc.tgt if svc.tgt != source else ("en" if source == "kk" else "kk")
    )
    return check_pair(source, target)


def output_format(params: dict) -> str:
    fmt = params.get("format") or "json"
    if fmt not in FORMATS:
        raise ApiError(400, f"Invalid request: format must be one of {', '.join(FORMATS)}")
    return fmt


def respond(
    result: DocumentResult, signature: Signature, fmt: str, extra: dict | None = None
) -> Response:
    """The result as JSON (records as in our JSONL) or as a file of ``fmt``."""
    from translate.formats import open_writer
    from translate.formats.jsonl import record_dict

    if fmt == "json":
        return JSONResponse(
            {
                "signature": str(signature),
                **(extra or {}),
                "records": [record_dict(r) for r in result.records],
                "flagged": sum(1 for r in result.records if r.flags),
            }
        )
    media, ext = MEDIA_TYPES[fmt]
    if fmt == "text":
        text = (extra or {}).get("text", "")
        return Response(text if isinstance(text, str) else "\n".join(text), media_type=media)
    with tempfile.TemporaryDirectory(prefix="translate-") as tmp:
        path = Path(tmp) / f"translation.{ext}"
        with open_writer(fmt, signature, path) as w:
            w.write(result)
        data = path.read_bytes()
    return Response(
        data,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="translation.{ext}"'},
    )


def translate_text(svc: Service, params: dict) -> Response:
    text = params.get("text")
    items = as_texts(text, "text")
    src, tgt = languages(svc, params)
    fmt = output_format(params)
    svc.limits.check_chars(sum(map(len, items if items is not None else [text])))
    doc_id = params.get("id") if isinstance(params.get("id"), str) else "text"
    result, lines = svc.translate_document(text, src, tgt, doc_id or "text")
    out = {"source": src, "target": tgt, "text": lines if items is not None else "\n".join(lines)}
    return respond(result, svc.signature(src, tgt), fmt, out)


def align(svc: Service, params: dict) -> Response:
    src_text, tgt_text = params.get("source_text"), params.get("target_text")
    if not isinstance(src_text, str) or not isinstance(tgt_text, str):
        raise ApiError(400, "Invalid request: source_text and target_text must be strings")
    src, tgt = languages(svc, params)
    fmt = output_format(params)
    if fmt == "text":
        raise ApiError(400, "Invalid request: format text is not available for an alignment")
    svc.limits.check_chars(len(src_text) + len(tgt_text))
    use_model = params.get("model") in (True, "true", "1")
    result, sig = svc.align(src_text, tgt_text, src, tgt, use_model)
    return respond(result, sig, fmt, {"source": src, "target": tgt})


def models(svc: Service) -> dict:
    from translate.mt.registry import list_models

    entries = []
    notice = []
    for m in list_models():
        entries.append(
            {
                "name": m.name,
                "hub_id": m.hub_id,
                "license": m.license,
                "parameters": m.parameters,
                "directions": list(m.directions),
                "default": m.default,
                "gated": m.gated,
                "notes": m.notes,
            }
        )
        if m.default and "NC" in m.license.upper():
            notice.append(
                f"The default model, {m.name}, is licensed {m.license}: non-commercial use "
                "only. Choose a model with a commercial-use licence (--model) for other use."
            )
    loaded = svc.translator.describe()
    return {"loaded": {"name": svc.model_name, **loaded}, "models": entries, "notice": notice}


def add_native_routes(app: FastAPI, svc: Service) -> None:
    @app.post(
        "/v1/translate", summary="Translate into records or a file", openapi_extra=_TRANSLATE_BODY
    )
    async def v1_translate(request: Request) -> Response:
        params = await read_params(request)
        guard(request, params)
        return await run_in_threadpool(translate_text, svc, params)

    @app.post("/v1/align", summary="Align a text with its translation", openapi_extra=_ALIGN_BODY)
    async def v1_align(request: Request) -> Response:
        params = await read_params(request)
        guard(request, params)
        return await run_in_threadpool(align, svc, params)

    @app.post("/v1/jobs", summary="Start a batch job", status_code=202, openapi_extra=_JOB_BODY)
    async def v1_jobs(request: Request) -> JSONResponse:
        from translate.serve.jobs import parse_formats

        params = await read_params(request)
        guard(request, params)
        if svc.jobs is None:
            raise ApiError(404, "batch jobs are not enabled on this server")
        src, tgt = languages(svc, params)
        formats = parse_formats(params.get("formats"))
        info = await run_in_threadpool(svc.jobs.create, params.get("articles"), src, tgt, formats)
        return JSONResponse(
            {"id": info["id"], "status": info["status"], "url": f"v1/jobs/{info['id']}"},
            status_code=202,
        )

    @app.get("/v1/jobs/{job_id}", summary="A batch job's status, counts and result files")
    async def v1_job(job_id: str, request: Request) -> dict:
        params = await read_params(request)
        guard(request, params, limited=False)
        status = svc.jobs.status(job_id) if svc.jobs is not None else None
        if status is None:
            raise ApiError(404, f"no job {job_id!r}")
        status["urls"] = [f"v1/jobs/{job_id}/results/{name}" for name in status["results"]]
        return status

    @app.get("/v1/jobs/{job_id}/results/{name:path}", summary="A result file of a batch job")
    async def v1_job_result(job_id: str, name: str, request: Request) -> Response:
        params = await read_params(request)
        guard(request, params, limited=False)
        path = svc.jobs.result_path(job_id, name) if svc.jobs is not None else None
        if path is None:
            raise ApiError(404, f"no result {name!r} in job {job_id!r}")
        return FileResponse(path, filename=path.name)

    @app.get("/v1/models", summary="Registry models, their licences, and the loaded one")
    def v1_models() -> dict:
        return models(svc)
