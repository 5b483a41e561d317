"""Hugging Face transformers backend (NLLB/M2M100, Marian, T5/MADLAD-400).

Loads weights from safetensors unless pickle is allowed, never runs remote
code unless asked, and turns every loading failure into a short message.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from translate.errors import ModelError, ModelNotAvailableError, UnsafeModelError
from translate.mt.devices import cpu_threads
from translate.mt.families import (
    DEFAULT_CODES,
    TokenizerLanguages,
    detect_family,
)
from translate.mt.model_files import (
    _hub_generation_config,
    check_model_dir,
)
from translate.mt.options import repetition_settings
from translate.mt.registry import ResolvedModel, hub_reachable, offline_mode
from translate.mt.translator import Generated, ModelTranslator, TranslationOptions

logger = logging.getLogger("translate")


def _offline_message(
    model: ResolvedModel,
    exc: BaseException,
    local_use: str = "translate run ARTICLE --model /path/to/model",
) -> str:
    import os

    name = model.info.name if model.info else model.location
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if offline_mode():
        # offline by the user's choice: the cache was the only place looked in
        try:
            from huggingface_hub import constants

            cache = constants.HF_HUB_CACHE
        except ImportError:  # pragma: no cover - transformers depends on it
            cache = os.environ.get("HF_HOME") or "~/.cache/huggingface"
        last = (
            "  - or, if it is in another Hugging Face cache, point HF_HOME there "
            f"({cache} was looked in)"
        )
        where = "is not in the Hugging Face cache (HF_HUB_OFFLINE is set)"
    else:
        last = "  - or, if it is in the Hugging Face cache already, set HF_HUB_OFFLINE=1"
        where = "is not available locally and could not be downloaded"
    return (
        f"model {model.location!r} {where} ({detail[:200]}).\n"
        "To proceed, either:\n"
        f"  - download it once where the hub is reachable: translate models fetch {name}\n"
        f"  - or pass a local directory: {local_use}\n" + last
    )


class TransformersTranslator(TokenizerLanguages, ModelTranslator):
    backend = "transformers"

    def __init__(self, model: ResolvedModel, options: TranslationOptions):
        import torch
        from transformers import AutoConfig, AutoModelForSeq2SeqLM, AutoTokenizer

        self.model_ref = model
        kwargs: dict[str, object] = {"trust_remote_code": options.trust_remote_code}
        if model.revision and not model.local:
            kwargs["revision"] = model.revision
        if model.local:
            check_model_dir(Path(model.location), options.allow_pickle)
        else:
            _hub_generation_config(model)  # when cached: checked before transformers reads it
            if not hub_reachable():
                # No network: use the Hugging Face cache only, instead of retrying for half a minute.
                kwargs["local_files_only"] = True
        try:
            config = AutoConfig.from_pretrained(model.location, **kwargs)
            tokenizer = AutoTokenizer.from_pretrained(model.location, **kwargs)
            weights_kwargs = dict(kwargs)
            if not options.allow_pickle:
                weights_kwargs["use_safetensors"] = True
            net = AutoModelForSeq2SeqLM.from_pretrained(model.location, **weights_kwargs)
        except (ModelError, KeyboardInterrupt):
            raise
        except Exception as exc:  # transformers/hub raise OSError, ValueError, HTTP errors...
            text = str(exc)
            if not model.local and ("safetensors" in text.lower() and "pytorch_model" in text):
                raise UnsafeModelError(
                    f"{model.location} publishes only pickle weights; pass --allow-pickle if you "
                    "trust it, or use a safetensors copy"
                ) from exc
            if not model.local:
                raise ModelNotAvailableError(_offline_message(model, exc)) from exc
            raise ModelError(
                f"cannot load the model in {model.location}: {text.splitlines()[0] if text else exc!r}"
            ) from exc

        if not model.local:
            _hub_generation_config(model)  # downloaded just now
        tokenizer_class = type(tokenizer).__name__
        self.family = (
            model.info.family if model.info else detect_family(config.model_type, tokenizer_class)
        )
        self.codes = dict(model.info.languages) if model.info else dict(DEFAULT_CODES[self.family])
        self.vocab = set(tokenizer.get_vocab())

        device = options.device
        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        if device == "cuda" and not torch.cuda.is_available():
            raise ModelError("--device cuda was asked for but no CUDA GPU is available")
        self.device = device
        self.threads = None
        if device == "cuda":
            self.dtype = torch.bfloat16 if options.compute_type == "bfloat16" else torch.float16
        else:
            self.dtype = torch.float32
            # torch starts with the physical core count (or OMP_NUM_THREADS), not
            # this process's CPUs or --threads; its intra-op pool is per process,
            # so it is set once, at load.
            self.threads = cpu_threads(options.threads)
            if torch.get_num_threads() != self.threads:
                torch.set_num_threads(self.threads)
        self.torch = torch
        self.tokenizer = tokenizer
        self.net = net.to(device=device, dtype=self.dtype).eval()

        max_in = model.info.max_input_tokens if model.info else _limit(tokenizer, config)
        max_out = model.info.max_output_tokens if model.info else _limit(tokenizer, config)
        super().__init__(options, max_in, max_out)

    def generate(
        self, texts: Sequence[str], src: str, tgt: str, max_new_tokens: int
    ) -> list[Generated]:
        torch = self.torch
        setup = self._setup(src, tgt)
        enc = self.tokenizer(
            [setup.source_prefix + t for t in texts], return_tensors="pt", padding=True
        ).to(self.device)
        beam = self.options.beam
        recorder = _ScoreRecorder(torch, beam)
        gen_kwargs: dict[str, object] = {
            "max_new_tokens": max_new_tokens,
            "num_beams": beam,
            "do_sample": False,
            "return_dict_in_generate": True,
            # Not output_scores: it keeps a (rows x vocabulary) tensor per step,
            # gigabytes for NLLB's 256k vocabulary; the recorder keeps the top few.
            "logits_processor": _processor_list([recorder]),
            # Marian configs force </s> at the length limit, which would hide a cut:
            # let the limit show (and be flagged) instead.
            "forced_eos_token_id": None,
            # Given always, so a model's generation config cannot differ from CTranslate2.
            "no_repeat_ngram_size": self.options.no_repeat_ngram_size,
            "repetition_penalty": self.options.repetition_penalty,
        }
        if self.force_length:
            gen_kwargs["min_new_tokens"] = max_new_tokens
        if setup.forced_bos_token is not None:
            gen_kwargs["forced_bos_token_id"] = self.tokenizer.convert_tokens_to_ids(
                setup.forced_bos_token
            )
        with torch.inference_mode():
            out = self.net.generate(**enc, **gen_kwargs)
            trans = recorder.token_scores(out.sequences, getattr(out, "beam_indices", None))
        seqs = out.sequences[:, 1:].cpu()  # drop the decoder start token; one copy off the GPU
        pad = self.tokenizer.pad_token_id
        eos = self.tokenizer.eos_token_id
        skip_first = setup.forced_bos_token is not None
        results = []
        texts_out = self.tokenizer.batch_decode(seqs, skip_special_tokens=True)
        for row, text in enumerate(texts_out):
            ids = seqs[row].tolist()
            n = len(ids)
            while n and ids[n - 1] == pad:
                n -= 1
            ended = n > 0 and ids[n - 1] == eos
            content = n - (1 if ended else 0) - (1 if skip_first else 0)
            hit = n >= max_new_tokens
            s = trans[row, (1 if skip_first else 0) : n].float()
            s = s[torch.isfinite(s)]
            score = float(s.mean()) if s.numel() else None
            results.append(Generated(text=text, score=score, length=max(0, content), hit_limit=hit))
        return results

    def is_out_of_memory(self, exc: BaseException) -> bool:
        return isinstance(exc, self.torch.cuda.OutOfMemoryError)

    def release_memory(self) -> None:
        if self.device == "cuda":
            import gc

            gc.collect()  # tensors caught in reference cycles, before the cache is emptied
            self.torch.cuda.empty_cache()

    def describe(self) -> dict[str, object]:
        return {
            "model": self.model_ref.model_id,
            "revision": self.model_ref.revision,
            "backend": self.backend,
            "device": self.device,
            "dtype": str(self.dtype).replace("torch.", ""),
            "family": self.family,
            "threads": self.threads,  # None on CUDA
            "beam": self.options.beam,
            "max_input_tokens": self.max_input_tokens,
            "max_output_tokens": self.max_output_tokens,
            **repetition_settings(self.options),
        }


def _processor_list(items):
    from transformers import LogitsProcessorList

    return LogitsProcessorList(items)


class _ScoreRecorder:
    """A logits processor (run last) that keeps, per decoding step and row, the
    top ``2 x beam`` log-probabilities: enough to know the score of every token
    beam search or greedy search can choose, in a few kilobytes.

    transformers calls it at every step; :meth:`token_scores` then gives the
    same numbers as ``compute_transition_scores`` on full scores.
    """

    def __init__(self, torch, beam: int):
        self.torch = torch
        self.beam = beam
        self.k = max(1, 2 * beam)
        self.steps: list[tuple[object, object]] = []

    def __call__(self, input_ids, scores):
        torch = self.torch
        logp = scores if self.beam > 1 else torch.log_softmax(scores.float(), dim=-1)
        values, indices = torch.topk(logp.float(), min(self.k, logp.shape[-1]), dim=-1)
        self.steps.append((values, indices))
        return scores

    def token_scores(self, sequences, beam_indices):
        """Log-probability of each generated token (``-inf`` where unknown): rows x
        steps, on the CPU (worked out on the model's device, then moved once)."""
        torch = self.torch
        rows, steps = sequences.shape[0], len(self.steps)
        device = sequences.device
        out = torch.full((rows, steps), float("-inf"), device=device)
        start = sequences.shape[1] - steps if beam_indices is None else 1
        for t, (values, indices) in enumerate(self.steps):
            pos = start + t
            if pos >= sequences.shape[1]:
                break
            tok = sequences[:, pos]
            if beam_indices is None:
                src_rows = torch.arange(rows, device=device)
            else:
                if t >= beam_indices.shape[1]:
                    break
                src_rows = beam_indices[:, t]
            ok = src_rows >= 0
            safe = src_rows.clamp(min=0)
            hit = indices[safe] == tok[:, None]
            found = hit.any(dim=-1) & ok
            val = torch.where(hit, values[safe], torch.zeros_like(values[safe])).sum(dim=-1)
            out[found, t] = val[found]
        return out.cpu()


def _limit(tokenizer, config) -> int:
    n = getattr(tokenizer, "model_max_length", None)
    if isinstance(n, int) and 0 < n < 100_000:
        return n
    n = getattr(config, "max_position_embeddings", None)
    return int(n) if n else 512


def load(model: ResolvedModel, options: TranslationOptions) -> TransformersTranslator:
    if options.trust_remote_code:
        logger.warning("trust_remote_code is on: code shipped with %s may run", model.location)
    return TransformersTranslator(model, options)
