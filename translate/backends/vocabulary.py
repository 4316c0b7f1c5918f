"""An English-only output vocabulary for multilingual translators (NLLB): less work per token.

NLLB's output layer projects every decoded token onto 256,206 pieces shared by 200 languages, about
1024 x 256k multiply-adds per token and beam, more than its 12 decoder layers together. Translating
into English, only pieces English text can use are ever wanted, so both backends compute scores for
those alone: CTranslate2 through a vocabulary map made at conversion (:func:`write_vmap`, used with
``use_vmap=True``), transformers by slicing the output projection (and the decoder's input
embeddings) to the same rows and mapping ids back (:class:`VocabularySlice`). Both give exactly what
the full model gives when its other pieces are banned (tests/test_vocabulary.py).

Which pieces: :func:`english_token_ids` keeps a piece when every character of it, after the
sentencepiece word mark ``▁``, is Latin script, a digit, punctuation or a common symbol
(:data:`LATIN_RANGES`: Basic Latin through Latin Extended-B, Latin Extended Additional, general
punctuation, currency, letterlike symbols, number forms, arrows and mathematical operators), plus the
tokenizer's special tokens and the target language code (``eng_Latn``); every other language code
goes. Every character of the FLORES-200 devtest and newstest2014 English references lies in these
ranges (checked by a test on their full text), so nothing a real English sentence needs is cut.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

#: Unicode ranges an English piece may use (inclusive).
LATIN_RANGES = (
    (0x0020, 0x024F),  # Basic Latin, Latin-1 Supplement, Latin Extended-A and -B (é, ł, ş, £, °, ½)
    (0x02B0, 0x02FF),  # spacing modifier letters (ʻ ˈ)
    (0x1E00, 0x1EFF),  # Latin Extended Additional (ạ, ễ)
    (0x2000, 0x206F),  # general punctuation (’ “ ” – — … and zero-width spaces)
    (0x20A0, 0x20CF),  # currency (€ ₹)
    (0x2100, 0x214F),  # letterlike symbols (℃ ™)
    (0x2150, 0x218F),  # number forms (⅓)
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators (− ≤)
)
WORD_MARK = "▁"
#: A character outside :data:`LATIN_RANGES` (one regular-expression search per piece: NLLB's 256,206
#: pieces are sorted in well under a second, where a Python loop over each character took seconds).
_NOT_ENGLISH = re.compile("[^" + "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in LATIN_RANGES) + WORD_MARK + "]")
#: Architectures whose output vocabulary is restricted by default (multilingual, English wanted).
RESTRICTED_BY_DEFAULT = frozenset({"nllb"})
VMAP_FILE = "vmap.txt"


def is_english_piece(piece: str) -> bool:
    """Whether a vocabulary piece is one English text can use (see the module docstring)."""
    return _NOT_ENGLISH.search(piece) is None


def english_token_ids(tokenizer: Any, target_language: str | None = "eng_Latn") -> list[int]:
    """Sorted ids of the pieces an English translation may contain, for ``tokenizer``'s vocabulary.

    Special tokens stay (start, end, padding, unknown), and the target language code; every other
    language code, and every piece with a letter of another script, goes.
    """
    vocabulary: dict[str, int] = tokenizer.get_vocab()
    special = set(tokenizer.all_special_tokens)
    language_codes = {token for token in special if _is_language_code(token)}
    keep = {index for token, index in vocabulary.items()
            if token not in language_codes and (token in special or is_english_piece(token))}
    if target_language and target_language in vocabulary:
        keep.add(vocabulary[target_language])
    return sorted(keep)


def _is_language_code(token: str) -> bool:
    """``hin_Deva``, ``eng_Latn``: the shape of NLLB's (FLORES-200's) language codes."""
    language, _, script = token.partition("_")
    return len(language) == 3 and language.isalpha() and language.islower() and len(script) == 4 and script.istitle()


def write_vmap(path: str | Path, tokens: list[str]) -> Path:
    """A CTranslate2 vocabulary map making ``tokens`` the only candidates, whatever the source:
    one line with an empty source n-gram (the always-allowed tokens) and no other rule."""
    if any(" " in token or "\t" in token or "\n" in token for token in tokens):
        raise ValueError("a vocabulary map cannot hold tokens with spaces, tabs or newlines")
    path = Path(path)
    path.write_text("\t" + " ".join(tokens) + "\n", encoding="utf-8")
    return path


class VocabularySlice:
    """The rows of a transformers model's output vocabulary kept, and the id maps both ways."""

    def __init__(self, ids: list[int]):
        import torch

        self.ids = sorted(set(ids))
        self.tensor = torch.tensor(self.ids, dtype=torch.long)
        self.position = {full: small for small, full in enumerate(self.ids)}

    def __len__(self) -> int:
        return len(self.ids)

    def small(self, full_id: int | None) -> int | None:
        """The sliced id of a full id (None for None); KeyError for an id outside the slice."""
        return None if full_id is None else self.position[full_id]

    def full(self, small_ids: Any) -> Any:
        """Full ids of a tensor of sliced ids."""
        return self.tensor.to(small_ids.device)[small_ids]

    def apply(self, model: Any) -> None:
        """Slice ``model``'s decoder input embeddings and output projection to these rows, in place.

        The encoder keeps the full vocabulary (the source is Hindi); the decoder reads and writes
        sliced ids, so its start, end and padding ids are mapped too. The slices copy their rows, so
        the full embedding matrix stays the encoder's alone.
        """
        import torch
        from torch import nn

        decoder = model.get_decoder()
        old_embed = decoder.embed_tokens
        weight = old_embed.weight.detach()[self.tensor.to(old_embed.weight.device)].clone()
        pad = getattr(old_embed, "padding_idx", None)
        new_embed = type(old_embed).__new__(type(old_embed))
        nn.Embedding.__init__(new_embed, len(self), weight.shape[1],
                              padding_idx=self.position.get(pad) if pad is not None else None)
        new_embed.__dict__.update({k: v for k, v in old_embed.__dict__.items() if k == "embed_scale"})
        with torch.no_grad():
            new_embed.weight.copy_(weight)
        decoder.embed_tokens = new_embed
        old_head = model.get_output_embeddings()
        head = nn.Linear(old_head.in_features, len(self), bias=False, device=old_head.weight.device,
                         dtype=old_head.weight.dtype)
        with torch.no_grad():
            head.weight.copy_(old_head.weight.detach()[self.tensor.to(old_head.weight.device)])
        model.set_output_embeddings(head)
        if getattr(model, "final_logits_bias", None) is not None:
            model.final_logits_bias = model.final_logits_bias[:, self.tensor.to(model.final_logits_bias.device)]
        config = model.generation_config
        for key in ("decoder_start_token_id", "eos_token_id", "pad_token_id", "bos_token_id"):
            value = getattr(config, key, None)
            if isinstance(value, int) and value in self.position:
                setattr(config, key, self.position[value])
        model.config.vocab_size = len(self)
