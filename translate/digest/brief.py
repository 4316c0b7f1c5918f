"""A story's brief: sentences of its articles' English, chosen so that no fact is said twice.

Candidates are the English segments of the story's articles (never headings, fragments of fewer
than :data:`MIN_WORDS` words, or sentences a check flagged as changed or untranslated: see
:data:`DISTRUSTED`). Each is a TF-IDF vector (scikit-learn, English stop words out); its relevance
is its cosine with the story's centre (each article's mean counting once, so a long article does
not outvote the others), plus a little for coming early in its article (news puts the facts first)
and for each other outlet that reports it too.

A segment of another article *reports* the same fact when its cosine with the sentence is at least
:data:`SAME_FACT` and it holds every number of the sentence (by value, as the checks compare them).
The brief is chosen by maximal marginal relevance (Carbonell and Goldstein, 1998): the most relevant
sentence first, then at each step the one with the best relevance less its likeness to what is
already chosen; a sentence at least :data:`SAME_FACT` like a chosen one says the same fact (or
the same fact with another number, which the conflicts list instead) and is never added. MMR is
written out here because it is a dozen lines over scikit-learn's vectors and no maintained
package provides it for plain sentence lists.

Every chosen sentence is then checked with :func:`translate.faithful.checks.check_brief` against the
whole story's English, as an article's brief is; one that fails (it cannot, being taken verbatim,
unless a check changes) is left out and named in the story's warnings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from ..faithful.checks import check_brief
from ..faithful.protect import english_numbers, number_values
from ..faithful.warnings import Warning, warning
from ..pipeline import Result
from .grouping import similar_pairs

#: Warning codes that keep a segment out of a brief: its English may not say what the Hindi does
#: (the last three are those of the name and confidence checks, where the pipeline has them).
DISTRUSTED = frozenset({"number-missing", "number-changed", "span-missing", "devanagari-left", "repetition",
                        "empty-translation", "length-ratio", "name-missing", "acronym-missing", "low-confidence"})
#: Shortest sentence worth a place in a brief (a dateline such as "Moscow:" is not one).
MIN_WORDS = 4
#: Cosine at which two sentences state the same fact.
SAME_FACT = 0.45
#: MMR's balance between relevance and novelty.
MMR_LAMBDA = 0.7
#: Relevance added for the first sentence of an article (halving with each later one), and per
#: further outlet reporting the fact.
LEAD_BONUS = 0.1
CONFIRMED_BONUS = 0.05


@dataclass
class Citation:
    """Where a sentence (or fact) is: ``article`` indexes the digest's inputs, ``segment`` the
    article's ``Result.segments``."""

    article: int
    segment: int


@dataclass
class BriefSentence:
    text: str
    sources: list[Citation]  # the sentence's own segment first, then those reporting the same fact
    outlets: list[str]  # distinct outlets of the sources, in order
    disputed: list[str] = field(default_factory=list)  # what outlets disagree on in this sentence

    @property
    def reported_by(self) -> int:
        return len(self.outlets)


@dataclass
class Candidate:
    article: int  # index into the digest's inputs
    segment: int
    text: str
    relevance: float = 0.0
    numbers: list[frozenset] = field(default_factory=list)


def candidates(results: Sequence[Result], articles: Sequence[int]) -> list[Candidate]:
    """The segments that may go into a brief, article by article, in order."""
    found = []
    for result, article in zip(results, articles):
        distrusted = {w.segment for w in result.warnings if w.code in DISTRUSTED and w.segment is not None}
        for index, segment in enumerate(result.segments):
            text = " ".join(segment.en.split())
            kind = result.translation[segment.block]["kind"] if 0 <= segment.block < len(result.translation) else ""
            if index in distrusted or kind == "heading" or len(text.split()) < MIN_WORDS:
                continue
            numbers = [m.values for m in english_numbers(text, words=False)]
            found.append(Candidate(article, index, text, numbers=numbers))
    return found


def _holds_numbers(numbers: list[frozenset], text_values: set) -> bool:
    return all(values & text_values for values in numbers)


def story_english(results: Sequence[Result]) -> str:
    """All the English of a story (titles and segments): what its brief is checked against."""
    return " ".join([r.title for r in results] + [s.en for r in results for s in r.segments if s.en])


def brief(results: Sequence[Result], articles: Sequence[int], outlets: dict[int, str], words: int,
          ) -> tuple[list[BriefSentence], list[Warning], dict[str, Any]]:
    """The story's brief sentences (about ``words`` words), the warnings of its check, and the
    vectors' context (``centre`` and ``vectorizer``) for choosing the story's title."""
    pool = candidates(results, articles)
    if not pool:
        return [], [], {}
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform([c.text for c in pool])
    except ValueError:  # nothing but stop words
        return [], [], {}
    centre = np.zeros(matrix.shape[1])
    by_article: dict[int, list[int]] = {}
    for index, candidate in enumerate(pool):
        by_article.setdefault(candidate.article, []).append(index)
    for rows in by_article.values():
        centre += np.asarray(matrix[rows].mean(axis=0)).ravel()
    centre /= np.linalg.norm(centre) or 1.0
    relevance = matrix @ centre
    values = [number_values(c.text) for c in pool]

    # Pairs of sentences stating one fact, found a block at a time (a story may be large).
    same: dict[int, dict[int, float]] = {}
    for i, j, value in zip(*similar_pairs(matrix, SAME_FACT)):
        same.setdefault(int(i), {})[int(j)] = same.setdefault(int(j), {})[int(i)] = float(value)
    reports: list[list[int]] = []  # per candidate: the closest segment of each other article reporting its fact
    for i, candidate in enumerate(pool):
        best: dict[int, int] = {}
        for j, value in sorted(same.get(i, {}).items()):
            other = pool[j].article
            if other != candidate.article and _holds_numbers(candidate.numbers, values[j]):
                if other not in best or value > same[i][best[other]]:
                    best[other] = j
        reports.append(sorted(best.values(), key=lambda j: (pool[j].article, pool[j].segment)))
    for rows in by_article.values():
        for position, i in enumerate(rows):
            confirming = {outlets[pool[j].article] for j in reports[i]} - {outlets[pool[i].article]}
            pool[i].relevance = float(relevance[i]) + LEAD_BONUS / 2**position + CONFIRMED_BONUS * len(confirming)

    chosen: list[int] = []
    likeness = np.zeros(len(pool))  # each candidate's greatest cosine with a chosen sentence
    stated: set[int] = set()  # candidates stating a chosen fact
    used = 0
    while True:
        best_index, best_score = None, -np.inf
        for i, candidate in enumerate(pool):
            if i in stated or likeness[i] >= SAME_FACT or (chosen and used + len(candidate.text.split()) > words):
                continue
            score = MMR_LAMBDA * candidate.relevance - (1 - MMR_LAMBDA) * likeness[i]
            if score > best_score + 1e-12:
                best_index, best_score = i, score
        if best_index is None:
            break
        chosen.append(best_index)
        stated |= {best_index, *reports[best_index]}
        likeness = np.maximum(likeness, (matrix @ matrix[best_index].T).toarray().ravel())
        used += len(pool[best_index].text.split())

    english = story_english(results)
    sentences, warnings = [], []
    for i in chosen:
        problems = check_brief(pool[i].text, english)
        if problems:
            warnings.append(warning(
                "brief-sentence-replaced", None,
                f"A story brief sentence was dropped: {'; '.join(p.message for p in problems)}",
                replaced=pool[i].text, by=None, problems=[p.code for p in problems]))
            continue
        sources = [Citation(pool[i].article, pool[i].segment)] + [Citation(pool[j].article, pool[j].segment)
                                                                    for j in reports[i]]
        names = list(dict.fromkeys(outlets[s.article] for s in sources))
        sentences.append(BriefSentence(pool[i].text, sources, names))
    return sentences, warnings, {"centre": centre, "vectorizer": vectorizer}


def title(results: Sequence[Result], context: dict[str, Any], sentences: list[BriefSentence]) -> str:
    """The English title closest to the story's centre; else the brief's first words."""
    titles = [(k, r.title.strip()) for k, r in enumerate(results) if r.title.strip()]
    if titles and context:
        vectors = normalize(context["vectorizer"].transform([t for _, t in titles]))
        scores = vectors @ context["centre"]
        best = max(range(len(titles)), key=lambda k: (scores[k], -k))
        return titles[best][1]
    if titles:
        return titles[0][1]
    if sentences:
        first = sentences[0].text.split()
        return " ".join(first[:12]) + ("…" if len(first) > 12 else "")
    return "Untitled story"
