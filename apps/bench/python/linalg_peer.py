"""NumPy/SciPy and PyTorch (LAPACK) peer for the linear-algebra rows of `ddopt bench tensor`.

Usage: /usr/bin/python3 linalg_peer.py [--quick] [--threads N]
Prints one JSON object on stdout: median times of pinv (m×n, float64) and eigh (n×n, float64)
in NumPy and PyTorch, and PyTorch's float64 matmul at n = 512 in GFLOP/s (a check that the BLAS
under them is a real one, not the reference BLAS). Exits with status 3 when numpy is missing.
"""
import json
import os
import sys

from bench_timing import time_it

# The BLAS reads its thread count when it loads: set before numpy / torch are imported.
THREADS = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 1
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(THREADS)

try:
    import numpy as np
except ImportError as e:
    print(f"numpy is not importable: {e}", file=sys.stderr)
    sys.exit(3)
try:
    import torch
except ImportError:
    torch = None


# Decompositions take up to seconds each: fewer repetitions over a longer window, no warm-up beyond one call.
LINALG_REPS = {"min_seconds": 1.0, "max_reps": 20}


def main():
    quick = "--quick" in sys.argv
    pm, pn = (400, 200) if quick else (2000, 1000)
    en = 200 if quick else 1000
    rng = np.random.default_rng(0)
    a = rng.standard_normal((pm, pn))
    s = rng.standard_normal((en, en))
    s = s + s.T
    out = {
        "numpy": np.__version__,
        "threads": THREADS,
        "pinv": {"m": pm, "n": pn, "numpyMs": time_it(lambda: np.linalg.pinv(a), **LINALG_REPS)},
        "eigh": {"n": en, "numpyMs": time_it(lambda: np.linalg.eigh(s), **LINALG_REPS)},
    }
    if torch is not None:
        torch.set_num_threads(THREADS)
        ta = torch.from_numpy(a)
        ts = torch.from_numpy(s)
        out["torch"] = torch.__version__
        out["pinv"]["torchMs"] = time_it(lambda: torch.linalg.pinv(ta), **LINALG_REPS)
        out["eigh"]["torchMs"] = time_it(lambda: torch.linalg.eigh(ts), **LINALG_REPS)
        m = torch.rand(512, 512, dtype=torch.float64)
        ms = time_it(lambda: torch.mm(m, m), min_seconds=0.3)
        out["torchMatmul512Float64Gflops"] = 2 * 512**3 / (ms * 1e6)
    print(json.dumps(out))


main()
