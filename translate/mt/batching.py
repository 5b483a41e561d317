"""Length-sorted batching under a token budget; order is restored by index."""

from __future__ import annotations

from collections.abc import Sequence


def plan_batches(lengths: Sequence[int], max_tokens: int, max_batch_size: int) -> list[list[int]]:
    """Group item indexes into batches, longest first.

    A batch's cost is its longest item times its size (padding included), kept
    under ``max_tokens``; an item longer than the budget gets a batch of its own.

    Returns:
        Lists of indexes into ``lengths``; every index appears exactly once.
    """
    if max_tokens < 1 or max_batch_size < 1:
        raise ValueError("max_tokens and max_batch_size must be positive")
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    batches: list[list[int]] = []
    current: list[int] = []
    longest = 0
    for i in order:
        n = max(1, lengths[i])
        width = max(longest, n)
        if current and (width * (len(current) + 1) > max_tokens or len(current) >= max_batch_size):
            batches.append(current)
            current, width = [], n
        current.append(i)
        longest = width
    if current:
        batches.append(current)
    return batches
