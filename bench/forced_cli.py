"""`hindi-brief` as a user runs it, with the output lengths forced as bench/speed.py forces them.

    python bench/forced_cli.py REPORT.json run seeds/000_... -o out/
    python bench/forced_cli.py REPORT.json serve --port 7861        # the page, for bench/web_latency.py

Random-weight models rarely write the end token, so left alone they decode to the length limit (twice
the source), which a real model does not; here every translation is ceil(1.1 x the batch's mean source
length) tokens and every brief a 60-word brief's tokens, as in the rest of bench/speed.py. Everything
else is the command's own code path (presets from the store, --backend auto, the cache), but for the
self-healing: random weights write word salad that fails every check, so every sentence would be
translated three more times, which a real model's output (failing for a few sentences in a hundred)
does not cause; here no retranslation is offered. And the bench tokenizers' padding pieces, which random
weights mostly write, are dummies such as ``latin80985`` that the summarizer's tokenizer cuts into 8
tokens, where a real English word takes about 1.3: the brief's input would be six times a real
article's (seed 000: six 1,000-token chunks instead of one). So each translated token is written as
one common English word that the summarizer reads as one token (:data:`WORDS`): the translation's
decoding is unchanged, and the brief reads as many tokens as the translation wrote, as for real
English. REPORT.json gets this process's peak RSS and how many CTranslate2 models it loaded (0: the
cache served it all).
"""

from __future__ import annotations

import json
import math
import resource
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

OUTPUT_RATIO = 1.1
#: Common English words, each one token for the bench summarizer's tokenizer; a translated token ``i``
#: is written as ``WORDS[i % len(WORDS)]``.
WORDS = ("the of and to in a said that for on is was with as by at from his it an he be has have are "
         "were will which government police state people year two after but its first more also this new "
         "who not been their they one had than over other").split()


def _translation_tokens(lengths: list[int]) -> int:
    return math.ceil(OUTPUT_RATIO * sum(lengths) / len(lengths))


def _brief_tokens(lengths: list[int]) -> int:
    from translate.engines.summarizer import TOKENS_PER_WORD
    from translate.options import DEFAULT_BRIEF_WORDS

    return math.ceil(DEFAULT_BRIEF_WORDS * TOKENS_PER_WORD)


def _as_words(self, token_ids: list[list[int]]) -> list[str]:
    special = set(self.tokenizer.all_special_ids)
    return [" ".join(WORDS[i % len(WORDS)] for i in ids if i not in special) for ids in token_ids]


def apply_forcing() -> None:
    """The bench's forcing (see the module docstring), for this process: forced lengths, each token
    written as one common word, no retranslation."""
    from translate.backends.base import Seq2SeqSummarizationBackend, Seq2SeqTranslationBackend
    from translate.engines.translator import Translator

    Seq2SeqTranslationBackend.forced_new_tokens = staticmethod(_translation_tokens)
    Seq2SeqSummarizationBackend.forced_new_tokens = staticmethod(_brief_tokens)
    Seq2SeqTranslationBackend.postprocess = _as_words
    Translator.candidates = lambda self, sentences, strategy: [[] for _ in sentences]  # see above


def main(argv: list[str]) -> int:
    report, argv = Path(argv[0]), argv[1:]
    from translate.backends import ct2
    from translate.cli import main as cli

    apply_forcing()
    loads = []
    load = ct2.load_ct2_translator

    def counting_load(*args, **kwargs):
        loads.append(str(args[0]))
        return load(*args, **kwargs)

    ct2.load_ct2_translator = counting_load
    code = cli(argv)
    report.write_text(json.dumps({"exit_code": code, "ct2_models_loaded": len(loads),
                                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
