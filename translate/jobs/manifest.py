"""A batch job's manifest and output names.

``OUT_DIR/manifest.jsonl`` holds a header (the run signature) and one line per
finished or failed article, appended (and synced) only after that article's
files are complete, so a job killed at any moment resumes where it stopped.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from translate.errors import OutputError

MANIFEST = "manifest.jsonl"


EXTENSIONS = {
    "jsonl": ".jsonl",
    "tsv": ".tsv",
    "moses": "",
    "tmx": ".tmx",
    "xliff": ".xlf",
    "xliff12": ".xliff12.xlf",
    "html": ".html",
}


def output_targets(
    out_dir: Path, art_id: str, fmt: str, src: str, tgt: str
) -> tuple[Path, list[Path]]:
    """Where a writer writes (its ``-o``) and the files that appear there."""
    base = out_dir / art_id
    if fmt == "moses":
        target, files = (
            base,
            [Path(f"{base}.{src}"), Path(f"{base}.{tgt}"), Path(f"{base}.info.json")],
        )
    else:
        target = Path(f"{base}{EXTENSIONS[fmt]}")
        files = [target]
    for q in files:  # defence in depth: never write outside OUT_DIR
        if not q.resolve().is_relative_to(out_dir.resolve()):
            raise OutputError(f"output {q} would leave {out_dir}")
    return target, files


def read_manifest(path: Path) -> tuple[dict | None, dict[str, dict]]:
    header, entries = None, {}
    if not path.is_file():
        return None, {}
    for line in path.read_text("utf-8").split("\n"):
        try:
            obj = json.loads(line)
        except ValueError:
            continue  # a line cut by a crash: that article is redone
        if obj.get("type") == "header":
            header = obj
        elif obj.get("type") == "article":
            entries[obj["id"]] = obj
    return header, entries


def append_line(path: Path, obj: dict) -> None:
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(obj, ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())
