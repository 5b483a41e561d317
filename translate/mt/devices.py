"""CPU threads for a model: what this process may use, or what it is told."""

from __future__ import annotations

import os


def available_cpus() -> int:
    """CPUs this process may run on (its affinity mask, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def cpu_threads(requested: int = 0) -> int:
    """The CPU threads a model should use: ``requested``, else ``OMP_NUM_THREADS``
    when it is set (as Ray sets it for its workers), else every available CPU."""
    if requested > 0:
        return requested
    env = os.environ.get("OMP_NUM_THREADS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    return available_cpus()
