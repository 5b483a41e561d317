"""Translation backends, registered by name and imported on use."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING

from ..errors import UsageError

if TYPE_CHECKING:
    from ..registry import ResolvedModel
    from ..translator import TranslationOptions, Translator

# name -> "module:factory"; modules are imported only when the backend is used.
BACKENDS: dict[str, str] = {
    "transformers": "translate.backends.hf:load",
}


def backend_names() -> tuple[str, ...]:
    return ("auto",) + tuple(BACKENDS)


def load_translator(
    model: ResolvedModel, options: TranslationOptions, backend: str = "auto"
) -> Translator:
    """Load ``model`` with ``backend`` (``auto`` picks the best one available)."""
    if backend == "auto":
        backend = "transformers"
    if backend not in BACKENDS:
        raise UsageError(f"unknown backend {backend!r} (available: {', '.join(backend_names())})")
    module, func = BACKENDS[backend].split(":")
    factory: Callable[..., Translator] = getattr(import_module(module), func)
    return factory(model, options)
