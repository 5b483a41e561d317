"""`--model NAME`: a registry model from the model store, the path users take
after `translate models fetch` (TRANSLATE_MODELS_DIR, a snapshot record)."""

import json
import shutil

import pytest
from conftest import SEED

from translate.cli import main
from translate.formats import read_results
from translate.mt.backends import load_translator
from translate.mt.registry import resolve
from translate.mt.translator import TranslationOptions


def store_model(store, name, model, revision):
    """Put ``model`` into the store under a registry name, as `models fetch` leaves it."""
    target = store / name
    shutil.copytree(model, target)
    info = {"name": name, "hub_id": f"hub/{name}", "revision": revision}
    (target / ".translate-snapshot.json").write_text(json.dumps(info), "utf-8")
    return target


@pytest.mark.parametrize(
    "name, fixture, src, tgt, text",
    [
        ("nllb-200-distilled-600M", "tiny_nllb", "kk", "en", None),
        ("opus-mt-en-trk", "tiny_marian_en_trk", "en", "kk", "The governor met the ambassador."),
    ],
)
def test_a_named_model_runs_from_the_store(
    name, fixture, src, tgt, text, request, tmp_path, monkeypatch, capsys
):
    store = tmp_path / "store"
    local = store_model(store, name, request.getfixturevalue(fixture), "0123abcd")
    monkeypatch.setenv("TRANSLATE_MODELS_DIR", str(store))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # nothing may come from the hub
    resolved = resolve(name)
    assert resolved.location == str(local) and resolved.local
    assert resolved.revision == "0123abcd"

    article = SEED if text is None else tmp_path / "in.txt"
    if text is not None:
        article.write_text(text + "\n", "utf-8")
    out = tmp_path / "out.jsonl"
    args = ["run", str(article), "--model", name, "--src", src, "--tgt", tgt]
    assert main([*args, "--beam", "1", "--max-output-tokens", "8", "-q", "-o", str(out)]) == 0
    signature, [result] = read_results(out)
    # the registry's hub id and the snapshot's revision say how the result was made
    assert signature.model == (
        "facebook/nllb-200-distilled-600M"
        if fixture == "tiny_nllb"
        else "Helsinki-NLP/opus-mt-en-trk"
    )
    assert signature.revision == "0123abcd"
    # the registry's language codes reach the model: the same translations as
    # the model loaded by path with the same codes
    tr = load_translator(resolved, TranslationOptions(beam=1, max_output_tokens=8))
    expected = [t.text for t in tr.translate([r.source for r in result.records], src, tgt)]
    assert [r.translation for r in result.records] == expected
    assert sum(map(bool, expected)) > len(expected) // 2  # a random model: mostly words


def test_a_registry_name_not_in_the_store_says_how_to_get_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TRANSLATE_MODELS_DIR", str(tmp_path / "empty"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    code = main(["run", str(SEED), "--model", "opus-mt-trk-en", "-q"])
    err = capsys.readouterr().err
    assert code == 1
    assert "opus-mt-trk-en" in err and "models fetch" in err and "Traceback" not in err


def test_first_use_converts_a_registry_model_once(tiny_nllb, tmp_path, monkeypatch, capsys):
    """The fast path by default: the first run of a registry model converts it
    to CTranslate2 in the store; later runs use the conversion without
    converting again; --backend transformers opts out."""
    store = tmp_path / "store"
    store_model(store, "nllb-200-distilled-600M", tiny_nllb, "0123abcd")
    monkeypatch.setenv("TRANSLATE_MODELS_DIR", str(store))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    name = "nllb-200-distilled-600M"
    args = ["run", str(SEED), "--model", name, "--beam", "1", "--max-output-tokens", "8"]

    assert main([*args, "--backend", "transformers", "-o", str(tmp_path / "hf.jsonl")]) == 0
    assert not (store / f"{name}-ct2-int8").exists()
    err = capsys.readouterr().err
    assert "first use" not in err

    assert main([*args, "-o", str(tmp_path / "first.jsonl")]) == 0
    err = capsys.readouterr().err
    assert "first use of nllb-200-distilled-600M: converting it" in err
    assert "backend auto: ctranslate2" in err
    converted = store / f"{name}-ct2-int8"
    assert (converted / "model.bin").is_file() and (converted / "vmap.txt").is_file()
    assert not list(store.glob(".*.part"))
    signature, [first] = read_results(tmp_path / "first.jsonl")
    assert signature.backend == "ctranslate2"

    assert main([*args, "-o", str(tmp_path / "again.jsonl")]) == 0
    err = capsys.readouterr().err
    assert "first use" not in err and "backend auto: ctranslate2" in err
    _, [again] = read_results(tmp_path / "again.jsonl")
    assert [r.translation for r in again.records] == [r.translation for r in first.records]


def test_first_use_without_enough_memory_says_so_and_goes_on(
    tiny_nllb, tmp_path, monkeypatch, capsys
):
    from translate.mt import firstuse

    store = tmp_path / "store"
    store_model(store, "nllb-200-distilled-600M", tiny_nllb, "0123abcd")
    monkeypatch.setenv("TRANSLATE_MODELS_DIR", str(store))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(firstuse, "_available_memory_gb", lambda: 0.5)
    out = tmp_path / "out.jsonl"
    args = ["run", str(SEED), "--model", "nllb-200-distilled-600M", "--beam", "1"]
    assert main([*args, "--max-output-tokens", "8", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "not converting nllb-200-distilled-600M" in err and "memory" in err
    assert "using transformers" in err
    assert read_results(out)[0].backend == "transformers"
    assert not (store / "nllb-200-distilled-600M-ct2-int8").exists()
