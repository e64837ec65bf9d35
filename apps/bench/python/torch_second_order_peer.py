"""PyTorch peer for `ddopt bench second-order`: the same workloads as src/bench/second-order-suite.ts.

Usage: /usr/bin/python3 torch_second_order_peer.py [--quick] [--threads N]
Prints one JSON object on stdout; exits with status 3 (a message on stderr) when torch is missing.
1. A Hessian-vector product of an MLP's softmax cross-entropy by double backward (PyHessian's way).
2. One torch.optim.LBFGS.step(closure) on an L2-regularised logistic regression whose data are a
   closed-form formula (the TypeScript suite builds the same numbers), with tolerances 0 so every
   step runs max_iter iterations; with and without line_search_fn='strong_wolfe'.
"""
import json
import math
import sys

from bench_timing import time_it

try:
    import torch
except ImportError as e:
    print(f"torch is not importable: {e}", file=sys.stderr)
    sys.exit(3)

torch.set_default_dtype(torch.float64)


def logreg_data(n, d):
    x = torch.tensor([[math.sin(0.37 * i + 1.3 * j) for j in range(d)] for i in range(n)])
    y = torch.tensor([1.0 if sum(math.sin(0.37 * i + 1.3 * j) * math.cos(j) for j in range(d)) > 0 else 0.0 for i in range(n)])
    w0 = torch.tensor([0.01 * math.cos(j) for j in range(d)])
    return x, y, w0


def main():
    quick = "--quick" in sys.argv
    threads = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 1
    torch.set_num_threads(threads)
    sizes = [196, 64, 10] if quick else [784, 256, 256, 10]
    batch = 64 if quick else 128
    g = torch.Generator().manual_seed(0)
    params = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        params += [(torch.randn(a, b, generator=g) / math.sqrt(a)).requires_grad_(True), torch.zeros(b).requires_grad_(True)]
    x = torch.randn(batch, sizes[0], generator=g)
    labels = torch.randint(0, sizes[-1], (batch,), generator=g)
    v = [torch.randn(p.shape, generator=g) for p in params]

    def loss_fn():
        h = x
        for i in range(0, len(params), 2):
            h = h @ params[i] + params[i + 1]
            if i + 2 < len(params):
                h = torch.tanh(h)
        return torch.nn.functional.cross_entropy(h, labels)

    def hvp():
        grads = torch.autograd.grad(loss_fn(), params, create_graph=True)
        return torch.autograd.grad(grads, params, grad_outputs=v)

    hvp_ms = time_it(hvp)
    n, d = (500, 50) if quick else (2000, 100)
    xs, ys, w0 = logreg_data(n, d)
    lbfgs = {}
    for name, kw in (("none", {}), ("strongWolfe", {"line_search_fn": "strong_wolfe"})):
        evals = []

        def step():
            w = w0.clone().requires_grad_(True)
            opt = torch.optim.LBFGS([w], max_iter=20, tolerance_grad=0, tolerance_change=0, **kw)

            def closure():
                opt.zero_grad()
                z = xs @ w
                loss = (torch.clamp(z, min=0) + torch.log1p(torch.exp(-torch.abs(z))) - ys * z).mean() + 0.5e-3 * (w * w).sum()
                loss.backward()
                return loss

            opt.step(closure)
            evals.append(opt.state[w]["func_evals"])

        lbfgs[name] = {"ms": time_it(step), "funcEvals": evals[-1]}
    print(json.dumps({"torch": torch.__version__, "threads": threads, "mlp": sizes, "batch": batch, "hvp": hvp_ms, "logreg": [n, d], "lbfgs": lbfgs}))


if __name__ == "__main__":
    main()
