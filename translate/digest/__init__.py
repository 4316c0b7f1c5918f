"""Story digest: many translated articles -> the stories they tell, each with a cited brief, the
facts several outlets confirm, where they disagree, who is named and when things happened.

    from translate.digest import digest
    result = digest(results, sources, words=100)     # results: Pipeline outputs or their JSON
    result.to_dict(); result.to_markdown()
    import translate; translate.digest(results)      # the same: the package is callable

Read top-down: :mod:`.stories` (the digest) -> :mod:`.grouping` (which articles tell one story, from
their Hindi) -> :mod:`.brief` (a story's brief) -> :mod:`.facts` (conflicts, names, timeline) ->
:mod:`.outlets` (who published what) -> :mod:`.hindi` (words); :mod:`.render` writes JSON and Markdown.
No model is needed.
"""

from __future__ import annotations

import sys
import types

from .grouping import THRESHOLD, Group, group_texts
from .outlets import Outlet, outlet_of
from .stories import DEFAULT_STORY_WORDS, Digest, Story, digest, hindi_text

__all__ = ["DEFAULT_STORY_WORDS", "Digest", "Group", "Outlet", "Story", "THRESHOLD", "digest", "group_texts",
           "hindi_text", "outlet_of"]


class _CallablePackage(types.ModuleType):
    """``translate.digest(results)`` is ``translate.digest.digest(results)``, whether or not this
    package was imported first (the package and its main function share a name)."""

    def __call__(self, *args, **kwargs) -> Digest:
        return digest(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
