"""The second opinion on a sentence's language: py3langid, a maintained
naive-Bayes identifier over byte n-grams whose model ships inside the package
(no download, no network), 140 languages including Kazakh, Kyrgyz, Tatar,
Bashkir, Uzbek and Russian.

It is asked only where the rules of :mod:`translate.text.language` cannot
tell (Cyrillic text that is not clearly Kazakh, Latin text that is neither
English nor Latin-script Kazakh), so clean Kazakh and English cost nothing.
The model loads on first use (about 1 s).
"""

from __future__ import annotations

import copy
import threading

# Languages it may answer for Cyrillic text: those written in Cyrillic that a
# Kazakh article may quote. Restricting the model keeps its answers to them
# (a Kyrgyz sentence cannot come out Serbian) and makes it faster.
CYRILLIC = ("kk", "ky", "tt", "ba", "uz", "tg", "mn", "ru", "uk", "be", "bg", "mk", "sr")

_lock = threading.Lock()
_models: dict[str, object] = {}


def _identifier(script: str):
    """One py3langid identifier per script, loaded once (thread-safe)."""
    found = _models.get(script)
    if found is not None:
        return found
    with _lock:
        found = _models.get(script)
        if found is None:
            full = _models.get("any")
            if full is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                full = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                _models["any"] = full
            found = full
            if script == "cyrl":  # the same model, its answers restricted
                found = copy.copy(full)
                found.set_languages(list(CYRILLIC))
                _models[script] = found
    return found


def preload() -> None:
    """Load the model in a background thread: the commands start it before
    the translation model loads, so the first sentence that needs a second
    opinion does not wait for it (about 0.5 s)."""
    if _models.get("cyrl") is not None or not available():
        return

    def load() -> None:
        try:
            _identifier("cyrl")
        except Exception:  # noqa: BLE001 - the first real use reports it
            pass

    threading.Thread(target=load, name="translate-langid", daemon=True).start()


def second_opinion(text: str, script: str = "cyrl") -> tuple[str, float]:
    """py3langid's language code for ``text`` and its probability (0..1);
    ``script="cyrl"`` restricts the answer to :data:`CYRILLIC`, ``"any"`` to
    none."""
    lang, prob = _identifier(script).classify(text)
    return str(lang), float(prob)


def ranked(text: str) -> dict[str, float]:
    """The probability of each language of :data:`CYRILLIC` for ``text``."""
    return {str(k): float(v) for k, v in _identifier("cyrl").rank(text)}


def available() -> bool:
    """Whether py3langid is installed (it is a dependency; a stripped
    environment falls back to the rules alone)."""
    try:
        import py3langid  # noqa: F401
    except ImportError:
        return False
    return True
