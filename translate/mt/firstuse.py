"""The fast path by default: a registry model is converted to CTranslate2 on first use.

CTranslate2 in int8 with the target-language shortlist decodes many times
faster than transformers in float32 (``benchmarks/README.md``). The first time
a command (``run``, ``batch``, ``align --model``, ``serve``) uses a registry
model that has no conversion, it converts it once into the model store (int8
on CPU, int8_float16 on a GPU) and every later run uses the conversion.
``--backend transformers`` (or any explicit backend) opts out. When memory or
disk is too short, or the conversion fails, the command says why and goes on
with transformers. Local directories given by path are not converted behind
the user's back: ``translate models convert PATH`` does it.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time

from translate.errors import ModelError, ModelNotAvailableError
from translate.mt.registry import ResolvedModel
from translate.mt.translator import TranslationOptions

logger = logging.getLogger("translate")

# Conversion loads the float32 weights and writes int8 ones: memory for about
# MEMORY_FACTOR times the download, disk for DISK_FACTOR times it (int8 is a
# quarter of float32; the tokenizer and shortlist are small).
MEMORY_FACTOR = 2.5
DISK_FACTOR = 0.4
# A log line while the conversion runs, every HEARTBEAT seconds.
HEARTBEAT = 10.0


def _available_memory_gb() -> float | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) / 1024**2
    except (OSError, ValueError, IndexError):
        pass
    return None


def _uses_gpu(options: TranslationOptions) -> bool:
    if options.device == "cpu":
        return False
    try:
        import ctranslate2

        return ctranslate2.get_cuda_device_count() > 0
    except Exception:  # no CUDA runtime: CPU
        return False


def convert_on_first_use(model: ResolvedModel, options: TranslationOptions, backend: str) -> bool:
    """Convert ``model`` to CTranslate2 once, when that is the fast path it lacks.

    Returns whether a conversion was made. Never raises for a conversion that
    cannot be made: the reason is logged and the caller loads the model as
    before (transformers).
    """
    from translate.mt.backends.convert import convert, converted_copy, default_output_dir

    if backend != "auto" or model.info is None or converted_copy(model) is not None:
        return False
    if not model.local:
        from translate.mt.registry import hub_reachable, offline_mode

        if offline_mode() or not hub_reachable():
            return False  # loading will say what is missing and how to get it
    quantization = "int8_float16" if _uses_gpu(options) else "int8"
    target = default_output_dir(model, quantization)
    size = model.info.download_gb
    memory = _available_memory_gb()
    if memory is not None and memory < MEMORY_FACTOR * size:
        logger.warning(
            "not converting %s to CTranslate2 (the fast path): it needs about %.1f GB of "
            "memory, %.1f GB are free; using transformers",
            model.info.name,
            MEMORY_FACTOR * size,
            memory,
        )
        return False
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        free = shutil.disk_usage(folder).free / 1024**3
    except OSError as exc:
        logger.warning(
            "not converting %s: %s (%s); using transformers", model.info.name, folder, exc
        )
        return False
    if free < DISK_FACTOR * size + 0.1:
        logger.warning(
            "not converting %s to CTranslate2 (the fast path): it needs about %.1f GB of disk "
            "in %s, %.1f GB are free; using transformers",
            model.info.name,
            DISK_FACTOR * size + 0.1,
            folder,
            free,
        )
        return False
    logger.info(
        "first use of %s: converting it to CTranslate2 %s into %s, once (--backend "
        "transformers skips this)",
        model.info.name,
        quantization,
        target,
    )
    done = threading.Event()
    t0 = time.monotonic()

    def heartbeat() -> None:
        while not done.wait(HEARTBEAT):
            logger.info("converting %s: %.0f s so far", model.info.name, time.monotonic() - t0)

    beat = threading.Thread(target=heartbeat, name="translate-convert", daemon=True)
    beat.start()
    # converted under a temporary name and renamed when complete: an
    # interrupted conversion is never taken for a finished one
    partial = target.with_name(f".{target.name}.part")
    shutil.rmtree(partial, ignore_errors=True)
    try:
        convert(model, partial, quantization, force=True, shortlist=True)
        partial.rename(target)
    except ModelNotAvailableError:
        return False  # loading says the same, with what to do
    except (ModelError, OSError, MemoryError, RuntimeError, ValueError) as exc:
        logger.warning(
            "could not convert %s to CTranslate2 (%s); using transformers",
            model.info.name,
            str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__,
        )
        return False
    finally:
        done.set()
        shutil.rmtree(partial, ignore_errors=True)
    logger.info("converted %s in %.0f s: %s", model.info.name, time.monotonic() - t0, target)
    return True
