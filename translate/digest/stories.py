"""The digest of many translated articles: which stories they tell, and for each story a cited brief,
the facts several outlets confirm, where they disagree, who is named and when things happened.

    from translate.digest import digest
    result = digest([pipe(path) for path in paths], paths, words=100)
    result.to_dict()        # digest.json
    result.to_markdown()    # digest.md

Plain data, and deterministic: the same results in the same order give the same digest. Article
positions (``Citation.article``) index the inputs; segments index ``Result.segments``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Sequence

from ..errors import UsageError
from ..faithful.warnings import Warning, warning
from ..options import DEFAULT_STORY_WORDS, check_brief_words
from ..pipeline import Result
from . import facts
from .brief import BriefSentence, Citation, brief, title
from .grouping import THRESHOLD, group_texts
from .outlets import Outlet, outlet_of
from .render import digest_dict, digest_markdown

#: Names listed per story, and dates in its timeline.
MAX_NAMES = 20
MAX_DATES = 10


@dataclass
class Version:
    """One outlet's value of a disputed fact."""

    article: int
    segment: int
    value: str  # canonical, as protect writes it: "10th", "5 lakh rupees", "11 July 2025"
    source: str  # as the Hindi writes it: "10वीं"
    text: str  # the English sentence


@dataclass
class Conflict:
    what: str
    versions: list[Version]


@dataclass
class Name:
    name: str
    articles: list[int]


@dataclass
class Dated:
    date: str
    text: str
    sources: list[Citation]


@dataclass
class Story:
    """One story: its articles (input positions, in input order) and what they say together."""

    title: str
    articles: list[int]
    why: list[str]
    sentences: list[BriefSentence]
    conflicts: list[Conflict] = field(default_factory=list)
    names: list[Name] = field(default_factory=list)
    timeline: list[Dated] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)

    @property
    def brief(self) -> str:
        return " ".join(sentence.text for sentence in self.sentences)


@dataclass
class Digest:
    """Stories (largest first, then in the order of their first article) over the input articles;
    every article is in exactly one story."""

    inputs: list[str]
    outlets: list[Outlet]
    titles: list[str]
    stories: list[Story]

    def to_dict(self) -> dict[str, Any]:
        return digest_dict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def to_markdown(self) -> str:
        return digest_markdown(self)


def hindi_text(result: Result) -> str:
    """The Hindi a result was translated from: its title and every sentence, one per line."""
    return "\n".join([result.title_hi] + [segment.hi for segment in result.segments])


def default_sources(results: Sequence[Result]) -> list[str]:
    """Each result's ``metadata["source"]`` (its path or URL), else "article N"."""
    return [str(r.metadata.get("source") or f"article {k + 1}") for k, r in enumerate(results)]


def digest(results: Sequence[Result | dict], sources: Sequence[str] | None = None, *,
           words: int = DEFAULT_STORY_WORDS, threshold: float = THRESHOLD) -> Digest:
    """Group translated articles into stories and digest each (see the module docstring).

    ``results``: :class:`~translate.pipeline.Result` objects or their plain data (``to_dict()``);
    ``sources``: their input names (paths or URLs), in the same order, default
    :func:`default_sources`; ``words``: each story's brief length; ``threshold``: the grouping's
    (:data:`translate.digest.grouping.THRESHOLD`).
    """
    words = check_brief_words(words)
    results = [r if isinstance(r, Result) else Result.from_dict(r) for r in results]
    if sources is None:
        sources = default_sources(results)
    sources = [str(s) for s in sources]
    if len(sources) != len(results):
        raise UsageError(f"a digest needs one source name per article: got {len(sources)} for {len(results)} articles")
    outlets = [outlet_of(r.metadata, r.removed, s) for r, s in zip(results, sources)]
    groups = group_texts([hindi_text(r) for r in results], threshold=threshold)
    stories = [_story(results, outlets, group.members, group.why, words) for group in groups]
    stories.sort(key=lambda story: (-len(story.articles), story.articles[0]))
    return Digest(sources, outlets, [r.title for r in results], stories)


def _story(results: list[Result], outlets: list[Outlet], members: list[int], why: list[str], words: int) -> Story:
    mine = [results[k] for k in members]
    outlet_names = {k: outlets[k].name for k in members}
    sentences, warnings, context = brief(mine, members, outlet_names, words)
    if not sentences:
        warnings.append(warning(
            "story-brief-empty", None,
            "No sentence of this story's articles could go into its brief: every one was flagged by a check (a "
            "number missing or changed, a loop, a name missing, ...) or failed the brief's own check. Read the "
            "articles and their warnings."))

    segments = [[(s.hi, s.en) for s in r.segments] for r in mine]
    found = facts.mentions(segments)
    for mention in found:  # positions within the story -> input positions
        mention.article = members[mention.article]
    conflicts = [
        Conflict(conflict.what, [Version(m.article, m.segment, m.span.value, m.span.source, m.english)
                                 for m in conflict.versions])
        for conflict in facts.conflicts(found)
    ]
    for sentence in sentences:  # a brief sentence stating one version of a disputed fact says so
        cited = {(c.article, c.segment) for c in sentence.sources}
        sentence.disputed = [c.what for c in conflicts if any((v.article, v.segment) in cited for v in c.versions)]
    years = facts.years_named(found, [hindi_text(r) for r in mine])
    timeline = [Dated(d.shown, d.english, [Citation(a, s) for a, s in d.where])
                for d in facts.timeline(found, years)[:MAX_DATES]]
    names = _names(mine, members)
    shared = [n.name for n in names if len(n.articles) == len(members) > 1][:4]
    why_all = shared + [term for term in why if term.lower() not in {n.lower() for n in shared}]
    return Story(title(mine, context, sentences), list(members), why_all, sentences, conflicts, names, timeline,
                 warnings)


def _names(results: list[Result], members: list[int]) -> list[Name]:
    """Names of the story with the articles naming them. A name that ends a longer one ("Putin",
    "Vladimir Putin") counts as the longer one when every article naming it names the longer too."""
    per_article = [facts.english_names([r.title] + [s.en for s in r.segments]) for r in results]
    order: list[str] = []
    for names in per_article:
        order += [name for name in names if name not in order]
    naming = {name: {k for k, names in enumerate(per_article) if name in names} for name in order}
    longer = {name: next((other for other in order if other.endswith(" " + name) and naming[name] <= naming[other]),
                         name) for name in order}
    articles: dict[str, list[int]] = {}
    for member, names in zip(members, per_article):
        for name in names:
            full = longer[name]
            if member not in articles.setdefault(full, []):
                articles[full].append(member)
    ranked = sorted(articles, key=lambda n: (-len(articles[n]), order.index(n)))
    return [Name(name, articles[name]) for name in ranked[:MAX_NAMES]]
