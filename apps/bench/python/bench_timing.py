"""Timing helpers shared by the PyTorch/NumPy peer scripts of `pnpm bench` (medians, in milliseconds)."""
import statistics
import time


def time_it(fn, min_seconds=0.4, min_reps=3, max_reps=200, warmup=1):
    """Median wall time of fn() in milliseconds, after `warmup` calls: at least `min_reps` runs and
    at least `min_seconds` of them, at most `max_reps`."""
    for _ in range(warmup):
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < min_reps or (len(times) < max_reps and time.perf_counter() - start < min_seconds):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def cpu_time_it(fn, reps=7, warmup=1):
    """Median process CPU time (time.process_time: every thread of this process) of fn() in
    milliseconds; a loaded machine inflates it far less than wall time."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(reps):
        t0 = time.process_time()
        fn()
        times.append((time.process_time() - t0) * 1000)
    return statistics.median(times)
