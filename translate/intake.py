"""Knowing what came in: a document's language (``--src auto``), the model
input of each sentence and the flags saying how it differs, and the warnings a
document deserves (mojibake, letters lost or typed as Russian ones, most of it
in another language).

Used by :mod:`translate.pipeline` (``run``, ``batch``, the library, the HTTP
service) and by ``translate align``.
"""

from __future__ import annotations

import logging
from collections import Counter

from translate.records import Document, DocumentResult, Flag, Record
from translate.text.language import detect_language, guess_language, language_name
from translate.text.mojibake import REASON as MOJIBAKE
from translate.text.mojibake import has_mojibake
from translate.text.normalize import DocumentWords, normalize_for_model

logger = logging.getLogger("translate")

AUTO = "auto"


def as_kazakh(lang: str) -> str:
    """The ``language`` flag's reason for a sentence in ``lang`` given to the model as Kazakh."""
    return f"looks like {language_name(lang)}, translated as Kazakh"


def translated_from(lang: str) -> str:
    """The reason once the model translated it from its own language."""
    return f"looks like {language_name(lang)}, translated from {language_name(lang)}"


_OTHER = {"kk": "en", "en": "kk"}


def document_direction(doc: Document) -> tuple[str, str]:
    """``(src, tgt)`` for a document of ``--src auto``: Kazakh in any script
    (and other Cyrillic text, whose sentences are flagged) is translated into
    English, English into Kazakh. Says what it found at the info level."""
    lang, confidence, other = detect_language(doc.text[doc.body_start :])
    found = language_name(other or lang)
    logger.info(
        "%s: %s (confidence %.2f): translating %s into %s",
        doc.id,
        found,
        confidence,
        language_name(lang),
        language_name(_OTHER[lang]),
    )
    return lang, _OTHER[lang]


def result_languages(result: DocumentResult, src: str, tgt: str) -> tuple[str, str]:
    """The languages of a document's result: ``src``/``tgt``, or for ``auto``
    those its records were translated with."""
    if src != AUTO:
        return src, tgt
    if result.records:
        return result.records[0].src_lang, result.records[0].tgt_lang
    return "kk", "en"


def prepare_input(
    text: str, src: str, script: str = "auto", context: DocumentWords | None = None
) -> tuple[str, tuple[Flag, ...]]:
    """The model input for a source sentence and the flags saying how it differs.

    ``context`` holds the words of the sentence's document, which settle the
    reading of look-alike letters (о/ө, у/ү) a rule cannot.

    ``normalized``: mojibake, invisible characters, Unicode composition or
    look-alike letters were repaired; ``transliterated``: Latin-script Kazakh
    was given to the model in Cyrillic; ``language``: the sentence looks like
    another language (named: Russian, Kyrgyz, Tatar, Uzbek...).
    """
    norm = normalize_for_model(text, src, script, context)
    flags: list[Flag] = []
    if "transliterated" in norm.changes:
        flags.append(Flag("transliterated", "Latin-script Kazakh given to the model in Cyrillic"))
    other = [c for c in norm.changes if c != "transliterated"]
    if other:
        flags.append(Flag("normalized", "model input repaired: " + ", ".join(other)))
    # the language of what was meant: mojibake is read repaired
    guess = guess_language(norm.text if MOJIBAKE in norm.changes else text)
    if guess and guess != src:
        flags.append(
            Flag(
                "language",
                f"looks like {language_name(guess)}, translated as {language_name(src)}",
            )
        )
    return norm.text, tuple(flags)


def warn_document(doc: Document, src: str, context: DocumentWords | None) -> None:
    """Warnings about how a document's text arrived (once per document)."""
    mojibake = context.mojibake if context is not None else has_mojibake(doc.text)
    if mojibake:
        logger.warning(
            "%s: the text looks like UTF-8 that was read as CP1251 and saved again "
            "(mojibake: 'РђТ›РјРѕР»Р°' for 'Ақмола'); the model gets it repaired (flag "
            "'normalized'), the output keeps the text as read. Ask for the original file "
            "if you can",
            doc.id,
        )
    if context is not None and context.lost_letters:
        logger.warning(
            "%s: Kazakh letters look replaced by '?' (the text went through a code "
            "page without them, such as CP1251); the model gets guesses (about 9 in "
            "10 right on news text) and the output keeps the '?'. Ask for the "
            "original file (UTF-8 or KZ-1048) if you can",
            doc.id,
        )
    if context is not None and context.russian_letters:
        logger.warning(
            "%s: no Kazakh letters (ә ғ қ ң ө ұ ү һ) in this Kazakh text: it looks "
            "typed with Russian letters in their place (а for ә, к for қ); the model "
            "gets the Kazakh letters guessed (about 9 in 10 of the letters that could "
            "be either, on news text), the output keeps the text as given. Use a "
            "version with Kazakh letters if there is one",
            doc.id,
        )


def warn_language(doc: Document, records: tuple[Record, ...], src: str) -> None:
    """Warn when most of a document's sentences are flagged as another
    language, naming it (and what to do about it)."""
    other = Counter(
        f.reason.split(",")[0] for r in records for f in r.flags if f.code == "language"
    )
    if not (records and other):
        return
    what, count = other.most_common(1)[0]
    if count <= len(records) / 2:  # (several languages, none of them most of it: no warning)
        return
    hint = ""
    if "English" in what and src == "kk":
        hint = " (use --src en, or --src auto)"
    elif "Kazakh" in what and src == "en":
        hint = " (use --src kk, or --src auto)"
    elif any(f.reason.startswith(f"{what}, translated from ") for r in records for f in r.flags):
        name = what.removeprefix("looks like ")
        hint = (
            " (this tool is for Kazakh and English: the model translates these sentences "
            f"from {name}, flagged 'language')"
        )
    elif "English" not in what and "Kazakh" not in what:
        hint = (
            " (this tool translates Kazakh and English only: these sentences are flagged"
            f" 'language' and translated as {language_name(src)}, which will be poor)"
        )
    what = what.replace("looks like", "look like", 1)
    logger.warning("%s: most sentences %s%s", doc.id, what, hint)
