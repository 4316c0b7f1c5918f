"""Which articles tell the same story: grouping by their Hindi text alone, no model.

Each article becomes one sparse vector (scikit-learn's vectorizers, sublinear term counts), the
L2-normalised concatenation of two L2-normalised parts, each counting half:

* terms: content words (stop words out, :mod:`.hindi`), pairs of neighbouring content words, and
  anchors, which weigh names, numbers and dates up by counting them a second time: the values of
  numbers, amounts, ordinals and dates (:func:`translate.faithful.protect.find_spans`, so ``१०वीं``
  and ``10वीं`` are one term ``10th``), Latin-script words (``PSM``, ``SCO``) and names
  (:func:`names_in`: the news glossary's capitalised entries for now; a Hindi name detector can take
  its place);
* characters: 3- to 5-grams inside content words, which match inflected and variously spelled forms
  (``बैठक`` / ``बैठकों``, ``लावरोव`` / ``लॉवरोव``). Only rare n-grams count, those of at most
  :data:`CHAR_MAX_DOCUMENTS` articles (or :data:`CHAR_MAX_SHARE` of a large pool): the common ones
  are Hindi's own endings, shared by every pair of articles.

Weights are the pool's IDF, cubed (:data:`IDF_POWER`), with :data:`PRIOR_DOCUMENTS` empty documents
added to the pool: a rare term that two articles share (a name, a number, the event's own words)
counts far more than the topic words that many articles share, which is what tells two stories on
one topic apart (four seed articles on Russia and Pakistan); and in a pool of a few articles a
word all of them use is not mistaken for a rare one. These settings and :data:`THRESHOLD` were
chosen on ``bench/digest.py``'s labelled pools (``--sweep`` prints F1 across thresholds). With
fewer than about ten articles the pool's IDF cannot tell a topic's words from a story's, and two
articles on one topic (Russia and Pakistan) may be grouped: more articles sharpen it.

Two articles' similarity is the cosine of their vectors. Groups are average-linkage clusters cut at
:data:`THRESHOLD`: two groups merge while the mean similarity between their articles is at least the
threshold, so a chain of near neighbours does not pull unrelated articles together (single
linkage would). Average linkage only merges groups joined by some pair at or above the threshold,
so it is computed exactly per connected component of that sparse graph: the similarity matrix is
computed a block of rows at a time keeping only the pairs at or above the threshold (memory
bounded by :data:`BLOCK` rows), and scipy's linkage runs inside each component only. A component
of more than :data:`DENSE_LIMIT` articles (a chain through a large archive) is clustered on its
pairs above the threshold alone (:func:`_sparse_average`), so memory never grows with the square
of the pool.
Everything is deterministic: the same texts in the same order give the same groups in the same
order (by their first text).
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Sequence

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import csr_matrix, diags, hstack
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer
from sklearn.preprocessing import normalize

from ..errors import UsageError
from ..faithful.glossary import Glossary
from ..faithful.protect import find_spans
from .hindi import is_content, plain, words

#: Cut of the average-linkage tree: the mean cosine a group's articles need to be one story.
THRESHOLD = 0.09
#: The IDF is raised to this power (see the module docstring).
IDF_POWER = 3
#: Empty documents added to the pool when counting document frequencies.
PRIOR_DOCUMENTS = 5
#: Character n-gram lengths, and which n-grams count: those of at most this many articles, or of
#: at most this share of the pool when that is more.
CHAR_NGRAMS = (3, 5)
CHAR_MAX_DOCUMENTS = 5
CHAR_MAX_SHARE = 0.02
#: Rows of the similarity matrix computed at once (memory: BLOCK x articles at most).
BLOCK = 256
#: Largest connected component clustered exactly (its dense similarity matrix: DENSE_LIMIT squared).
DENSE_LIMIT = 2000
#: Terms shown per group as the reason its articles belong together.
WHY_TERMS = 6

_NUMBER_KINDS = ("number", "amount", "percent", "ordinal", "range", "date", "url", "email", "handle")
_LATIN_WORD = re.compile(r"(?<![\w.])[A-Za-z][A-Za-z0-9]*(?:[.-][A-Za-z0-9]+)*")
# Lines worth find_spans' time: those with a digit, an address or a handle.
_MAY_HOLD_SPANS = re.compile(r"[0-9०-९@]|www\.|://")

_GLOSSARY: Glossary | None = None


@dataclass
class Group:
    """Articles (indices into the input, ascending) telling one story, and why: the terms all of
    them share, strongest first (names, Latin words, numbers and dates as an English reader writes
    them, glossary terms in their English, other words in Hindi)."""

    members: list[int]
    why: list[str] = field(default_factory=list)


@dataclass
class _Doc:
    content: list[str]  # content words, in order
    terms: list[str]  # content words, neighbouring pairs and anchors


def names_in(text: str) -> list[str]:
    """Names in Hindi ``text``, each as its English rendering: the news glossary's entries whose
    rendering is capitalised (countries, cities, institutions, offices). A small, replaceable
    stand-in until a Hindi name detector exists; numbers and Latin words are anchors anyway."""
    global _GLOSSARY
    if _GLOSSARY is None:
        _GLOSSARY = Glossary.load(None)
    return [english for _start, _end, _hindi, english in _GLOSSARY.find(text) if english[:1].isupper()]


def _analyse(text: str, names: Callable[[str], list[str]]) -> _Doc:
    content = [word for word in words(plain(text)) if is_content(word)]
    anchors = [f"#{span.value}" for line in text.splitlines() if _MAY_HOLD_SPANS.search(line)
               for span in find_spans(line) if span.kind in _NUMBER_KINDS]
    anchors += [f"@{word}" for word in _LATIN_WORD.findall(text) if word.lower() not in ENGLISH_STOP_WORDS]
    anchors += [f"@{name}" for name in names(text)]
    pairs = [f"{a} {b}" for a, b in zip(content, content[1:])]
    return _Doc(content, content + pairs + anchors)


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def _weigh(counts: csr_matrix) -> csr_matrix:
    """Term counts -> sublinear tf times the cubed IDF (over the pool and the prior documents),
    each row L2-normalised."""
    counts = counts.tocsr().astype(np.float32)
    counts.data = 1 + np.log(counts.data)
    frequency = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log((1 + counts.shape[0] + PRIOR_DOCUMENTS) / (1 + frequency)) + 1
    return normalize(counts @ diags((idf**IDF_POWER).astype(np.float32)))


def vectors(texts: Sequence[str], *, names: Callable[[str], list[str]] = names_in) -> tuple[csr_matrix, list[str]]:
    """One L2-normalised row per text (see the module docstring) and each column's feature name
    ("" for the character n-grams, which no reader would recognise)."""
    docs = [_analyse(text, names) for text in texts]
    n = len(docs)
    if not any(doc.terms for doc in docs):
        return csr_matrix((n, 0), dtype=np.float32), []
    term_vectorizer = CountVectorizer(analyzer=_identity, dtype=np.float32)
    terms = _weigh(term_vectorizer.fit_transform([doc.terms for doc in docs]))
    feature_names = list(term_vectorizer.get_feature_names_out())
    # Character n-grams: each distinct word's n-grams once (CountVectorizer's char_wb, the same
    # n-grams as over the whole text), then word counts times that table: far faster than running
    # the analyser over every word of every article.
    word_vectorizer = CountVectorizer(analyzer=_identity, dtype=np.float32)
    word_counts = word_vectorizer.fit_transform([doc.content for doc in docs])
    parts = [terms]
    if word_counts.shape[1]:
        gram_vectorizer = CountVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, lowercase=False, dtype=np.float32)
        grams = gram_vectorizer.fit_transform(word_vectorizer.get_feature_names_out())
        char_counts = (word_counts @ grams).tocsr()
        frequency = np.bincount(char_counts.indices, minlength=char_counts.shape[1])
        rare = np.flatnonzero(frequency <= max(CHAR_MAX_DOCUMENTS, CHAR_MAX_SHARE * n))
        parts.append(_weigh(char_counts[:, rare]))
        feature_names += [""] * len(rare)
    return normalize(hstack(parts, format="csr")), feature_names


def similar_pairs(matrix: csr_matrix, threshold: float, block: int = BLOCK) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(i, j, cosine)`` for every pair ``i < j`` of rows with a cosine of at least ``threshold``,
    computed ``block`` rows at a time so memory stays bounded."""
    rows, cols, sims = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.float32)]
    transposed = matrix.T.tocsr()
    for start in range(0, matrix.shape[0], block):
        product = (matrix[start : start + block] @ transposed).tocoo()
        keep = (product.data >= threshold) & (product.col > product.row + start)
        rows.append(product.row[keep].astype(np.int64) + start)
        cols.append(product.col[keep].astype(np.int64))
        sims.append(product.data[keep])
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(sims)


def cluster(matrix: csr_matrix, threshold: float = THRESHOLD, *, dense_limit: int = DENSE_LIMIT) -> list[list[int]]:
    """Average-linkage groups of the rows of ``matrix`` (L2-normalised), cut at ``threshold``,
    each ascending, in the order of their first row. Components of more than ``dense_limit`` rows
    are clustered on their pairs at or above the threshold only (:func:`_sparse_average`)."""
    n = matrix.shape[0]
    i, j, sims = similar_pairs(matrix, threshold)
    graph = csr_matrix((np.ones(len(i), dtype=np.int8), (i, j)), shape=(n, n))
    count, labels = connected_components(graph, directed=False)
    components: list[list[int]] = [[] for _ in range(count)]
    for index, label in enumerate(labels):
        components[label].append(index)
    groups: list[list[int]] = []
    for members in components:
        if len(members) <= 2:
            groups.append(members)  # a lone article, or two joined by a pair above the threshold
        elif len(members) > dense_limit:
            inside = labels[i] == labels[members[0]]
            groups += _sparse_average(i[inside], j[inside], sims[inside], threshold)
        else:
            sub = matrix[members]
            distance = 1.0 - (sub @ sub.T).toarray().astype(np.float64)
            condensed = np.clip(distance[np.triu_indices(len(members), 1)], 0.0, None)
            cut = fcluster(linkage(condensed, method="average"), t=1.0 - threshold, criterion="distance")
            by_label: dict[int, list[int]] = {}
            for member, label in zip(members, cut):
                by_label.setdefault(int(label), []).append(member)
            groups += by_label.values()
    return sorted((sorted(group) for group in groups), key=lambda group: group[0])


def _sparse_average(rows: np.ndarray, cols: np.ndarray, sims: np.ndarray, threshold: float) -> list[list[int]]:
    """Average linkage over the given pairs only, the pairs not given counting as 0: memory grows with
    the pairs, not with the square of the articles. It never merges more than the exact linkage
    (a missing pair's true similarity is between 0 and the threshold), so a very large component is
    split at least as finely. Written out because scipy's and scikit-learn's average linkage need
    every pair (or, with a connectivity graph, average over the connected pairs only)."""
    members: dict[int, list[int]] = {}
    links: dict[int, dict[int, float]] = {}
    for a, b, value in zip(rows.tolist(), cols.tolist(), sims.tolist()):
        for x in (a, b):
            members.setdefault(x, [x])
            links.setdefault(x, {})
        links[a][b] = links[b][a] = value
    heap = [(-value, a, b) for a in sorted(links) for b, value in sorted(links[a].items()) if a < b]
    heapq.heapify(heap)
    next_id = max(members) + 1 if members else 0
    while heap:
        negative, a, b = heapq.heappop(heap)
        if -negative < threshold:
            break
        if a not in links or b not in links:
            continue  # one of them was merged since
        new, next_id = next_id, next_id + 1
        members[new] = members.pop(a) + members.pop(b)
        links[new] = {}
        for other in sorted((set(links[a]) | set(links[b])) - {a, b}):
            total = links[a].get(other, 0.0) + links[b].get(other, 0.0)
            links[other].pop(a, None)
            links[other].pop(b, None)
            links[new][other] = links[other][new] = total
            heapq.heappush(heap, (-total / (len(members[new]) * len(members[other])), min(new, other), max(new, other)))
        del links[a], links[b]
    return list(members.values())


def group_texts(texts: Sequence[str], *, threshold: float = THRESHOLD,
                names: Callable[[str], list[str]] = names_in) -> list[Group]:
    """Group Hindi texts by story: every text in exactly one :class:`Group`, groups in the order of
    their first text. ``threshold`` (above 0, at most 1) is the mean cosine a group's texts need."""
    if not 0.0 < threshold <= 1.0:
        raise UsageError(f"the grouping threshold must be above 0 and at most 1, got {threshold}")
    if not texts:
        return []
    matrix, features = vectors(texts, names=names)
    members = cluster(matrix, threshold) if matrix.shape[1] else [[k] for k in range(len(texts))]
    return [Group(group, _why(matrix, features, group)) for group in members]


def _why(matrix: csr_matrix, features: list[str], members: list[int]) -> list[str]:
    """The readable terms every article of the group has, by their smallest weight among them."""
    if len(members) < 2:
        return []
    sub = matrix[members]
    columns, counts = np.unique(sub.indices, return_counts=True)
    shared = [int(column) for column in columns[counts == len(members)] if features[column]]  # in every row
    if not shared:
        return []
    strength = sub[:, shared].min(axis=0).toarray().ravel()
    order = sorted(range(len(shared)), key=lambda k: (-strength[k], features[shared[k]]))
    english = _glossary_english()
    shown: list[str] = []
    for k in order:
        term = features[shared[k]].lstrip("#@")
        term = english.get(term, term)
        if not any(term.lower() in other.lower() or other.lower() in term.lower() for other in shown):
            shown.append(term)
        if len(shown) == WHY_TERMS:
            break
    return shown


@lru_cache(maxsize=1)
def _glossary_english() -> dict[str, str]:
    """The news glossary's Hindi terms (in :func:`.hindi.plain` form) -> their English."""
    names_in("")  # loads the glossary
    return {plain(hindi): _GLOSSARY.rendering(hindi) for hindi in _GLOSSARY.entries}
