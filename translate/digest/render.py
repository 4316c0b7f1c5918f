"""A digest as plain data (digest.json) and as Markdown (digest.md).

In the data an article is named by its input (path or URL) and a segment by its position in the
article's ``segments`` (from 0, as warnings point at them). In the Markdown, articles are
``[A1]``, ``[A2]``... in input order, listed under each story with their outlet and input, and a
citation ``[A2, s4]`` is article A2's fourth sentence (from 1, as a reader counts).
"""

from __future__ import annotations

from typing import Any

# The digest's records (translate.digest.stories) are read by attribute, not imported: stories
# imports this module.
Digest = Story = Citation = Any


def _cite(digest: Digest, citation: Citation) -> dict[str, Any]:
    return {"article": digest.inputs[citation.article], "segment": citation.segment}


def story_dict(digest: Digest, story: Story) -> dict[str, Any]:
    outlet = lambda k: digest.outlets[k].name
    return {
        "title": story.title,
        "articles": [digest.inputs[k] for k in story.articles],
        "outlets": [{"article": digest.inputs[k], **digest.outlets[k].to_dict()} for k in story.articles],
        "why": list(story.why),
        "brief": story.brief,
        "sentences": [
            {"text": s.text, "sources": [_cite(digest, c) for c in s.sources], "reported_by": s.reported_by,
             "outlets": list(s.outlets), "disputed": list(s.disputed)}
            for s in story.sentences
        ],
        "conflicts": [
            {"what": c.what,
             "versions": [{"article": digest.inputs[v.article], "outlet": outlet(v.article), "value": v.value,
                           "source": v.source, "segment": v.segment, "text": v.text} for v in c.versions]}
            for c in story.conflicts
        ],
        "names": [{"name": n.name, "outlets": list(dict.fromkeys(outlet(k) for k in n.articles)),
                   "articles": [digest.inputs[k] for k in n.articles]} for n in story.names],
        "timeline": [{"date": d.date, "text": d.text, "sources": [_cite(digest, c) for c in d.sources]}
                     for d in story.timeline],
        "warnings": [w.to_dict() for w in story.warnings],
    }


def digest_dict(digest: Digest) -> dict[str, Any]:
    return {
        "articles": [{"input": name, "id": f"A{k + 1}", "title": title, "outlet": outlet.to_dict()}
                     for k, (name, title, outlet) in enumerate(zip(digest.inputs, digest.titles, digest.outlets))],
        "stories": [story_dict(digest, story) for story in digest.stories],
    }


def _label(citation: Citation) -> str:
    return f"A{citation.article + 1}, s{citation.segment + 1}"


def _quote(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _outlets_phrase(count: int) -> str:
    return "reported by 1 outlet" if count == 1 else f"reported by {count} outlets"


def story_markdown(digest: Digest, story: Story, number: int) -> list[str]:
    outlet = lambda k: digest.outlets[k].name
    names = list(dict.fromkeys(outlet(k) for k in story.articles))
    lines = [f"## {number}. {story.title}", ""]
    count = len(story.articles)
    lines.append(f"*{count} article{'s' if count != 1 else ''}, {_outlets_phrase(len(names))}: {', '.join(names)}.*")
    if story.why:
        lines.append(f"*Grouped for what they share: {', '.join(story.why)}.*")
    lines.append("")
    if story.sentences:
        cited = []
        for sentence in story.sentences:
            where = "; ".join(_label(c) for c in sentence.sources)
            confirmed = f", {_outlets_phrase(sentence.reported_by)}" if sentence.reported_by > 1 else ""
            disputed = "; outlets disagree on " + ", ".join(sentence.disputed) if sentence.disputed else ""
            cited.append(f"{sentence.text} [{where}{confirmed}{disputed}]")
        lines += ["**Brief.** " + " ".join(cited), ""]
    else:
        lines += ["**Brief.** No sentence of these articles could be used (see their warnings).", ""]
    if story.conflicts:
        lines += ["**Where the outlets disagree**", ""]
        for conflict in story.conflicts:
            lines.append(f"- {conflict.what}:")
            for v in conflict.versions:
                lines.append(f"  - **{v.value}** ({v.source}), {outlet(v.article)} [A{v.article + 1}, s{v.segment + 1}]: "
                             f"“{_quote(v.text)}”")
        lines.append("")
    if story.names:
        lines += ["**Who is named**", ""]
        for name in story.names:
            lines.append(f"- {name.name}: {', '.join(dict.fromkeys(outlet(k) for k in name.articles))}")
        lines.append("")
    if story.timeline:
        lines += ["**Timeline**", ""]
        for dated in story.timeline:
            where = "; ".join(_label(c) for c in dated.sources)
            lines.append(f"- {dated.date}: “{_quote(dated.text)}” [{where}]")
        lines.append("")
    if story.warnings:
        lines += ["**Warnings**", ""] + [f"- {w.message}" for w in story.warnings] + [""]
    lines += ["**Articles**", ""]
    for k in story.articles:
        o = digest.outlets[k]
        byline = f", by {o.author}" if o.author else ""
        title = f": {digest.titles[k]}" if digest.titles[k] else ""
        lines.append(f"- [A{k + 1}] {o.name}{byline} ({digest.inputs[k]}){title}")
    lines.append("")
    return lines


def digest_markdown(digest: Digest) -> str:
    outlets = len({o.name for o in digest.outlets})
    stories = len(digest.stories)
    lines = ["# Story digest", "",
             f"{len(digest.inputs)} article{'s' if len(digest.inputs) != 1 else ''} from {outlets} "
             f"outlet{'s' if outlets != 1 else ''}, in {stories} stor{'ies' if stories != 1 else 'y'}. "
             "Citations [A2, s4] point at article A2's fourth sentence.", ""]
    for number, story in enumerate(digest.stories, 1):
        lines += story_markdown(digest, story, number)
    lines += ["---", "", "*Machine translation, grouped and summarised by machine; check before quoting.*", ""]
    return "\n".join(lines)
