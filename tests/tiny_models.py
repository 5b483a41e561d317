"""Build tiny random models of the real architectures, in the Hugging Face
layout a user downloads, from a sentencepiece model trained on shipped text.

The weights are random (``init_std`` large enough that different inputs give
different outputs), the tokenizers and model classes are the real ones.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

CORPUS = Path(__file__).parent / "data" / "corpus.txt"

SMALL = dict(
    d_model=64,
    encoder_layers=2,
    decoder_layers=2,
    encoder_attention_heads=4,
    decoder_attention_heads=4,
    encoder_ffn_dim=128,
    decoder_ffn_dim=128,
    max_position_embeddings=256,
    init_std=1.0,  # large enough that different inputs give different outputs
)


def _train_spm(prefix: Path, model_type: str, **ids: int) -> Path:
    import sentencepiece as spm

    try:
        sys.stderr.fileno()
        quiet = {"logstream": open(os.devnull, "w")}  # noqa: SIM115
    except (AttributeError, OSError, ValueError):  # stderr captured in memory
        quiet = {}
    try:
        spm.SentencePieceTrainer.train(
            input=str(CORPUS),
            model_prefix=str(prefix),
            vocab_size=300,
            model_type=model_type,
            character_coverage=1.0,
            hard_vocab_limit=False,
            **quiet,
            **ids,
        )
    finally:
        if quiet:
            quiet["logstream"].close()
    return prefix.with_suffix(".model")


def build_nllb(out: Path, seed: int = 0) -> Path:
    """NLLB-200 layout: sentencepiece.bpe.model + tokenizer config + M2M100 weights."""
    import torch
    from transformers import AutoTokenizer, M2M100Config, M2M100ForConditionalGeneration
    from transformers.models.nllb.tokenization_nllb import FAIRSEQ_LANGUAGE_CODES

    out.mkdir(parents=True, exist_ok=True)
    sp = _train_spm(out / "_sp", "bpe", bos_id=0, pad_id=1, eos_id=2, unk_id=3)
    shutil.move(sp, out / "sentencepiece.bpe.model")
    (out / "_sp.vocab").unlink()
    (out / "tokenizer_config.json").write_text(
        json.dumps(
            {
                "tokenizer_class": "NllbTokenizer",
                "src_lang": "eng_Latn",
                "model_max_length": 128,
                "additional_special_tokens": list(FAIRSEQ_LANGUAGE_CODES),
            }
        )
    )
    tok = AutoTokenizer.from_pretrained(out)
    torch.manual_seed(seed)
    cfg = M2M100Config(
        vocab_size=len(tok),
        pad_token_id=tok.pad_token_id,
        bos_token_id=tok.bos_token_id,
        eos_token_id=tok.eos_token_id,
        decoder_start_token_id=tok.eos_token_id,
        scale_embedding=True,
        **SMALL,
    )
    M2M100ForConditionalGeneration(cfg).save_pretrained(out)
    tok.save_pretrained(out)
    return out


def build_marian(out: Path, target_token: str | None = None, seed: int = 1) -> Path:
    """OPUS-MT layout: source.spm, target.spm, vocab.json + Marian weights.

    With ``target_token`` (e.g. ``>>kaz_Cyrl<<``) the model is multi-target
    like ``opus-mt-en-trk``; without it, single-target like ``opus-mt-trk-en``.
    """
    import sentencepiece as spm
    import torch
    from transformers import AutoTokenizer, MarianConfig, MarianMTModel

    out.mkdir(parents=True, exist_ok=True)
    extra = {"user_defined_symbols": [target_token, ">>tur<<"]} if target_token else {}
    sp = _train_spm(out / "_sp", "unigram", bos_id=-1, pad_id=-1, eos_id=1, unk_id=0, **extra)
    shutil.copy(sp, out / "source.spm")
    shutil.move(sp, out / "target.spm")
    (out / "_sp.vocab").unlink()
    proc = spm.SentencePieceProcessor(model_file=str(out / "source.spm"))
    vocab = {proc.id_to_piece(i): i for i in range(proc.get_piece_size())}
    vocab["<pad>"] = len(vocab)
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False))
    (out / "tokenizer_config.json").write_text(
        json.dumps(
            {
                "tokenizer_class": "MarianTokenizer",
                "model_max_length": 128,
                "separate_vocabs": False,
            }
        )
    )
    tok = AutoTokenizer.from_pretrained(out)
    torch.manual_seed(seed)
    cfg = MarianConfig(
        vocab_size=len(tok),
        pad_token_id=tok.pad_token_id,
        eos_token_id=tok.eos_token_id,
        decoder_start_token_id=tok.pad_token_id,
        forced_eos_token_id=tok.eos_token_id,
        **SMALL,
    )
    MarianMTModel(cfg).save_pretrained(out)
    return out


def build_t5(out: Path, seed: int = 2) -> Path:
    """MADLAD-400 style: spiece.model with <2xx> tokens + T5 weights."""
    import torch
    from transformers import AutoTokenizer, T5Config, T5ForConditionalGeneration

    out.mkdir(parents=True, exist_ok=True)
    sp = _train_spm(
        out / "_sp",
        "unigram",
        bos_id=-1,
        pad_id=0,
        eos_id=1,
        unk_id=2,
        user_defined_symbols=["<2en>", "<2kk>"],
    )
    shutil.move(sp, out / "spiece.model")
    (out / "_sp.vocab").unlink()
    (out / "tokenizer_config.json").write_text(
        json.dumps({"tokenizer_class": "T5Tokenizer", "extra_ids": 0, "model_max_length": 128})
    )
    tok = AutoTokenizer.from_pretrained(out)
    torch.manual_seed(seed)
    cfg = T5Config(
        vocab_size=len(tok),
        d_model=64,
        d_kv=16,
        d_ff=128,
        num_layers=2,
        num_heads=4,
        pad_token_id=tok.pad_token_id,
        eos_token_id=tok.eos_token_id,
        decoder_start_token_id=tok.pad_token_id,
        initializer_factor=3.0,
    )
    T5ForConditionalGeneration(cfg).save_pretrained(out)
    tok.save_pretrained(out)
    return out
