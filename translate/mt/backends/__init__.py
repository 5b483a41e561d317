"""Translation backends, registered by name and imported on use."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING

from translate.errors import UsageError

if TYPE_CHECKING:
    from translate.mt.registry import ResolvedModel
    from translate.mt.translator import TranslationOptions, Translator

# name -> "module:factory"; modules are imported only when the backend is used.
BACKENDS: dict[str, str] = {
    "transformers": "translate.mt.backends.hf:load",
    "ctranslate2": "translate.mt.backends.ct2:load",
}


def available_cpus() -> int:
    """CPUs this process may run on (its affinity mask, not the host's count)."""
    import os

    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def cpu_threads(requested: int = 0) -> int:
    """The CPU threads a model should use: ``requested``, else ``OMP_NUM_THREADS``
    when it is set (as Ray sets it for its workers), else every available CPU."""
    import os

    if requested > 0:
        return requested
    env = os.environ.get("OMP_NUM_THREADS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    return available_cpus()


def backend_names() -> tuple[str, ...]:
    return ("auto",) + tuple(BACKENDS)


def load_translator(
    model: ResolvedModel, options: TranslationOptions, backend: str = "auto"
) -> Translator:
    """Load ``model`` with ``backend``.

    ``auto`` takes CTranslate2 when the model is a CTranslate2 conversion or a
    conversion of it is in the model store, and transformers otherwise; it
    logs which it chose and why.
    """
    import logging
    from dataclasses import replace
    from pathlib import Path

    logger = logging.getLogger("translate")
    if backend == "auto":
        from translate.mt.backends.ct2 import converted_copy

        copy = converted_copy(model)
        if copy is not None:
            backend = "ctranslate2"
            if Path(model.location) != copy:
                model = replace(model, location=str(copy), local=True)
            logger.info("backend auto: ctranslate2 (converted model in %s)", copy)
        else:
            backend = "transformers"
            logger.info(
                "backend auto: transformers (no CTranslate2 conversion; "
                "'translate models convert' makes one)"
            )
    elif backend == "transformers" and (Path(model.location) / "model.bin").is_file():
        raise UsageError(f"{model.location} is a CTranslate2 model: use --backend ctranslate2")
    if backend not in BACKENDS:
        raise UsageError(f"unknown backend {backend!r} (available: {', '.join(backend_names())})")
    module, func = BACKENDS[backend].split(":")
    factory: Callable[..., Translator] = getattr(import_module(module), func)
    return factory(model, options)
