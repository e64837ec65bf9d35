"""PyTorch peer for `ddopt bench`: times the same workloads as the TypeScript suites, in the same run.

Usage: /usr/bin/python3 torch_peer.py tensor|autograd|cputime|sweeps [--quick] [--threads N] [--config JSON (sweeps)]
Prints one JSON object on stdout. Exits with status 3 (and a message on stderr) when torch is missing.
Runs on N threads (default 1); the bench passes the thread count of ddopt's cpu backend.
"""
import ctypes
import json
import os
import sys
import time

from bench_timing import cpu_time_it, time_it

# torch.set_num_threads does not reach OpenBLAS's own thread pool (Debian's torch calls the system
# BLAS): a "1-thread" matmul ran on every core. The BLAS reads its thread count when it loads, so
# it is set here, before torch is imported, and checked below (blas_threads()).
THREADS = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 1
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(THREADS)

try:
    import torch
except ImportError as e:  # the caller reports the bench as skipped
    print(f"torch is not importable: {e}", file=sys.stderr)
    sys.exit(3)

try:  # forward-over-reverse HVP (jvp of grad); bundled with torch 1.13
    import functorch
except ImportError:
    functorch = None


def tensor_suite(quick):
    sizes = [64, 128] if quick else [128, 256, 512, 1024]
    g = torch.Generator().manual_seed(0)
    out = {"matmul": [], "conv2d": []}
    for n in sizes:
        for dtype in (torch.float64, torch.float32):
            a = torch.rand(n, n, generator=g, dtype=dtype)
            b = torch.rand(n, n, generator=g, dtype=dtype)
            ms = time_it(lambda: torch.mm(a, b))
            out["matmul"].append({"n": n, "dtype": str(dtype).replace("torch.", ""), "ms": ms})
    batch = 8 if quick else 64
    for dtype in (torch.float64, torch.float32):
        x = torch.rand(batch, 3, 32, 32, generator=g, dtype=dtype)
        w = torch.rand(16, 3, 3, 3, generator=g, dtype=dtype)
        ms = time_it(lambda: torch.nn.functional.conv2d(x, w, padding=1))
        out["conv2d"].append({"batch": batch, "dtype": str(dtype).replace("torch.", ""), "ms": ms})
    return out


def mlp_loss(params, x, y_onehot):
    """Softmax cross-entropy as one-hot times (logits − logsumexp): torch 1.13 has no forward-AD
    rule for the backward of nll_loss or log_softmax, which jvp-of-grad needs."""
    w1, b1, w2, b2, w3, b3 = params
    h = torch.relu(x @ w1 + b1)
    h = torch.tanh(h @ w2 + b2)
    z = h @ w3 + b3
    return -(y_onehot * (z - torch.logsumexp(z, dim=1, keepdim=True))).sum(dim=1).mean()


MLP_SIZES = [784, 256, 256, 10]


def mlp_problem(batch, dtype, g):
    """The MLP 784-256-256-10 of the autograd suites (weights N(0, 1/fan_in), zero biases) and a
    batch of inputs with one-hot labels, drawn from g in that order."""
    params = []
    for fan_in, fan_out in zip(MLP_SIZES[:-1], MLP_SIZES[1:]):
        params.append((torch.randn(fan_in, fan_out, generator=g, dtype=dtype) / fan_in**0.5).requires_grad_())
        params.append(torch.zeros(fan_out, dtype=dtype).requires_grad_())
    x = torch.randn(batch, MLP_SIZES[0], generator=g, dtype=dtype)
    y = torch.nn.functional.one_hot(torch.randint(0, MLP_SIZES[-1], (batch,), generator=g), MLP_SIZES[-1]).to(dtype)
    return params, x, y


def autograd_suite(quick):
    batch = 32 if quick else 128
    g = torch.Generator().manual_seed(0)
    out = []
    for dtype in (torch.float64, torch.float32):
        params, x, y = mlp_problem(batch, dtype, g)
        v = [torch.randn(p.shape, generator=g, dtype=dtype) for p in params]

        def loss():
            with torch.no_grad():
                mlp_loss(params, x, y)

        def value_and_grad():
            value = mlp_loss(params, x, y)
            torch.autograd.grad(value, params)

        def hvp():
            value = mlp_loss(params, x, y)
            grads = torch.autograd.grad(value, params, create_graph=True)
            dot = sum((gi * vi).sum() for gi, vi in zip(grads, v))
            torch.autograd.grad(dot, params)

        plain = tuple(p.detach() for p in params)
        tangent = tuple(v)

        def hvp_forward_over_reverse():
            grad_fn = functorch.grad(lambda ps: mlp_loss(ps, x, y))
            functorch.jvp(grad_fn, (plain,), (tangent,))

        trained = [p.detach().clone().requires_grad_() for p in params]
        opt = torch.optim.Adam(trained, lr=1e-3)

        def adam_step():
            opt.zero_grad(set_to_none=True)
            value = mlp_loss(trained, x, y)
            value.backward()
            opt.step()
            value.item()

        row = {"dtype": str(dtype).replace("torch.", ""), "batch": batch}
        for name, fn in (("loss", loss), ("valueAndGrad", value_and_grad), ("hvp", hvp), ("adamStep", adam_step)):
            row[name] = time_it(fn)
        if functorch is not None:
            try:
                row["hvpForwardOverReverse"] = time_it(hvp_forward_over_reverse)
            except (NotImplementedError, RuntimeError) as e:  # an op without a forward-AD rule
                row["hvpForwardOverReverseError"] = str(e).split("\n")[0]
        out.append(row)
    return out


def conv_net_step(batch, dtype, g):
    """One SGD step (lr 0.01) of the small conv net of apps/bench/src/bench/conv-net.ts: conv
    3→16 and 16→32 (3×3, padding 1, ReLU), mean over space, dense 32→10, softmax cross-entropy;
    parameters and a batch drawn from g."""
    shapes = [(16, 3, 3, 3), (16,), (32, 16, 3, 3), (32,), (32, 10), (10,)]
    params = [(torch.randn(*s, generator=g, dtype=dtype) * 0.1).requires_grad_() for s in shapes]
    x = torch.randn(batch, 3, 32, 32, generator=g, dtype=dtype)
    y = torch.nn.functional.one_hot(torch.randint(0, 10, (batch,), generator=g), 10).to(dtype)

    def step():
        w1, b1, w2, b2, w3, b3 = params
        h = torch.relu(torch.nn.functional.conv2d(x, w1, b1, padding=1))
        h = torch.relu(torch.nn.functional.conv2d(h, w2, b2, padding=1))
        z = h.mean(dim=(2, 3)) @ w3 + b3
        loss = -(y * torch.log_softmax(z, dim=1)).sum(dim=1).mean()
        grads = torch.autograd.grad(loss, params)
        with torch.no_grad():
            for p, gp in zip(params, grads):
                p.sub_(0.01 * gp)

    return step


def conv_net_suite(quick):
    """One SGD step of the small conv net of apps/bench/src/bench/conv-net.ts (same geometry): conv
    3→16 and 16→32 (3×3, padding 1, ReLU), mean over space, dense 32→10, softmax cross-entropy."""
    batch = 8 if quick else 64
    g = torch.Generator().manual_seed(0)
    out = []
    for dtype in (torch.float64, torch.float32):
        out.append({"dtype": str(dtype).replace("torch.", ""), "batch": batch, "step": time_it(conv_net_step(batch, dtype, g))})
    return out


def cputime_suite(quick):
    """The workloads of apps/bench/src/bench/cputime-suite.ts, timed by process CPU time (best of
    rounds after a warm-up; fast calls repeated 10 times per round for process_time's resolution)."""

    def cpu_ms(fn, rounds, repeat=1):
        fn()
        best = float("inf")
        for _ in range(rounds):
            t0 = time.process_time()
            for _ in range(repeat):
                fn()
            best = min(best, (time.process_time() - t0) * 1000 / repeat)
        return best

    rounds = 3 if quick else 20
    n = 128 if quick else 512
    batch = 16 if quick else 128
    conv_batch = 8 if quick else 64
    g = torch.Generator().manual_seed(0)
    out = {}
    for dtype in (torch.float64, torch.float32):
        name = str(dtype).replace("torch.", "")
        a = torch.rand(n, n, generator=g, dtype=dtype)
        b = torch.rand(n, n, generator=g, dtype=dtype)
        out[f"torch matmul {name} GFLOP/s"] = 2 * n**3 / cpu_ms(lambda: torch.mm(a, b), rounds, 10) / 1e6
    for dtype in (torch.float64, torch.float32):
        name = str(dtype).replace("torch.", "")
        params, x, y = mlp_problem(batch, dtype, g)

        def value_and_grad():
            torch.autograd.grad(mlp_loss(params, x, y), params)

        out[f"torch MLP valueAndGrad {name} ms"] = cpu_ms(value_and_grad, rounds, 10)
        opt = torch.optim.Adam(params, lr=1e-3)

        def adam_step():
            opt.zero_grad(set_to_none=True)
            value = mlp_loss(params, x, y)
            value.backward()
            opt.step()
            value.item()

        out[f"torch MLP Adam step {name} ms"] = cpu_ms(adam_step, rounds, 10)
    for dtype in (torch.float32, torch.float64):
        name = str(dtype).replace("torch.", "")
        out[f"torch conv net step {name} ms"] = cpu_ms(conv_net_step(conv_batch, dtype, g), 2 if quick else 5)
    return out


def vmap_suite(quick):
    """Per-example gradients of the MLP (functorch.vmap(functorch.grad) vs a loop of autograd.grad,
    both stacked into [batch, ...param]) and the Jacobian and Hessian of a 64-wide tanh layer
    (functorch.jacrev / functorch.hessian vs one autograd.grad per basis vector)."""
    if functorch is None:
        return {"skipped": "functorch is not importable"}
    batch = 16 if quick else 128
    g = torch.Generator().manual_seed(0)
    out = []
    for dtype in (torch.float64, torch.float32):
        tracked_params, x, y = mlp_problem(batch, dtype, g)
        params = [p.detach() for p in tracked_params]

        def one(ps, xi, yi):
            w1, b1, w2, b2, w3, b3 = ps
            h = torch.relu(xi[None] @ w1 + b1)
            h = torch.tanh(h @ w2 + b2)
            return -(yi[None] * torch.log_softmax(h @ w3 + b3, -1)).sum()

        plain = tuple(params)
        per_example = functorch.vmap(functorch.grad(one), in_dims=(None, 0, 0))
        tracked = [p.clone().requires_grad_() for p in params]

        def loop():
            grads = [torch.autograd.grad(one(tracked, x[i], y[i]), tracked) for i in range(batch)]
            return [torch.stack(gs) for gs in zip(*grads)]

        w = torch.randn(64, 64, generator=g, dtype=dtype) / 8
        b = torch.randn(64, generator=g, dtype=dtype)
        x0 = torch.randn(64, generator=g, dtype=dtype)

        def layer(v):
            return torch.tanh(w @ v + b)

        def scalar(v):
            return (layer(v) ** 2).sum()

        def jac_loop():
            v = x0.clone().requires_grad_()
            yv = layer(v)
            rows = [torch.autograd.grad(yv, v, torch.eye(64, dtype=dtype)[i], retain_graph=True)[0] for i in range(64)]
            return torch.stack(rows)

        def hess_loop():
            v = x0.clone().requires_grad_()
            (gv,) = torch.autograd.grad(scalar(v), v, create_graph=True)
            rows = [torch.autograd.grad(gv, v, torch.eye(64, dtype=dtype)[i], retain_graph=True)[0] for i in range(64)]
            return torch.stack(rows)

        row = {"dtype": str(dtype).replace("torch.", ""), "batch": batch}
        secs = 0.1 if quick else 1.0
        row["perExampleVmap"] = time_it(lambda: per_example(plain, x, y), min_seconds=secs)
        row["perExampleLoop"] = time_it(loop, min_seconds=secs)
        row["perExampleVmapCpu"] = cpu_time_it(lambda: per_example(plain, x, y), reps=3 if quick else 7)
        row["perExampleLoopCpu"] = cpu_time_it(loop, reps=3 if quick else 7)
        row["jacrevVmap"] = time_it(lambda: functorch.jacrev(layer)(x0), min_seconds=secs)
        row["jacrevLoop"] = time_it(jac_loop, min_seconds=secs)
        try:
            row["hessianVmap"] = time_it(lambda: functorch.hessian(scalar)(x0), min_seconds=secs)
        except (NotImplementedError, RuntimeError) as e:
            row["hessianVmapError"] = str(e).split("\n")[0]
        row["hessianLoop"] = time_it(hess_loop, min_seconds=secs)
        out.append(row)
    return out


def sweeps_suite(config):
    """One training step (zero_grad, forward, backward, optimizer.step, loss.item()) of each network
    of apps/bench/src/bench/sweeps-suite.ts (its SweepNet configurations, given as JSON): the same
    architectures as @ddopt/layers' mlp, cnnK and resnetCifar, the same batch, loss and optimizer."""
    nn = torch.nn
    F = torch.nn.functional
    timing = config["timing"]

    class DownsampleShortcut(nn.Module):
        """resnetCifar's parameter-free shortcut: subsample by 2, append zero channels."""

        def __init__(self, extra):
            super().__init__()
            self.extra = extra

        def forward(self, x):
            return F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, 0, self.extra))

    class Block(nn.Module):
        """x + V·relu(U·x), V zero-initialised (identity initialisation)."""

        def __init__(self, c_in, c, stride):
            super().__init__()
            self.u = nn.Conv2d(c_in, c, 3, stride=stride, padding=1)
            self.v = nn.Conv2d(c, c, 3, padding=1)
            nn.init.zeros_(self.v.weight)
            nn.init.zeros_(self.v.bias)
            self.shortcut = DownsampleShortcut(c - c_in) if stride == 2 else nn.Identity()

        def forward(self, x):
            return self.shortcut(x) + self.v(torch.relu(self.u(x)))

    def build(m, input_shape):
        if m["kind"] == "mlp":
            return nn.Sequential(nn.Linear(input_shape[0], m["hidden"]), nn.ReLU(), nn.Linear(m["hidden"], 10))
        if m["kind"] == "cnnK":
            k = m["k"]
            layers, c_in = [], input_shape[0]
            for i, c in enumerate([k, 2 * k, 4 * k, 8 * k]):
                layers += [nn.Conv2d(c_in, c, 3, padding=1, bias=False), nn.BatchNorm2d(c), nn.ReLU()]
                if i in (1, 2):
                    layers.append(nn.MaxPool2d(2))
                c_in = c
            layers += [nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.Linear(c_in, 10)]
            return nn.Sequential(*layers)
        widths = m["widths"]
        layers = [nn.Conv2d(input_shape[0], widths[0], 3, padding=1)]
        c_in = widths[0]
        for stage, c in enumerate(widths):
            for b in range(m["blocksPerStage"]):
                layers.append(Block(c_in, c, 2 if stage > 0 and b == 0 else 1))
                c_in = c
        layers += [nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c_in, 10)]
        return nn.Sequential(*layers)

    out = []
    for net in config["nets"]:
        for dtype in (torch.float32, torch.float64):
            g = torch.Generator().manual_seed(0)
            torch.manual_seed(0)
            model = build(net["model"], net["input"]).to(dtype).train()
            x = torch.randn(net["batch"], *net["input"], generator=g, dtype=dtype)
            labels = torch.randint(0, 10, (net["batch"],), generator=g)
            target = F.one_hot(labels, 10).to(dtype)
            o = net["optimizer"]
            opt = torch.optim.Adam(model.parameters(), lr=o["lr"]) if o["name"] == "adam" else torch.optim.SGD(model.parameters(), lr=o["lr"], momentum=o["momentum"])
            squared = net["loss"] == "squared"

            def step():
                opt.zero_grad(set_to_none=True)
                z = model(x)
                loss = ((z - target) ** 2).mean() if squared else F.cross_entropy(z, labels)
                loss.backward()
                opt.step()
                loss.item()

            ms = time_it(step, min_seconds=timing["minSeconds"], min_reps=timing["minReps"], warmup=timing["warmup"])
            params = sum(p.numel() for p in model.parameters())
            out.append({"id": net["id"], "dtype": str(dtype).replace("torch.", ""), "batch": net["batch"], "params": params, "stepMs": ms})
    return out


def blas_info():
    """The BLAS library torch's matmul runs on (from this process's memory map), its thread count
    (set to THREADS if it is OpenBLAS) and OpenBLAS's build description (its kernel, e.g. SKYLAKEX)."""
    with open("/proc/self/maps") as maps:
        paths = sorted({line.split()[-1] for line in maps if "blas" in line.split()[-1].rsplit("/", 1)[-1]})
    info = {"libraries": paths}
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_set_num_threads(THREADS)
            lib.openblas_get_config.restype = ctypes.c_char_p
            info.update({"openblasThreads": lib.openblas_get_num_threads(), "openblasConfig": lib.openblas_get_config().decode()})
            break
        except (OSError, AttributeError):
            continue
    return info


def main():
    suite = sys.argv[1]
    quick = "--quick" in sys.argv[2:]
    torch.set_num_threads(THREADS)
    result = {"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_info()}
    if suite == "tensor":
        result.update(tensor_suite(quick))
    elif suite == "cputime":
        result["cputime"] = cputime_suite(quick)
    elif suite == "sweeps":
        result["sweeps"] = sweeps_suite(json.loads(sys.argv[sys.argv.index("--config") + 1]))
    elif suite == "autograd":
        result["mlp"] = autograd_suite(quick)
        result["vmap"] = vmap_suite(quick)
        result["convNet"] = conv_net_suite(quick)
    else:
        print(f"unknown suite {suite!r}; known: tensor, autograd, cputime, sweeps", file=sys.stderr)
        sys.exit(2)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
