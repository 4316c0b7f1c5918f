"""IndicTrans2 (ai4bharat/indictrans2-indic-en-*) on transformers 5, without the repository's code.

The hub repository ships its own Python (``modeling_indictrans.py`` ...), which imports
``transformers.onnx``, gone in transformers 5 (AI4Bharat/IndicTrans2#128, #130;
VarunGumma/IndicTransToolkit#29), and which this tool would rather not run anyway. The network is
a fairseq ``transformer_base18L``: pre-norm layers with a final layer norm, a layer norm after the
embeddings, sqrt(d)-scaled embeddings, fairseq sinusoidal positions, and separate source and target
vocabularies. transformers' mBART has exactly that shape but for the positions and the shared
vocabulary, so:

* :class:`IndicTransConfig` reads the repository's ``config.json`` (``model_type: IndicTrans``) and
  is an ``MBartConfig``; registered with ``AutoConfig``, so the repository's ``auto_map`` is never
  followed (no ``--trust-remote-code``).
* :class:`IndicTransForConditionalGeneration` is ``MBartForConditionalGeneration`` with its own
  source embedding (``encoder_vocab_size`` rows, the decoder keeps ``decoder_vocab_size``), no weight
  tying, and the position table filled with fairseq's sinusoids (the checkpoint has none: they are
  computed). The checkpoint's weight names are mBART's names, so it loads by name. mBART numbers
  positions from the first token, fairseq from the first non-pad token: inputs are padded on the
  right, where the two agree.
* :class:`IndicTransTokenizer` reads ``model.SRC`` (sentencepiece) and ``dict.SRC.json`` for the
  source, ``dict.TGT.json`` to decode: ``"hin_Deva eng_Latn <pieces>"`` then ``</s>``.
* :class:`Processor` wraps IndicTransToolkit's ``IndicProcessor`` (normalisation, placeholders for
  numbers/URLs/e-mails, the language tags; detokenisation and placeholder restoring afterwards), as
  the model card requires.

The CTranslate2 converter gets a loader for :class:`IndicTransConfig` (:func:`register_ct2_loader`),
as CTranslate2's own loaders are registered: mBART's, with separate source and target vocabularies.
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
import sys
import threading
import types
import unicodedata
from pathlib import Path
from typing import Any

from ..errors import ModelError

MODEL_TYPE = "IndicTrans"
VOCAB_FILES = {"src_vocab_file": "dict.SRC.json", "tgt_vocab_file": "dict.TGT.json",
               "src_spm_file": "model.SRC", "tgt_spm_file": "model.TGT"}
INSTALL_HINT = "pip install 'hindi-brief[indictrans2]' (IndicTransToolkit)"
_registered = False


def sinusoidal_positions(rows: int, dim: int, padding_idx: int = 1):
    """fairseq's sinusoidal position table (sines then cosines, the padding row zero)."""
    import torch

    half = dim // 2
    step = math.log(10000) / (half - 1)
    frequencies = torch.exp(torch.arange(half, dtype=torch.float32) * -step)
    angles = torch.arange(rows, dtype=torch.float32).unsqueeze(1) * frequencies.unsqueeze(0)
    table = torch.cat([torch.sin(angles), torch.cos(angles)], dim=1)
    if dim % 2:
        table = torch.cat([table, torch.zeros(rows, 1)], dim=1)
    table[padding_idx] = 0
    return table


def register() -> None:
    """Register the config, model and tokenizer classes with transformers' Auto classes (once)."""
    global _registered
    if _registered:
        return
    from transformers import AutoConfig, AutoModelForSeq2SeqLM, AutoTokenizer

    config_class, model_class, tokenizer_class = _classes()
    AutoConfig.register(MODEL_TYPE, config_class, exist_ok=True)
    AutoModelForSeq2SeqLM.register(config_class, model_class, exist_ok=True)
    AutoTokenizer.register(config_class, slow_tokenizer_class=tokenizer_class, exist_ok=True)
    _registered = True


_CLASSES: tuple[Any, Any, Any] | None = None


def _classes() -> tuple[Any, Any, Any]:
    """The three classes, built on first use (transformers and torch are imported only then)."""
    global _CLASSES
    if _CLASSES is None:
        _CLASSES = _build_classes()
    return _CLASSES


def _build_classes() -> tuple[Any, Any, Any]:
    import sentencepiece
    import torch
    from torch import nn
    from transformers import MBartConfig, MBartForConditionalGeneration, PreTrainedTokenizer
    from transformers.models.mbart.modeling_mbart import MBartLearnedPositionalEmbedding, MBartScaledWordEmbedding

    class IndicTransConfig(MBartConfig):
        """The repository's config.json as an mBART config (see the module docstring)."""

        model_type = MODEL_TYPE
        encoder_vocab_size: int | None = None
        decoder_vocab_size: int | None = None
        encoder_embed_dim: int = 512
        decoder_embed_dim: int = 512
        max_source_positions: int = 256
        max_target_positions: int = 256
        encoder_normalize_before: bool = True
        decoder_normalize_before: bool = True
        layernorm_embedding: bool = True
        share_decoder_input_output_embed: bool = False

        def __post_init__(self, **kwargs):
            if not (self.encoder_normalize_before and self.decoder_normalize_before and self.layernorm_embedding):
                raise ValueError("only pre-norm IndicTrans models with layernorm_embedding (the distilled ones) are supported")
            if self.encoder_embed_dim != self.decoder_embed_dim:
                raise ValueError("encoder_embed_dim and decoder_embed_dim differ")
            self.vocab_size = self.decoder_vocab_size or self.vocab_size
            self.encoder_vocab_size = self.encoder_vocab_size or self.vocab_size
            self.d_model = self.encoder_embed_dim
            self.max_position_embeddings = max(self.max_source_positions, self.max_target_positions)
            self.tie_word_embeddings = False  # the source and target vocabularies differ
            self.forced_eos_token_id = None
            super().__post_init__(**kwargs)

    class IndicTransForConditionalGeneration(MBartForConditionalGeneration):
        """mBART with a source embedding of its own and fairseq's sinusoidal positions."""

        config_class = IndicTransConfig
        _tied_weights_keys: dict[str, str] = {}
        _keys_to_ignore_on_load_missing = ["final_logits_bias", r"embed_positions\.weight", r"model\.shared\.weight"]

        def __init__(self, config):
            super().__init__(config)
            scale = math.sqrt(config.d_model) if config.scale_embedding else 1.0
            self.model.encoder.embed_tokens = MBartScaledWordEmbedding(
                config.encoder_vocab_size, config.d_model, config.pad_token_id, embed_scale=scale)
            self.model.shared = self.model.decoder.embed_tokens
            self.reset_positions()

        def reset_positions(self) -> None:
            """Fill both position tables with fairseq's sinusoids (they are not in the checkpoint)."""
            for module in (self.model.encoder.embed_positions, self.model.decoder.embed_positions):
                table = sinusoidal_positions(module.num_embeddings, module.embedding_dim)
                with torch.no_grad():
                    if module.weight.is_meta:
                        module.weight = nn.Parameter(table, requires_grad=False)
                    else:
                        module.weight.copy_(table.to(module.weight.dtype))

        def _init_weights(self, module):
            super()._init_weights(module)
            if isinstance(module, MBartLearnedPositionalEmbedding) and not module.weight.is_meta:
                with torch.no_grad():
                    module.weight.copy_(sinusoidal_positions(module.num_embeddings, module.embedding_dim))

        @classmethod
        def from_pretrained(cls, *args, **kwargs):
            """Load, fill the positions, and tie back an output layer or decoder embedding stored once.

            A pickle that stores the output layer and the decoder embedding as one tensor (fairseq's
            ``share_decoder_input_output_embed``) keeps it under one of its names when made safe
            (``weights.py`` keeps the first name of a shared tensor): transformers would then start the
            other from random numbers and the model would write garbage. The missing one is tied to the
            one present when the config says the two are shared; otherwise the checkpoint is refused."""
            wanted_info = kwargs.pop("output_loading_info", False)
            model, info = super().from_pretrained(*args, output_loading_info=True, **kwargs)
            model.reset_positions()
            missing = info.get("missing_keys") or set()
            names = {"lm_head.weight": model.lm_head, "model.decoder.embed_tokens.weight": model.model.decoder.embed_tokens}
            absent = [name for name in names if name in missing]
            if absent:
                if len(absent) == 2 or not model.config.share_decoder_input_output_embed:
                    raise ValueError(
                        f"the checkpoint has no {' and no '.join(absent)} and its config does not share the output layer "
                        "with the decoder embedding (share_decoder_input_output_embed): it cannot translate")
                (present,) = set(names) - set(absent)
                names[absent[0]].weight = names[present].weight
                info["missing_keys"] = type(missing)(key for key in missing if key not in absent)
            return (model, info) if wanted_info else model

    class IndicTransTokenizer(PreTrainedTokenizer):
        """Source: language tags + ``model.SRC`` pieces mapped by ``dict.SRC.json``, then ``</s>``;
        decoding maps ids through ``dict.TGT.json``. Pads on the right (see the module docstring)."""

        vocab_files_names = VOCAB_FILES
        model_input_names = ["input_ids", "attention_mask"]

        def __init__(self, src_vocab_file, tgt_vocab_file, src_spm_file, tgt_spm_file, bos_token="<s>",
                     eos_token="</s>", pad_token="<pad>", unk_token="<unk>", **kwargs):
            self.source = json.loads(Path(src_vocab_file).read_text(encoding="utf-8"))
            self.target = json.loads(Path(tgt_vocab_file).read_text(encoding="utf-8"))
            self.target_tokens = {index: token for token, index in self.target.items()}
            self.source_tokens = {index: token for token, index in self.source.items()}
            self.spm = sentencepiece.SentencePieceProcessor(model_file=str(src_spm_file))
            self.src_spm_file, self.tgt_spm_file = src_spm_file, tgt_spm_file
            self.src_vocab_file, self.tgt_vocab_file = src_vocab_file, tgt_vocab_file
            kwargs.pop("auto_map", None)
            kwargs["padding_side"] = "right"
            super().__init__(bos_token=bos_token, eos_token=eos_token, pad_token=pad_token, unk_token=unk_token,
                             **kwargs)

        @property
        def vocab_size(self) -> int:
            return len(self.source)

        def get_vocab(self) -> dict[str, int]:
            return dict(self.source)

        def _tokenize(self, text: str, **kwargs) -> list[str]:
            parts = text.split(" ", 2)
            if len(parts) == 3 and parts[0] in self.source and parts[1] in self.source:
                return parts[:2] + self.spm.encode(parts[2], out_type=str)
            return self.spm.encode(text, out_type=str)

        def _convert_token_to_id(self, token: str) -> int:
            return self.source.get(token, self.source.get(str(self.unk_token), 3))

        def _convert_id_to_token(self, index: int) -> str:
            return self.target_tokens.get(index, str(self.unk_token))

        def source_token(self, index: int) -> str:
            """The source piece of a source id (``convert_ids_to_tokens`` decodes target ids)."""
            return self.source_tokens.get(index, str(self.unk_token))

        def target_ids(self, tokens: list[str]) -> list[int]:
            """Target ids of target pieces (``convert_tokens_to_ids`` encodes source pieces)."""
            unknown = self.target.get(str(self.unk_token), 3)
            return [self.target.get(token, unknown) for token in tokens]

        def convert_tokens_to_string(self, tokens: list[str]) -> str:
            return "".join(tokens).replace("▁", " ").strip()

        def build_inputs_with_special_tokens(self, token_ids_0, token_ids_1=None):
            return list(token_ids_0) + [self.eos_token_id] + (list(token_ids_1) + [self.eos_token_id] if token_ids_1 else [])

        def get_special_tokens_mask(self, token_ids_0, token_ids_1=None, already_has_special_tokens=False):
            if already_has_special_tokens:
                return [1 if t in self.all_special_ids else 0 for t in token_ids_0]
            return [0] * len(token_ids_0) + [1]

        def save_vocabulary(self, save_directory: str, filename_prefix: str | None = None) -> tuple[str, ...]:
            import shutil

            written = []
            for source in (self.src_vocab_file, self.tgt_vocab_file, self.src_spm_file, self.tgt_spm_file):
                target = Path(save_directory) / Path(source).name
                if Path(source).resolve() != target.resolve():
                    shutil.copyfile(source, target)
                written.append(str(target))
            return tuple(written)

    return IndicTransConfig, IndicTransForConditionalGeneration, IndicTransTokenizer


def register_ct2_loader() -> None:
    """Give CTranslate2's TransformersConverter a loader for :class:`IndicTransConfig` (once).

    CTranslate2 registers one loader per config class (``register_loader``); this one is its mBART
    loader with pre-norm and the embedding layer norm switched on, the model class this module
    defines, and separate source and target vocabularies (``dict.SRC.json`` / ``dict.TGT.json``).
    """
    from ctranslate2.converters import transformers as ct2_transformers

    if "IndicTransConfig" in getattr(ct2_transformers, "_MODEL_LOADERS", {}):
        return

    @ct2_transformers.register_loader("IndicTransConfig")
    class IndicTransLoader(ct2_transformers.MBartLoader):
        def get_model_class(self, config, model_class):
            return _classes()[1]

        def get_model_spec(self, model):
            model.config.normalize_before = True
            model.config.normalize_embedding = True
            return super().get_model_spec(model)

        def get_vocabulary(self, model, tokenizer):
            ordered = [[token for token, _ in sorted(table.items(), key=lambda item: item[1])]
                       for table in (tokenizer.source, tokenizer.target)]
            return tuple(ordered)

        def set_vocabulary(self, spec, tokens):
            source, target = tokens
            spec.register_source_vocabulary(source)
            spec.register_target_vocabulary(target)

        def set_config(self, config, model, tokenizer):
            config.bos_token = str(tokenizer.bos_token)
            config.eos_token = str(tokenizer.eos_token)
            config.unk_token = str(tokenizer.unk_token)
            config.decoder_start_token = str(tokenizer.eos_token)  # fairseq starts from </s>


def is_indictrans(model_dir: str | Path) -> bool:
    """Whether ``model_dir`` holds an IndicTrans checkpoint (its config.json's ``model_type``)."""
    try:
        config = json.loads((Path(model_dir) / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return str(config.get("model_type", "")).lower() == MODEL_TYPE.lower()


def load_tokenizer(model_dir: str | Path) -> Any:
    """The :class:`IndicTransTokenizer` of ``model_dir``."""
    _, _, tokenizer_class = _classes()
    folder = Path(model_dir)
    missing = [name for name in VOCAB_FILES.values() if not (folder / name).is_file()]
    if missing:
        raise ModelError(f"{folder}: IndicTrans2 tokenizer files missing: {', '.join(missing)}")
    settings = {}
    if (folder / "tokenizer_config.json").is_file():
        raw = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
        settings = {key: raw[key] for key in ("model_max_length",) if key in raw}
    return tokenizer_class(*(folder / name for name in VOCAB_FILES.values()), **settings)


#: Precomposed nukta letters (ऩ ऱ ऴ क़ ख़ ग़ ज़ ड़ ढ़ फ़ य़). indic-nlp-library-itt 0.1.1's Devanagari
#: normalizer decomposes them into the base letter followed by its ``NUKTA`` constant, which is the
#: six characters ``\\u093C`` (a doubled backslash), not the nukta sign: ज़िंदगी reached the model as
#: ``ज\\u093Cिंदगी``. They are decomposed here first (base letter + U+093C, what the rule means to
#: write), so the normalizer finds none left.
_NUKTA_LETTERS = {ord(c): unicodedata.normalize("NFD", c) for c in "\u0929\u0931\u0934" + "".join(
    chr(code) for code in range(0x0958, 0x0960))}
#: IndicTransToolkit's placeholders as they appear in its tagged input (``< ID3 >``) and in model
#: outputs (``<ID3>``, ``[ID3]``, ``[ ID 3 ]``, ``<id3]`` ... : the variants its postprocessing restores).
_PLACEHOLDER = re.compile(r"([<\[]\s?)(ID|id)(\s?)(\d+)(\s?[>\]])")


def protect(text: str) -> str:
    """``text`` with what indic-nlp-library-itt's normalizer would corrupt written the way it means
    (see :data:`_NUKTA_LETTERS`); everything else unchanged."""
    return text.translate(_NUKTA_LETTERS)


def _renumber(tagged: str) -> tuple[str, dict[str, str]]:
    """``tagged`` with its placeholders numbered in order of appearance (``<ID1>`` first), and the map
    from the new numbers back to IndicTransToolkit's.

    IndicTransToolkit 1.1.1 numbers placeholders while iterating a ``set`` of matches, so with two or
    more in a sentence the numbers (the model's input) changed with ``PYTHONHASHSEED`` from one
    process to the next."""
    order: dict[str, str] = {}
    for match in _PLACEHOLDER.finditer(tagged):
        order.setdefault(match.group(4), str(len(order) + 1))
    if all(old == new for old, new in order.items()):
        return tagged, {}
    renumbered = _PLACEHOLDER.sub(lambda m: m.group(1) + m.group(2) + m.group(3) + order[m.group(4)] + m.group(5), tagged)
    return renumbered, {new: old for old, new in order.items()}


def _number_back(output: str, back: dict[str, str]) -> str:
    """A model output's placeholders numbered as IndicTransToolkit's map knows them (see :func:`_renumber`)."""
    if not back:
        return output
    return _PLACEHOLDER.sub(lambda m: m.group(1) + m.group(2) + m.group(3) + back.get(m.group(4), m.group(4))
                            + m.group(5), output)


class _NoVisarga:
    """Stands in for the visarga rule of indic-nlp-library-itt 0.1.1's normalizers (see
    :func:`_repair_normalizers`): leaves the text as it is."""

    pattern = None

    def sub(self, replacement: str, text: str) -> str:
        return text


def _repair_normalizers(processor_module: Any) -> None:
    """Give IndicTransToolkit's processor normalizers without the broken visarga rule.

    indic-nlp-library-itt 0.1.1 means to write a visarga for a colon after a letter of the script, but
    its pattern ``([\\u0900-\\u097f]):`` has doubled backslashes: it matches a colon after an ASCII
    digit, capital letter or ``;<=>?@[`` instead (never after a Devanagari letter), and replaces both by
    the literal ``\\1`` and a visarga: ``5:30 बजे`` became ``\\1ः30 बजे`` (the 5 lost), ``PM:``
    ``P\\1ः``. The processor module's normalizer factory is replaced by one whose normalizers skip that
    step, which leaves every other step, and Devanagari colons, as they were. Only where the bug is
    there (checked on ``5:30``); only for the processor module, not for other users of indicnlp.
    """
    factory_class = getattr(processor_module, "IndicNormalizerFactory", None)
    if factory_class is None or getattr(factory_class, "hindi_brief_repaired", False):
        return
    if factory_class().get_normalizer("hi").normalize("5:30") == "5:30":
        return  # a fixed release

    class RepairedFactory(factory_class):
        hindi_brief_repaired = True

        def get_normalizer(self, language, **kwargs):
            normalizer = super().get_normalizer(language, **kwargs)
            if hasattr(normalizer, "visarga_pattern"):
                normalizer.visarga_pattern = _NoVisarga()
            return normalizer

    processor_module.IndicNormalizerFactory = RepairedFactory


def _import_processor_class() -> Any:
    """IndicTransToolkit's ``IndicProcessor``, imported without the package's ``__init__``.

    IndicTransToolkit 1.1.1's ``__init__`` imports its training collator, which imports
    ``transformers.tokenization_utils.PreTrainedTokenizerBase``, gone in transformers 5: the import
    fails although the processor (a compiled module needing neither torch nor transformers) works.
    So the package is registered bare and only ``IndicTransToolkit.processor`` is loaded.
    """
    if "IndicTransToolkit.processor" in sys.modules:
        module = sys.modules["IndicTransToolkit.processor"]
        _repair_normalizers(module)
        return module.IndicProcessor
    spec = importlib.util.find_spec("IndicTransToolkit")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"indictrans2 needs IndicTransToolkit's processor, which is not installed: {INSTALL_HINT}")
    if "IndicTransToolkit" not in sys.modules:
        package = types.ModuleType("IndicTransToolkit")
        package.__path__ = list(spec.submodule_search_locations)
        sys.modules["IndicTransToolkit"] = package
    try:
        from IndicTransToolkit import processor
    except ImportError as exc:
        raise ModelError(f"IndicTransToolkit's processor does not load ({exc}): {INSTALL_HINT}") from exc
    _repair_normalizers(processor)
    return processor.IndicProcessor


class Processor:
    """IndicProcessor's pre- and post-processing around one batch at a time, with its faults on real
    inputs repaired (:func:`protect`, :func:`_renumber`, :func:`_repair_normalizers`).

    The processor is stateful (placeholders go on a queue between ``preprocess_batch`` and
    ``postprocess_batch``), so one batch at a time passes through, under a lock.
    """

    def __init__(self, src_lang: str, tgt_lang: str):
        self.src_lang, self.tgt_lang = src_lang, tgt_lang
        self._processor = _import_processor_class()(inference=True)
        self._lock = threading.Lock()

    def _preprocess(self, texts: list[str]) -> tuple[list[str], list[dict[str, str]]]:
        tagged = self._processor.preprocess_batch([protect(t) for t in texts], src_lang=self.src_lang,
                                                  tgt_lang=self.tgt_lang)
        renumbered = [_renumber(t) for t in tagged]
        return [t for t, _ in renumbered], [back for _, back in renumbered]

    def tagged(self, texts: list[str]) -> list[str]:
        """Normalised texts with placeholders and the ``"<src> <tgt> "`` tags (for counting tokens)."""
        if not texts:
            return []
        with self._lock:
            tagged, _ = self._preprocess(list(texts))
            self._processor.postprocess_batch([""] * len(texts), lang=self.tgt_lang)  # empties its queue
        return tagged

    def run_hypotheses(self, texts: list[str], translate) -> list[list[tuple[str, float | None]]]:
        """``translate(tagged texts) -> per text, [(raw output, score), ...]`` between pre- and
        post-processing (every hypothesis detokenised, its placeholders restored)."""
        if not texts:
            return []
        with self._lock:
            tagged, backs = self._preprocess(list(texts))
            try:
                found = translate(tagged)
            except BaseException:
                self._processor.postprocess_batch([""] * len(texts), lang=self.tgt_lang)
                raise
            count = max(1, min(len(options) for options in found)) if found else 1
            flat = [_number_back(text, backs[i]) for i, options in enumerate(found) for text, _ in options[:count]]
            restored = self._processor.postprocess_batch(flat, lang=self.tgt_lang, num_return_sequences=count)
        return [[(restored[i * count + k], found[i][k][1]) for k in range(count)] for i in range(len(texts))]
