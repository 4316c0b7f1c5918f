"""Length-sorted batching under a token budget (pure Python, shared by every backend).

Sorting by length keeps padding low: a batch costs ``len(batch) * longest`` tokens, so putting
sentences of similar length together fits more real tokens into the same memory. This is the
"tokens" batch type of CTranslate2's ``translate_batch``, written out here so that the
transformers backend gets the same behaviour and both report the same batches.
"""

from __future__ import annotations


def token_budget_batches(
    lengths: list[int], max_tokens: int, max_batch_size: int | None = None
) -> list[list[int]]:
    """Group item indices into batches whose padded size stays within ``max_tokens``.

    ``lengths[i]`` is item i's length in tokens. Indices are sorted longest first (so the most
    memory-hungry batch runs first and fails early), then packed while
    ``len(batch) * longest_in_batch <= max_tokens`` and, if given, ``len(batch) <= max_batch_size``.
    An item longer than ``max_tokens`` gets a batch of its own. Every index appears exactly once;
    the caller puts results back in input order.
    """
    if max_tokens < 1:
        raise ValueError(f"max_tokens must be at least 1, not {max_tokens}")
    if max_batch_size is not None and max_batch_size < 1:
        raise ValueError(f"max_batch_size must be at least 1, not {max_batch_size}")
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    batches: list[list[int]] = []
    current: list[int] = []
    for index in order:
        # Longest first: the batch's longest item is its first one.
        longest = lengths[current[0]] if current else lengths[index]
        full = max_batch_size is not None and len(current) >= max_batch_size
        if current and (full or (len(current) + 1) * longest > max_tokens):
            batches.append(current)
            current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches
