"""Hindi words for the digest: tokens, stop words, a light stemmer, and the key of a number's fact.

Why hand-written: scikit-learn ships English stop words only, and no Hindi stop-word list or
stemmer is among the project's dependencies (indic-nlp and spaCy are not); the lists below are the
closed-class words of Hindi news (postpositions, auxiliaries, pronouns, conjunctions, light
verbs) and the inflection endings of Hindi nouns, adjectives and verbs, after Ramanathan and
Rao's light stemmer (2003). Both are small, closed and stable, so a list is the honest tool.
"""

from __future__ import annotations

import re
import unicodedata

# A word: letters and digits of any script, every Devanagari letter and sign (the dandas U+0964 and
# U+0965 excepted), and the zero-width (non-)joiners inside conjuncts. Python's \w alone would cut a
# Devanagari word at each vowel sign.
WORD = re.compile(r"(?:[^\W_]|[\u0900-\u0963\u0966-\u097f\u200c\u200d])+")
_LATIN = re.compile(r"[A-Za-z]")
_NUKTA = "\u093c"

#: Closed-class Hindi words of news prose: they say nothing about which story an article tells.
STOP_WORDS: frozenset[str] = frozenset("""
के का की को में से पर ने तक है हैं था थे थी थीं हो हों होगा होगी होंगे हुआ हुई हुए हुईं होने होना होता होती
होते होकर और या एवं तथा व भी ही तो न नहीं ना कि जो जिस जिसे जिन जिनके जिनकी जिनका जिसका जिसकी जिसके
जिन्होंने जब तब यह ये वह वे इस इसे इसी इसका इसकी इसके इसमें इससे इन इनके इनका इनकी इनमें इन्हें उस उसे उसी
उसका उसकी उसके उसमें उससे उन उनके उनका उनकी उनमें उन्हें उन्होंने इन्होंने अपने अपना अपनी आप हम मैं मुझे हमें
हमारे हमारा हमारी तुम कर करने करते करता करती करें करेगा करेगी करेंगे किया किए किये कीं गई गया गए गये गयी
जा जाता जाती जाते जाए जाएगा जाएगी जाएंगे जाने रहा रही रहे रहें लिए लिये साथ बाद पहले द्वारा बीच बारे कहा
कहते कहना बताया अब एक कई कुछ सभी सब किसी कोई कौन क्या क्यों कैसे कहां कहाँ यहां यहाँ वहां वहाँ ऐसे ऐसा ऐसी
जैसे जैसा जैसी वाले वाला वाली वालों दौरान तरह प्रति अधिक बहुत सकते सकता सकती लेकर दिया दी दिए दिये दे देने
ओर अन्य आदि यदि अगर लेकिन किंतु परंतु मगर क्योंकि इसलिए चाहिए सबसे बेहद काफी वहीं यहीं अभी फिर जबकि
रूप स्थित मुताबिक अनुसार तहत जरिए जरिये बजाय समेत सहित साथ-साथ बल्कि हालांकि दोनों
""".split())

# Endings, longest first (Ramanathan and Rao 2003, plus the -इयों/-ाओं plural forms news uses).
_SUFFIXES = sorted("""
ाएंगे ाएंगी ाऊंगा ाऊंगी ियों ियां ियाँ ाइयों ाइयां ाओं ाएं ाएँ ुओं ुएं ुएँ ताओं ताएं ियो ाने ाना ाती ाते ाता
ेगा ेगी ेंगे ेंगी ने ना नी ती ते ता ों ें ीं ां ाँ ो े ू ु ी ि ा
""".split(), key=len, reverse=True)
_MIN_STEM = 2


def plain(text: str) -> str:
    """``text`` in the form words are compared in: NFC, nukta dropped (scraped Hindi keeps and drops
    it at random: ``हज़ार`` = ``हजार``), lower case for the Latin words in it."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", text).replace(_NUKTA, "")).lower()


def words(text: str) -> list[str]:
    """The words of ``text`` (already :func:`plain`), in order."""
    return WORD.findall(text)


def is_content(word: str) -> bool:
    """A word that can tell stories apart: not a stop word, not a lone letter or number."""
    return len(word) > 1 and word not in STOP_WORDS and not word.isdigit()


def stem(word: str) -> str:
    """The word without its longest inflection ending, keeping at least two letters
    (``बैठकों`` -> ``बैठक``, ``अधिकारियों`` -> ``अधिकार``); Latin words are left alone."""
    if _LATIN.search(word):
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)]
    return word
