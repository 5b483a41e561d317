"""The argument parser of the ``translate`` command: options declared once,
shared by the commands that take them."""

from __future__ import annotations

import argparse

from translate._version import __version__
from translate.cli.common import add_model_options
from translate.cli.docio import TO_HELP as DOCUMENT_TO_HELP
from translate.cli.docio import add_from

# Libraries whose versions change what a model outputs, shown by --version.
VERSIONED = ("ctranslate2", "transformers", "torch")


def version_text() -> str:
    """``translate X.Y.Z`` and the versions of the model libraries installed
    (read from their metadata: nothing is imported)."""
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for name in VERSIONED:
        try:
            parts.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            parts.append(f"{name} not installed")
    return f"translate {__version__} ({', '.join(parts)})"


def _add_run_options(p: argparse.ArgumentParser) -> None:
    from translate.mt.translator import LANGUAGES

    p.add_argument(
        "--model",
        help="registry name, hub id (org/name) or local directory "
        "(default: the registry's default, nllb-200-distilled-600M)",
    )
    p.add_argument(
        "--src",
        default="kk",
        choices=(*LANGUAGES, "auto"),
        help="source language (default kk); auto: detected per document",
    )
    p.add_argument(
        "--tgt", default=None, choices=LANGUAGES, help="target language (default: the other one)"
    )
    add_model_options(p)
    p.add_argument(
        "--script",
        default="auto",
        choices=("auto", "cyrl", "latn"),
        help="script of Kazakh input: auto detects Latin-script sentences (default)",
    )
    p.add_argument(
        "--tgt-script",
        default="cyrl",
        choices=("cyrl", "latn"),
        help="script of Kazakh output: latn writes the 2021 Latin alphabet (default cyrl)",
    )
    p.add_argument(
        "--min-score",
        type=float,
        default=-1.5,
        help="flag pairs whose mean token log-probability is lower (default -1.5)",
    )
    p.add_argument(
        "--length-ratio",
        default="0.4,2.5",
        metavar="MIN,MAX",
        help="flag pairs whose translation/source length ratio is outside (default 0.4,2.5)",
    )


TO_HELP = DOCUMENT_TO_HELP


def build_parser() -> argparse.ArgumentParser:
    from translate.cli.check import add_check_parser
    from translate.cli.tm import add_assist_options, add_tm_parser
    from translate.formats import FORMATS

    parser = argparse.ArgumentParser(
        prog="translate",
        description="Kazakh-English translation into sentence-aligned bilingual files.",
    )
    parser.add_argument("--version", action="version", version=version_text())
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=argparse.SUPPRESS,
        help="only errors on stderr",
    )
    common.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help="debug messages on stderr",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="only errors on stderr")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug messages on stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser(
        "run",
        parents=[common],
        help="translate articles into a bilingual file",
        description="Translate articles (text, one paragraph per line) or documents (HTML, "
        "Word .docx, Markdown) into sentence-aligned records, the translated text (--to text) "
        "or the translated document (--to document). No INPUT or '-' reads stdin.",
    )
    run.add_argument("inputs", nargs="*", metavar="INPUT", help="article files; '-' for stdin")
    run.add_argument("-o", "--output", help="output file (default stdout); for moses the base name")
    run.add_argument("--to", choices=FORMATS, help=TO_HELP)
    run.add_argument("--overwrite", action="store_true", help="replace an existing output file")
    run.add_argument(
        "--encoding", help="input encoding (default: detect UTF-8/16, KZ-1048, PTCP154, CP1251)"
    )
    add_from(run)
    _add_run_options(run)
    add_assist_options(run)

    batch = sub.add_parser(
        "batch",
        parents=[common],
        help="translate many articles into a directory (resumable)",
        description="Translate a directory of articles and documents (*.txt, *.html, *.htm, "
        "*.docx, *.md, recursively), a glob, or a JSONL "
        'file of {"id", "text"} articles into OUT_DIR, one output per article and format, '
        "with a manifest. Exit code 1 when any article failed (see the manifest).",
    )
    batch.add_argument("input", metavar="INPUT")
    batch.add_argument("-o", "--output", required=True, metavar="OUT_DIR")
    batch.add_argument(
        "--to", default="jsonl", help=f"comma-separated formats ({', '.join(FORMATS)})"
    )
    batch.add_argument("--resume", action="store_true", help="finish an earlier run in OUT_DIR")
    batch.add_argument("--overwrite", action="store_true", help="start again, replacing outputs")
    batch.add_argument(
        "--force",
        action="store_true",
        help="accept a different model or options than the earlier run (redo all)",
    )
    batch.add_argument("--no-cache", action="store_true", help="do not use the translation memory")
    batch.add_argument(
        "--cache", metavar="PATH", help="translation memory file (default OUT_DIR/cache.sqlite)"
    )
    batch.add_argument("--encoding", help="input encoding (default: detect)")
    batch.add_argument(
        "--engine",
        choices=("local", "ray"),
        default="local",
        help="local (this process) or ray (a Ray cluster; pip install '.[ray]')",
    )
    batch.add_argument("--address", help="Ray cluster address (default: start a local one)")
    batch.add_argument(
        "--workers", type=int, help="Ray model replicas (default: one per GPU, or 1)"
    )
    _add_run_options(batch)
    add_assist_options(batch)

    review = sub.add_parser(
        "review",
        parents=[common],
        help="HTML review page (with an editor) from a result file or a batch job",
        description="Make the HTML review page from a JSONL, TSV, CSV, TMX or XLIFF result; "
        "given a batch job's OUT_DIR, a page per article and an index page listing them "
        "(OUT_DIR/review/index.html unless -o), the pages next to it.",
    )
    review.add_argument("result", metavar="RESULT|OUT_DIR")
    review.add_argument("-o", "--output", help="page (OUT_DIR: index page) to write")
    review.add_argument("--overwrite", action="store_true")

    convert = sub.add_parser(
        "convert",
        parents=[common],
        help="convert a result file to another format",
        description="Read a JSONL, TMX or XLIFF result and write it in another format.",
    )
    convert.add_argument("result", metavar="RESULT")
    convert.add_argument(
        "--to", choices=FORMATS, help="output format (default: from the -o name's extension)"
    )
    convert.add_argument("-o", "--output", help="output file (default stdout)")
    convert.add_argument("--overwrite", action="store_true")
    add_check_parser(sub, common)

    al = sub.add_parser(
        "align",
        parents=[common],
        help="align an article with its existing translation",
        description="Segment two documents that translate each other and align their "
        "sentences: a length model with anchors (numbers, names, punctuation) and shared "
        "words; with --model, also the chrF of the source's machine translation against "
        "the target.",
    )
    al.add_argument("src", metavar="SRC")
    al.add_argument("tgt", metavar="TGT")
    al.add_argument(
        "--src-lang", "--src", dest="src_lang", default="kk", choices=("kk", "en", "auto")
    )
    al.add_argument("--tgt-lang", "--tgt", dest="tgt_lang", default=None, choices=("kk", "en"))
    al.add_argument("-o", "--output", help="output file (default stdout)")
    al.add_argument("--to", choices=FORMATS, help=TO_HELP)
    al.add_argument("--overwrite", action="store_true")
    al.add_argument("--encoding", help="encoding of both inputs (default: detect)")
    add_from(al)
    al.add_argument(
        "--model",
        help="also score pairs by machine translation with this model "
        "(registry name, hub id or local directory); default: no model",
    )
    add_model_options(al)
    add_assist_options(al)

    serve = sub.add_parser(
        "serve",
        parents=[common],
        help="HTTP service: LibreTranslate-compatible API, native API, web page",
        description="Serve translations over HTTP (pip install '.[serve]'): LibreTranslate's "
        "endpoints (/translate, /detect, /languages, /translate_file), the native API "
        "(/v1/translate, /v1/align, /v1/jobs, /v1/models), a page at / and OpenAPI docs at "
        "/docs. One model, loaded at start; concurrent requests share its batches. "
        "--src/--tgt are the defaults of /v1 requests that name no language.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=5000, help="port (default 5000)")
    serve.add_argument(
        "--api-keys",
        metavar="FILE",
        help="require an API key from FILE (one per line) as api_key or Authorization: Bearer",
    )
    serve.add_argument(
        "--char-limit",
        type=int,
        default=5000,
        help="characters per request, 0 for no limit (default 5000; batch jobs excepted)",
    )
    serve.add_argument(
        "--req-limit",
        type=int,
        default=0,
        help="requests per minute per client address, 0 for no limit (default 0)",
    )
    serve.add_argument(
        "--max-body-mb",
        type=float,
        default=10.0,
        help="largest request body or uploaded file, in MB (default 10)",
    )
    serve.add_argument(
        "--jobs-dir",
        default="translate-jobs",
        help="where batch jobs posted to /v1/jobs live (default ./translate-jobs)",
    )
    serve.add_argument("--cache", metavar="PATH", help="translation memory file (default: none)")
    serve.add_argument(
        "--batch-wait-ms",
        type=float,
        default=10.0,
        help="how long the inference worker may wait for concurrent requests to share a "
        "batch; a lone request is not kept waiting (default 10)",
    )
    serve.add_argument(
        "--batch-sentences",
        type=int,
        default=64,
        help="sentences per inference call, from all requests together (default 64)",
    )
    serve.add_argument(
        "--shutdown-timeout",
        type=float,
        default=10.0,
        help="seconds to finish requests in flight after SIGTERM (default 10)",
    )
    serve.add_argument("--access-log", action="store_true", help="log every request")
    _add_run_options(serve)
    add_assist_options(serve)

    seg = sub.add_parser("segment", parents=[common], help="split an article into sentences")
    seg.add_argument(
        "input", nargs="?", default="-", metavar="FILE", help="article or document; '-' for stdin"
    )
    seg.add_argument("--lang", default="kk", help="kk or en (default kk)")
    seg.add_argument("--to", default="text", choices=("text", "jsonl"))
    seg.add_argument("--encoding", help="input encoding (default: detect)")
    add_from(seg)

    models = sub.add_parser("models", parents=[common], help="list or fetch supported models")
    msub = models.add_subparsers(dest="models_command", metavar="ACTION")
    msub.add_parser("list", parents=[common], help="the model registry")
    fetch = msub.add_parser(
        "fetch", parents=[common], help="download a registry model into models/ for offline use"
    )
    fetch.add_argument("name")
    fetch.add_argument("--allow-pickle", action="store_true", help="also download pickle weights")
    conv = msub.add_parser(
        "convert",
        parents=[common],
        help="convert a model to CTranslate2 (faster on CPU and GPU)",
        description="Convert a registry model (fetched, or from the hub), a hub id or a local "
        "Hugging Face directory to CTranslate2. 'translate run' then uses it automatically.",
    )
    conv.add_argument("model", metavar="NAME|PATH")
    conv.add_argument(
        "--quantization",
        default="int8",
        choices=("int8", "int8_float16", "int8_float32", "float16", "bfloat16", "float32"),
    )
    conv.add_argument("-o", "--output", help="output directory (default: models/NAME-ct2-QUANT)")
    conv.add_argument("--force", action="store_true", help="replace an existing output directory")
    conv.add_argument(
        "--allow-pickle",
        action="store_true",
        help="convert a model that has only pickle weights (pytorch_model.bin); only if trusted",
    )
    conv.add_argument(
        "--no-shortlist",
        dest="shortlist",
        action="store_false",
        help="do not write the target-language vocabulary shortlist (NLLB, M2M100)",
    )
    conv.add_argument(
        "--shortlist-text",
        action="append",
        default=[],
        metavar="LANG=FILE",
        help="narrow LANG's shortlist (en or kk) to the tokens FILE's text uses, plus single "
        "letters; repeatable",
    )
    add_tm_parser(sub, common)
    return parser
