"""``translate models``: the registry, fetching snapshots, CTranslate2 conversion."""

from __future__ import annotations

import argparse
import json
import logging

from translate.cli.common import quiet_libraries
from translate.errors import UsageError

logger = logging.getLogger("translate")


def cmd_models(args: argparse.Namespace) -> int:
    from translate.mt.registry import fetch, list_models, model_store

    if args.models_command in (None, "list"):
        rows = [("NAME", "PARAMS", "DOWNLOAD", "LICENCE", "DIRECTIONS", "HUB ID")]
        for m in list_models():
            rows.append(
                (
                    m.name + (" (default)" if m.default else ""),
                    m.parameters,
                    f"{m.download_gb:g} GB",
                    m.license.split(" (")[0],
                    " ".join(m.directions),
                    m.hub_id,
                )
            )
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        for r in rows:
            print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
        print(f"\nstore: {model_store()}  (fetched models are used from there)")
        return 0
    if args.models_command == "convert":
        from pathlib import Path

        from translate.mt.backends.convert import convert, default_output_dir
        from translate.mt.registry import resolve

        model = resolve(args.model)
        quiet_libraries()
        out = Path(args.output) if args.output else default_output_dir(model, args.quantization)
        logger.info("converting %s to CTranslate2 (%s)...", model.location, args.quantization)
        texts = {}
        for item in args.shortlist_text:
            lang, sep, file = item.partition("=")
            if not sep or not file:
                raise UsageError(f"--shortlist-text needs LANG=FILE (got {item!r})")
            texts[lang] = Path(file)
        path = convert(
            model,
            out,
            args.quantization,
            force=args.force,
            shortlist=args.shortlist,
            shortlist_texts=texts,
            allow_pickle=args.allow_pickle,
        )
        meta = json.loads((path / "translate-ct2.json").read_text("utf-8"))
        sizes = meta.get("shortlist") or {}
        for lang in ("en", "kk"):
            if lang in sizes:
                logger.info(
                    "shortlist for %s output: %d of %d tokens%s",
                    lang,
                    sizes[lang],
                    sizes["vocabulary"],
                    " (from text)" if lang in sizes.get("from_text", ()) else "",
                )
        print(path)
        return 0
    if args.models_command == "fetch":
        path = fetch(args.name, allow_pickle=args.allow_pickle)
        print(path)
        return 0
    raise UsageError(f"unknown models action {args.models_command!r}")
