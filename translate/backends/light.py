"""Tokenizers and configs read straight from a model's files, for the CTranslate2 backends: the default
path (hplt's Marian, distilbart-cnn's BART) then needs neither torch nor transformers, which cost every
process 5-6 s and 200 MB to import (bench/README.md).

* :class:`MarianTokenizer`: the repository's ``source.spm`` / ``target.spm`` (``sentencepiece``) and
  ``vocab.json``, encoding and decoding as transformers' ``MarianTokenizer`` does (text split around
  the special tokens, SentencePiece pieces mapped through ``vocab.json``, unknown pieces to ``<unk>``,
  ``</s>`` appended; decoding drops the special tokens, joins the pieces with the SentencePiece model,
  and applies transformers' ``clean_up_tokenization`` where ``tokenizer_config.json`` asks for it).
* :class:`JsonTokenizer`: a ``tokenizer.json`` read by the ``tokenizers`` library (BART's byte-level
  BPE with its ``<s> ... </s>`` template). distilbart-cnn's repository has no ``tokenizer.json``
  (only ``vocab.json`` + ``merges.txt``): ``models pull`` and ``import`` write it once, with
  transformers' own converter (:func:`write_tokenizer_json`), so it is the tokenizer transformers uses.
* :class:`JsonConfig`: ``config.json`` as attributes (missing keys are None).

:func:`load_light_tokenizer` says which folders these serve (None: use transformers). Tests compare
them with transformers' tokenizers on every replica, token for token and string for string.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

from ..errors import ModelError

#: transformers' ``PreTrainedTokenizerBase.clean_up_tokenization``, applied where the tokenizer's
#: ``clean_up_tokenization_spaces`` is true (its default is false in transformers 5).
_CLEAN_UP = ((" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"), (" 'm", "'m"),
             (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"))
#: The model_max_length transformers reports when a tokenizer names none ("no limit").
NO_LIMIT = int(1e30)


def _json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: cannot read it: {exc}") from exc
    if not isinstance(data, dict):
        raise ModelError(f"{path}: not a JSON object")
    return data


def _optional_json(path: Path) -> dict[str, Any]:
    return _json(path) if path.is_file() else {}


def _token_text(value: Any, default: str) -> str:
    """A special token as tokenizer_config.json writes it: a string or an AddedToken dict."""
    if isinstance(value, dict):
        return str(value.get("content", default))
    return str(value) if value else default


def clean_up_tokenization(text: str) -> str:
    for old, new in _CLEAN_UP:
        text = text.replace(old, new)
    return text


class JsonConfig:
    """``config.json`` as attributes, as the backends read a transformers config: missing keys are
    None; ``name_or_path`` is the folder."""

    def __init__(self, folder: str | Path):
        self.__dict__.update(_json(Path(folder) / "config.json"))
        self.name_or_path = str(folder)
        self.model_type = str(self.__dict__.get("model_type") or "")

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return None


class _Base:
    """What the backends use of a tokenizer: ``__call__`` for ids, id <-> token, ``batch_decode``."""

    special_tokens: list[str]
    model_max_length: int
    clean_up_tokenization_spaces: bool

    def __call__(self, texts: str | list[str], add_special_tokens: bool = True, **_: Any) -> dict[str, Any]:
        single = isinstance(texts, str)
        ids = self.encode_batch([texts] if single else list(texts), add_special_tokens=add_special_tokens)
        return {"input_ids": ids[0] if single else ids}

    @property
    def all_special_tokens(self) -> list[str]:
        return list(self.special_tokens)

    @property
    def all_special_ids(self) -> list[int]:
        return [self.token_id(token) for token in self.special_tokens]

    def convert_ids_to_tokens(self, ids: int | Iterable[int]) -> str | list[str]:
        if isinstance(ids, int):
            return self.id_token(ids)
        return [self.id_token(i) for i in ids]

    def convert_tokens_to_ids(self, tokens: str | Iterable[str]) -> int | list[int]:
        if isinstance(tokens, str):
            return self.token_id(tokens)
        return [self.token_id(t) for t in tokens]

    def batch_decode(self, sequences: Iterable[Iterable[int]], skip_special_tokens: bool = False) -> list[str]:
        return [self.decode(ids, skip_special_tokens=skip_special_tokens) for ids in sequences]

    def decode(self, ids: Iterable[int], skip_special_tokens: bool = False) -> str:
        text = self._decode([int(i) for i in ids], skip_special_tokens)
        return clean_up_tokenization(text) if self.clean_up_tokenization_spaces else text

    # subclasses: encode_batch, token_id, id_token, _decode, __len__


class MarianTokenizer(_Base):
    """transformers' ``MarianTokenizer`` for translation inputs and outputs (see the module docstring)."""

    def __init__(self, folder: str | Path):
        folder = Path(folder)
        import sentencepiece

        settings = _optional_json(folder / "tokenizer_config.json")
        special = _optional_json(folder / "special_tokens_map.json")
        self.separate_vocabs = bool(settings.get("separate_vocabs"))
        self.encoder = _json(folder / "vocab.json")
        target = _json(folder / "target_vocab.json") if self.separate_vocabs else self.encoder
        self.decoder = {index: token for token, index in target.items()}
        self.unk_token = _token_text(settings.get("unk_token") or special.get("unk_token"), "<unk>")
        self.eos_token = _token_text(settings.get("eos_token") or special.get("eos_token"), "</s>")
        self.pad_token = _token_text(settings.get("pad_token") or special.get("pad_token"), "<pad>")
        if self.unk_token not in self.encoder:
            raise ModelError(f"{folder / 'vocab.json'}: no {self.unk_token} token")
        self.special_tokens = [self.eos_token, self.unk_token, self.pad_token]
        self.model_max_length = int(settings.get("model_max_length") or 512)  # MarianTokenizer's default
        self.clean_up_tokenization_spaces = bool(settings.get("clean_up_tokenization_spaces", False))
        self.source = sentencepiece.SentencePieceProcessor(model_file=str(folder / "source.spm"))
        self.target = sentencepiece.SentencePieceProcessor(model_file=str(folder / "target.spm"))
        # transformers decodes with the source model unless the vocabularies are separate.
        self.decoding = self.target if self.separate_vocabs else self.source
        self.unk_token_id = self.encoder[self.unk_token]
        self.eos_token_id = self.encoder.get(self.eos_token)
        self.pad_token_id = self.encoder.get(self.pad_token)

    def __len__(self) -> int:
        return len(self.encoder)

    def token_id(self, token: str) -> int:
        return self.encoder.get(token, self.unk_token_id)

    def id_token(self, index: int) -> str:
        if index in self.decoder:
            return self.decoder[index]
        return self.decoding.IdToPiece(index) or self.unk_token

    def tokenize(self, text: str) -> list[str]:
        """Pieces of ``text``: split around the special tokens (kept whole), the rest SentencePiece's
        pieces (a leading ``>>xx<<`` language code kept whole, as transformers does)."""
        pieces: list[str] = []
        for part in self._split_special(text):
            if part in self.special_tokens:
                pieces.append(part)
                continue
            code = []
            if part.startswith(">>") and (end := part.find("<<")) != -1:
                code, part = [part[:end + 2]], part[end + 2:]
            pieces += code + self.source.encode(part, out_type=str)
        return pieces

    def _split_special(self, text: str) -> list[str]:
        parts = [text]
        for token in sorted(self.special_tokens, key=len, reverse=True):
            split: list[str] = []
            for part in parts:
                if part in self.special_tokens:
                    split.append(part)
                    continue
                pieces = part.split(token)
                for k, piece in enumerate(pieces):
                    if k:
                        split.append(token)
                    split.append(piece)
            parts = split
        return [part for part in parts if part]

    def encode_batch(self, texts: list[str], add_special_tokens: bool = True) -> list[list[int]]:
        ids = [[self.token_id(piece) for piece in self.tokenize(text)] for text in texts]
        if add_special_tokens:
            ids = [row + [self.eos_token_id] for row in ids]
        return ids

    def _decode(self, ids: list[int], skip_special_tokens: bool) -> str:
        special = set(self.special_tokens)
        tokens = [self.id_token(i) for i in ids if not (skip_special_tokens and self.id_token(i) in special)]
        out, current = "", []
        for token in tokens:
            if token in special:
                out += self.decoding.decode_pieces(current) + token + " "
                current = []
            else:
                current.append(token)
        out += self.decoding.decode_pieces(current)
        return out.replace("\u2581", " ").strip()


class JsonTokenizer(_Base):
    """A ``tokenizer.json`` (the ``tokenizers`` library) with the special tokens and settings of its
    ``tokenizer_config.json``, as transformers' tokenizers-backed classes run it."""

    def __init__(self, folder: str | Path):
        from tokenizers import Tokenizer

        folder = Path(folder)
        try:
            self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        except Exception as exc:  # tokenizers raises its own Exception subclasses
            raise ModelError(f"{folder / 'tokenizer.json'}: not a tokenizer file: {exc}") from exc
        settings = _optional_json(folder / "tokenizer_config.json")
        self.special_tokens = [token.content for token in self.tokenizer.get_added_tokens_decoder().values()
                               if token.special]
        limit = settings.get("model_max_length")
        self.model_max_length = int(limit) if isinstance(limit, (int, float)) and limit < NO_LIMIT else NO_LIMIT
        self.clean_up_tokenization_spaces = bool(settings.get("clean_up_tokenization_spaces", False))
        self.unk_token = _token_text(settings.get("unk_token"), "<unk>")
        self.unk_token_id = self.tokenizer.token_to_id(self.unk_token)

    def __len__(self) -> int:
        return self.tokenizer.get_vocab_size(with_added_tokens=True)

    def token_id(self, token: str) -> int:
        found = self.tokenizer.token_to_id(token)
        return self.unk_token_id if found is None else found

    def id_token(self, index: int) -> str:
        return self.tokenizer.id_to_token(index) or self.unk_token

    def encode_batch(self, texts: list[str], add_special_tokens: bool = True) -> list[list[int]]:
        return [encoding.ids for encoding in self.tokenizer.encode_batch(texts, add_special_tokens=add_special_tokens)]

    def _decode(self, ids: list[int], skip_special_tokens: bool) -> str:
        return self.tokenizer.decode(ids, skip_special_tokens=skip_special_tokens)


#: Model types whose tokenizer.json these classes run as transformers does (byte-level BPE with a
#: fixed template: no language codes that change per call).
JSON_TOKENIZER_TYPES = frozenset({"bart"})


def tokenizer_limit(folder: str | Path) -> int:
    """The ``model_max_length`` the folder's light tokenizer has (:func:`load_light_tokenizer`), from
    ``tokenizer_config.json`` alone: Marian's default is 512, a ``tokenizer.json``'s none."""
    folder = Path(folder)
    settings = _optional_json(folder / "tokenizer_config.json")
    limit = settings.get("model_max_length")
    if light_tokenizer_kind(folder) == "marian":
        return int(limit or 512)
    return int(limit) if isinstance(limit, (int, float)) and limit < NO_LIMIT else NO_LIMIT


def light_tokenizer_kind(folder: str | Path) -> str | None:
    """``"marian"`` or ``"json"`` where :func:`load_light_tokenizer` serves ``folder``, else None."""
    folder = Path(folder)
    try:
        model_type = str(_json(folder / "config.json").get("model_type", "")).lower()
    except ModelError:
        return None
    if model_type == "marian" and all((folder / name).is_file() for name in ("source.spm", "target.spm", "vocab.json")):
        return "marian"
    if model_type in JSON_TOKENIZER_TYPES and (folder / "tokenizer.json").is_file():
        return "json"
    return None


def load_light_tokenizer(folder: str | Path) -> MarianTokenizer | JsonTokenizer | None:
    """The tokenizer of ``folder`` without transformers, or None where only transformers can run it."""
    kind = light_tokenizer_kind(folder)
    if kind == "marian":
        return MarianTokenizer(folder)
    if kind == "json":
        return JsonTokenizer(folder)
    return None


def write_tokenizer_json(folder: str | Path) -> Path | None:
    """Write ``folder/tokenizer.json`` with transformers' converter where a model of
    :data:`JSON_TOKENIZER_TYPES` has only ``vocab.json`` + ``merges.txt`` (distilbart-cnn): once, at
    pull or import, so that later runs read it without transformers. Returns the file, or None."""
    import tempfile

    folder = Path(folder)
    target = folder / "tokenizer.json"
    try:
        model_type = str(_json(folder / "config.json").get("model_type", "")).lower()
    except ModelError:
        return None
    if target.is_file() or model_type not in JSON_TOKENIZER_TYPES:
        return target if target.is_file() else None
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(folder)
    with tempfile.TemporaryDirectory() as tmp:
        tokenizer.save_pretrained(tmp)
        made = Path(tmp) / "tokenizer.json"
        if not made.is_file():
            return None
        partial = folder / ".tokenizer.json.partial"
        partial.write_bytes(made.read_bytes())
        partial.replace(target)
    return target
