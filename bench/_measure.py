"""Timing and peak memory of one call, shared by the analysis benchmarks."""
import time
import tracemalloc


def measure(func, *, memory=True):
    """(result, seconds, peak MiB) of ``func()``: seconds from a run without tracemalloc (which
    slows Python code 3-4x), peak MiB from a second run under it (None when ``memory`` is False)."""
    started = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - started
    peak = None
    if memory:
        tracemalloc.start()
        func()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return result, seconds, peak
