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
        from translate.mt.backends.convert import converted_copy

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
