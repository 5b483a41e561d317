"""Mutation testing of the critical modules with mutmut, and the kill rate per module.

mutmut changes the code one small edit at a time (an operator, a constant, a
comparison, a dropped argument) and runs the tests that cover the changed
function; a mutant the tests do not notice "survives". The kill rate is
killed / (killed + survived + not covered by any test).

The run happens in a copy of the committed tree (HEAD) (mutmut writes a ``mutants/``
folder next to the code), so the checkout is left as it was:

    pip install -e '.[test,mutation]'
    python benchmarks/mutation.py                       # every critical module
    python benchmarks/mutation.py --modules translate/quality.py --keep /tmp/mut
    python benchmarks/mutation.py --survivors           # also list surviving mutants
    python benchmarks/mutation.py --modules translate/mt/options.py \
        --tests tests/test_translator.py                # only these tests

On this project's 2-core machine a full run takes about half an hour. The last
result is recorded in ``docs/testing.md``, with the surviving mutants that
cannot change behaviour (equivalent mutants) and why.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The modules where a bug loses or corrupts what users get: segmentation,
# translator limits, pairing, the cache, batch manifest and resume, the
# writers and readers, the quality flags and the aligner's costs.
CRITICAL = (
    "translate/text/segment.py",
    "translate/text/language.py",
    "translate/mt/options.py",
    "translate/jobs/progress.py",
    "translate/mt/translator.py",
    "translate/mt/cache.py",
    "translate/pipeline.py",
    "translate/jobs/batch.py",
    "translate/jobs/manifest.py",
    "translate/jobs/inputs.py",
    "translate/formats/__init__.py",
    "translate/formats/base.py",
    "translate/formats/jsonl.py",
    "translate/formats/tsv.py",
    "translate/formats/moses.py",
    "translate/formats/tmx.py",
    "translate/formats/xliff.py",
    "translate/formats/xml.py",
    "translate/quality.py",
    "translate/align/search.py",
    "translate/align/cells.py",
    "translate/align/features.py",
    "translate/align/sentences.py",
    "translate/align/length.py",
    "translate/align/evidence.py",
)

# mutmut's exit codes per mutant (mutmut/__main__.py, status_by_exit_code)
KILLED = {1, 3, 36, -24, 37}  # a test failed, or the mutant hung (timeout)
SURVIVED = {0}
NO_TESTS = {33, 5}
# Tests left out of mutation runs: they start Ray or other processes whose
# time is dominated by start-up, and what they check is covered elsewhere.
DESELECT = (
    "tests/test_batch.py::test_ray_engine_writes_the_same_outputs_and_manifest",
    "tests/test_oracles.py::test_batch_ray_each_article_gets_its_own_translations",
)
# Test files left out: the layout checks read the source files, which mutmut
# rewrites; the HTTP service tests start servers (covered by their own runs).
IGNORE = ("tests/test_layout.py", "tests/test_serve.py")


def copy_tree(dest: Path) -> None:
    """The committed tree (HEAD): what is measured is what is in the repository."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", "HEAD"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)


def configure(dest: Path, modules: list[str], tests: list[str] | None = None) -> None:
    """Append mutmut's settings to the copy's pyproject.toml; ``tests``
    (test files) limits the tests mutmut runs to those."""
    lines = [
        "",
        "[tool.mutmut]",
        'source_paths = ["translate"]',
        "only_mutate = [" + ", ".join(f'"{m}"' for m in modules) + "]",
        "mutate_only_covered_lines = true",
        # what the tests read besides the code (mutmut copies tests/ itself)
        'also_copy = ["seeds", "models/registry", "README.md", "LICENSE"]',
        'pytest_add_cli_args = ["-p", "no:cacheprovider"'
        + "".join(f', "--deselect", "{d}"' for d in DESELECT)
        + "".join(f', "--ignore", "{d}"' for d in IGNORE)
        + "]",
    ]
    if tests:
        lines.append("tests_dir = [" + ", ".join(f'"{t}"' for t in tests) + "]")
    with open(dest / "pyproject.toml", "a", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def results(dest: Path, modules: list[str]) -> dict[str, Counter]:
    """Counts of killed, survived and uncovered mutants per module, from mutmut's files."""
    table: dict[str, Counter] = {}
    for module in modules:
        meta = dest / "mutants" / (module + ".meta")
        counts: Counter = Counter()
        if meta.is_file():
            data = json.loads(meta.read_text("utf-8"))
            for key, code in data["exit_code_by_key"].items():
                kind = (
                    "killed"
                    if code in KILLED
                    else "survived"
                    if code in SURVIVED
                    else "no_tests"
                    if code in NO_TESTS
                    else "not_run"
                    if code is None
                    else "crashed"  # the forked test process died (-11: SIGSEGV)
                )
                counts[kind] += 1
                if kind in ("survived", "no_tests"):
                    counts.setdefault("names", []).append(key)  # type: ignore[arg-type]
        table[module] = counts
    return table


def rate(c: Counter) -> float:
    judged = c["killed"] + c["survived"] + c["no_tests"]
    return c["killed"] / judged if judged else float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--modules", nargs="+", default=list(CRITICAL))
    ap.add_argument(
        "--keep", type=Path, help="run in this folder and keep it (default: a temp dir)"
    )
    ap.add_argument("--children", type=int, default=2, help="parallel test processes")
    ap.add_argument("--survivors", action="store_true", help="list surviving mutants")
    ap.add_argument(
        "--tests",
        nargs="+",
        help="run only these test files (a module whose functions every test "
        "touches, such as mt/options.py, would otherwise take hours)",
    )
    ap.add_argument("--json", type=Path, help="write the per-module counts here")
    args = ap.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="translate-mutation-"))
    if args.keep and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    copy_tree(work)
    configure(work, args.modules, args.tests)
    t0 = time.monotonic()
    log = work / "mutmut.log"
    with open(log, "w", encoding="utf-8") as out:
        # mutmut forks each mutant's test process from its own, which has run
        # the tests once: torch's and CTranslate2's thread pools do not survive
        # a fork, and with several threads many mutants crashed (SIGSEGV)
        # instead of giving a result; one thread each keeps the forks sound
        one_thread = {v: "1" for v in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "CT2_NUM_THREADS")}
        run = subprocess.run(
            [sys.executable, "-m", "mutmut", "run", "--max-children", str(args.children)],
            cwd=work,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **one_thread},
        )
    minutes = (time.monotonic() - t0) / 60
    if run.returncode != 0:
        tail = log.read_text("utf-8", errors="replace").replace("\r", "\n")[-3000:]
        print(tail, file=sys.stderr)
        print(f"mutmut failed (exit {run.returncode}); its files are in {work}", file=sys.stderr)
        return 1
    table = results(work, args.modules)
    total: Counter = Counter()
    head = ("mutants", "killed", "survived", "no test", "crashed", "not run", "rate")
    print(f"{'module':36}" + "".join(f"{h:>9}" for h in head))
    for module, c in [*table.items(), ("all", total)]:
        if module != "all":
            total.update({k: v for k, v in c.items() if k != "names"})
        kinds = ("killed", "survived", "no_tests", "crashed", "not_run")
        n = sum(c[k] for k in kinds)
        print(f"{module:36}{n:9d}" + "".join(f"{c[k]:9d}" for k in kinds) + f"{rate(c):9.1%}")
    print(f"{minutes:.1f} minutes, {args.children} processes; files in {work}")
    if args.survivors:
        for c in table.values():
            for name in c.get("names", []):
                print(f"survived: {name}  (mutmut show {name}, in {work})")
    if args.json:
        args.json.write_text(
            json.dumps(
                {m: {k: v for k, v in c.items() if k != "names"} for m, c in table.items()},
                indent=1,
            ),
            "utf-8",
        )
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
