"""The transformers (torch) backends: loading a checkpoint safely, and running it with ``generate``.

Loading refuses, before transformers runs anything, what the safety flags do not allow: pickle
weights (unless ``allow_pickle``) and code from the model's folder (unless ``trust_remote_code``;
IndicTrans2 runs on :mod:`translate.backends.indictrans` instead, whatever the flag says).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import ModelError
from . import indictrans
from .base import Seq2SeqSummarizationBackend, Seq2SeqTranslationBackend, input_prefix
from .checkpoint import check_marian
from .generation import Decoding, checkpoint_settings
from .vocabulary import VocabularySlice

#: Files a tokenizer is read from (one at least must be in a model folder).
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "vocab.json", "vocab.txt", "*.model", "*.spm", "model.SRC")


def resolve_device(device: str) -> str:
    """``"auto"`` -> ``"cuda"`` when a GPU is available, else ``"cpu"``; other values unchanged."""
    if device != "auto":
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def check_loadable(path: Path, *, trust_remote_code: bool, allow_pickle: bool) -> None:
    """Refuse, before transformers runs anything, what the safety flags do not allow."""
    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: cannot read config.json: {exc}") from exc
    # IndicTrans2 folders name their repository code in auto_map, but run on this tool's own classes.
    if config.get("auto_map") and not trust_remote_code and not indictrans.is_indictrans(path):
        raise ModelError(
            f"{path}: this model runs Python code from its folder; pass --trust-remote-code "
            "(trust_remote_code=True) if you trust it"
        )
    # transformers 5 quietly builds an empty tokenizer for a folder without tokenizer files.
    if not any(any(path.glob(pattern)) for pattern in TOKENIZER_FILES):
        raise ModelError(f"{path}: no tokenizer files ({', '.join(TOKENIZER_FILES)})")
    if not allow_pickle and not any(path.glob("*.safetensors")) and any(path.glob("*.bin")):
        raise ModelError(
            f"{path}: only pickle weights (*.bin), which can run code when loaded; convert them to "
            "safetensors, or pass --allow-pickle (allow_pickle=True) if you trust the folder"
        )
    check_marian(path)


def _own_code(path: Path, trust_remote_code: bool) -> bool:
    """Whether ``path`` is loaded with this tool's own classes (IndicTrans2); registers them.
    Repository code is then never run, whatever ``trust_remote_code`` says."""
    if indictrans.is_indictrans(path):
        indictrans.register()
        return True
    return False


def load_tokenizer(folder: Path, *, trust_remote_code: bool, allow_pickle: bool) -> Any:
    """Load the tokenizer in ``folder`` after the safety checks (see :func:`load_seq2seq`).

    The CTranslate2 backends need only this from the transformers folder.
    """
    check_loadable(folder, trust_remote_code=trust_remote_code, allow_pickle=allow_pickle)
    try:
        if _own_code(folder, trust_remote_code):
            return indictrans.load_tokenizer(folder)
        from transformers import AutoTokenizer

        return AutoTokenizer.from_pretrained(folder, trust_remote_code=trust_remote_code)
    except ModelError:
        raise
    except Exception as exc:  # transformers raises many types (OSError, ValueError, KeyError...)
        raise _load_error(folder, exc) from exc


def load_config(folder: Path, *, trust_remote_code: bool) -> Any:
    """The transformers config in ``folder`` (architecture, window) without loading weights."""
    from transformers import AutoConfig

    try:
        own = _own_code(folder, trust_remote_code)
        return AutoConfig.from_pretrained(folder, trust_remote_code=trust_remote_code and not own)
    except Exception as exc:  # as above
        raise _load_error(folder, exc) from exc


def _load_error(path: Path, exc: Exception) -> ModelError:
    reason = " ".join(str(exc).split())  # one line: the CLI prints errors on one line
    return ModelError(f"{path}: cannot load the model: {type(exc).__name__}: {reason}")


def load_seq2seq(
    folder: Path, *, device: str, trust_remote_code: bool, allow_pickle: bool
) -> tuple[Any, Any]:
    """Load the tokenizer and sequence-to-sequence model in ``folder`` (eval mode, on ``device``).

    Weights load from safetensors only unless ``allow_pickle``; repository code runs only with
    ``trust_remote_code`` (and never for IndicTrans2, which runs on :mod:`translate.backends.indictrans`).
    Any failure is a :class:`ModelError` naming the folder and the reason.
    """
    tokenizer = load_tokenizer(folder, trust_remote_code=trust_remote_code, allow_pickle=allow_pickle)
    from transformers import AutoModelForSeq2SeqLM

    try:
        own = _own_code(folder, trust_remote_code)
        model = AutoModelForSeq2SeqLM.from_pretrained(
            folder,
            trust_remote_code=trust_remote_code and not own,
            use_safetensors=None if allow_pickle else True,
            dtype=load_dtype(device),
        )
        model.to(device).eval()
    except Exception as exc:  # transformers raises many types (OSError, ValueError, KeyError...)
        raise _load_error(folder, exc) from exc
    return tokenizer, model


def load_dtype(device: str) -> Any:
    """The weight type a model loads in on ``device``: float32 on the CPU, whatever the checkpoint
    stores (HPLT's weights are float16, in which a CPU computes slowly and not as CTranslate2 does),
    else the checkpoint's own (``"auto"``)."""
    if str(device).startswith("cpu"):
        import torch

        return torch.float32
    return "auto"


def take_over_length_limits(model: Any) -> None:
    """Drop the checkpoint's own ``max_length``/``min_length`` (NLLB ships 200, distilbart 142/56)
    from the loaded model: the backends pass ``min_new_tokens``/``max_new_tokens`` on every call
    (see :mod:`translate.backends.generation`), and transformers warns on every call when both are set."""
    model.generation_config.max_length = None
    model.generation_config.min_length = None


class TransformersModel:
    """Loading and holding a transformers checkpoint: what the translation and the summarization
    backends of the transformers kind share. Put it first among the bases, before the backend's
    Seq2Seq class, whose ``__init__(tokenizer, config, **options)`` it calls."""

    backend_name = "transformers"
    #: The task whose ``task_specific_params`` apply (None: none).
    task: str | None = None

    def __init__(self, tokenizer: Any, model: Any, **options: Any):
        super().__init__(tokenizer, model.config, **options)
        self.model = model
        take_over_length_limits(model)
        ids = getattr(self, "output_vocabulary", None)
        #: The output projection sliced to the English pieces (translation of NLLB), else None.
        self.slice = VocabularySlice(ids) if ids is not None else None
        if self.slice is not None:
            self.slice.apply(model)

    @classmethod
    def from_pretrained(
        cls,
        folder: Path,
        *,
        device: str = "auto",
        trust_remote_code: bool = False,
        allow_pickle: bool = False,
        **options: Any,
    ):
        """Load the model in ``folder`` (see :func:`load_seq2seq`) and wrap it."""
        tokenizer, model = load_seq2seq(
            folder, device=resolve_device(device), trust_remote_code=trust_remote_code, allow_pickle=allow_pickle
        )
        return cls(tokenizer, model, settings=checkpoint_settings(folder, cls.task), **options)

    @property
    def device(self) -> str:
        return str(self.model.device)

    def generate(self, inputs: Any, decoding: Decoding) -> list[list[int]]:
        """Beam search with ``decoding``'s settings (deterministic); the best output's token ids."""
        return [found[0][0] for found in self.generate_hypotheses(inputs, decoding.with_hypotheses(1))]

    def generate_hypotheses(self, inputs: Any, decoding: Decoding) -> list[list[tuple[list[int], float | None]]]:
        """Per input, ``decoding.hypotheses`` outputs, best first, as token ids with their mean token
        log-probability (beam search: transformers' ``sequences_scores`` with the checkpoint's length
        penalty; greedy: the log-probabilities of the chosen tokens, averaged)."""
        import torch

        kwargs = decoding.generate_kwargs()
        if self.slice is not None:  # the decoder reads and writes sliced ids
            for key in ("forced_bos_token_id", "forced_eos_token_id"):
                kwargs[key] = self.slice.small(kwargs[key])
            kept = [self.slice.position[t] for t in kwargs["suppress_tokens"] or [] if t in self.slice.position]
            kwargs["suppress_tokens"] = kept or None
        with torch.inference_mode():
            output = self.model.generate(**inputs, **kwargs, output_scores=True, return_dict_in_generate=True)
            sequences = output.sequences
            if getattr(output, "sequences_scores", None) is not None:
                scores = output.sequences_scores.tolist()
            else:
                steps = self.model.compute_transition_scores(sequences, output.scores, normalize_logits=True)
                finite = torch.isfinite(steps) & (steps != 0)
                counts = finite.sum(dim=1).clamp(min=1)
                scores = (torch.where(finite, steps, torch.zeros_like(steps)).sum(dim=1) / counts).tolist()
            if self.slice is not None:
                sequences = self.slice.full(sequences)
        ids = sequences.tolist()
        n = decoding.hypotheses
        return [[(ids[i * n + k], scores[i * n + k]) for k in range(n)] for i in range(len(ids) // n)]


class TransformersTranslationBackend(TransformersModel, Seq2SeqTranslationBackend):
    """Runs a transformers sequence-to-sequence checkpoint with torch: preprocess -> forward -> postprocess."""

    def preprocess(self, texts: list[str]) -> Any:
        """Tokenize one batch into padded tensors on the model's device (never truncates)."""
        with self.tokenizer_lock:
            inputs = self.tokenizer(list(texts), padding=True, truncation=False, return_tensors="pt")
        return inputs.to(self.model.device)

    def forward(self, inputs: Any, decoding: Decoding) -> list[list[int]]:
        """Generate (beam search, no sampling: deterministic) and return the output token ids."""
        return self.generate(inputs, decoding)

    def forward_hypotheses(self, inputs: Any, decoding: Decoding) -> list[list[tuple[list[int], float | None]]]:
        """As :meth:`forward`, with ``decoding.hypotheses`` outputs per input and their scores."""
        return self.generate_hypotheses(inputs, decoding)


class TransformersSummarizationBackend(TransformersModel, Seq2SeqSummarizationBackend):
    """Runs a transformers summarization checkpoint with torch: preprocess -> forward -> postprocess."""

    task = "summarization"

    @classmethod
    def from_pretrained(cls, folder: Path, **options: Any):
        """Load ``folder`` with the checkpoint's input prefix (see :func:`input_prefix`)."""
        config = load_config(folder, trust_remote_code=options.get("trust_remote_code", False))
        return super().from_pretrained(folder, prefix=input_prefix(folder, config), **options)

    def preprocess(self, texts: list[str]) -> Any:
        """Tokenize into padded tensors on the model's device (never truncates)."""
        with self.tokenizer_lock:
            inputs = self.tokenizer([self.prefix + t for t in texts], padding=True, truncation=False, return_tensors="pt")
        return inputs.to(self.model.device)

    def forward(self, inputs: Any, decoding: Decoding) -> list[list[int]]:
        """Beam search without sampling (deterministic); returns the output token ids."""
        return self.generate(inputs, decoding)
