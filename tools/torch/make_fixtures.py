#!/usr/bin/env python3
"""Writes the PyTorch reference fixtures that dl101-core's tests compare against.

Run from the repository root (torch must be importable; CI never runs this):

    python3 tools/torch/make_fixtures.py            # writes core/tests/fixtures/*.json
    python3 tools/torch/make_fixtures.py --only surfaces   # writes surfaces.json only

Layout note: torch's nn.Linear weight is [out, in]; Burn's is [in, out]. Fixtures store
torch's layout and the Rust tests transpose.
"""
import json
import math
import pathlib

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = pathlib.Path(__file__).resolve().parents[2] / "core" / "tests" / "fixtures"
STEPS = 120


def write(name, payload):
    OUT.mkdir(parents=True, exist_ok=True)
    payload = {"generator": "tools/torch/make_fixtures.py", "torch": torch.__version__, **payload}
    (OUT / name).write_text(json.dumps(payload, indent=None, separators=(",", ":")) + "\n")
    print(f"wrote {OUT / name}")


def tolist(t):
    return t.detach().cpu().double().tolist()


# --------------------------------------------------------------------------- activations
def activations():
    z = torch.linspace(-5, 5, 201, dtype=torch.float64)
    cases = [
        ({"kind": "sigmoid"}, torch.sigmoid),
        ({"kind": "tanh"}, torch.tanh),
        ({"kind": "relu"}, F.relu),
        ({"kind": "leaky-relu", "alpha": 0.2}, lambda x: F.leaky_relu(x, 0.2)),
        ({"kind": "elu", "alpha": 1.0}, lambda x: F.elu(x, 1.0)),
        ({"kind": "elu", "alpha": 0.5}, lambda x: F.elu(x, 0.5)),
        ({"kind": "selu"}, F.selu),
        ({"kind": "gelu"}, F.gelu),
        ({"kind": "gelu-tanh"}, lambda x: F.gelu(x, approximate="tanh")),
        ({"kind": "swish", "beta": 1.0}, F.silu),
        ({"kind": "swish", "beta": 0.6}, lambda x: x * torch.sigmoid(0.6 * x)),
        ({"kind": "mish"}, F.mish),
        ({"kind": "softplus"}, F.softplus),
        ({"kind": "relu2"}, lambda x: F.relu(x).square()),
        # SwiGLU drawn as its gate swish_beta(z) * 1
        ({"kind": "swiglu", "beta": 0.2}, lambda x: x * torch.sigmoid(0.2 * x)),
    ]
    out = []
    for activation, f in cases:
        x = z.clone().requires_grad_(True)
        y = f(x)
        (grad,) = torch.autograd.grad(y.sum(), x)
        out.append({"activation": activation, "value": tolist(y), "derivative": tolist(grad)})
    # SwiGLU on tensors: [z1 | z2] -> swish_beta(z1) * z2 (halves the width)
    torch.manual_seed(1)
    pairs = torch.randn(6, 8)
    z1, z2 = pairs.chunk(2, dim=-1)
    swiglu = z1 * torch.sigmoid(0.2 * z1) * z2
    write("activations.json", {
        "z": tolist(z),
        "cases": out,
        "swiglu": {"beta": 0.2, "input": tolist(pairs), "output": tolist(swiglu)},
    })


# --------------------------------------------------------------------------- small problem
def small_problem():
    """A 4-8-3 tanh MLP on 16 fixed points: the shared problem of optimizer/clipping fixtures."""
    g = torch.Generator().manual_seed(1234)
    x = torch.randn(16, 4, generator=g)
    y = torch.randint(0, 3, (16,), generator=g)
    w1 = torch.randn(8, 4, generator=g) * 0.5
    b1 = torch.randn(8, generator=g) * 0.1
    w2 = torch.randn(3, 8, generator=g) * 0.5
    b2 = torch.randn(3, generator=g) * 0.1
    return x, y, [w1, b1, w2, b2]


def model_from(params):
    model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 3))
    with torch.no_grad():
        model[0].weight.copy_(params[0])
        model[0].bias.copy_(params[1])
        model[2].weight.copy_(params[2])
        model[2].bias.copy_(params[3])
    return model


def problem_json(x, y, params):
    return {
        "x": tolist(x),
        "y": y.tolist(),
        "w1": tolist(params[0]),
        "b1": tolist(params[1]),
        "w2": tolist(params[2]),
        "b2": tolist(params[3]),
    }


OPTIMIZERS = [
    ({"kind": "sgd", "weight_decay": 0.0}, 0.1, lambda p, lr: torch.optim.SGD(p, lr=lr)),
    ({"kind": "sgd", "weight_decay": 0.01}, 0.1, lambda p, lr: torch.optim.SGD(p, lr=lr, weight_decay=0.01)),
    ({"kind": "momentum", "momentum": 0.9, "weight_decay": 0.0}, 0.05,
     lambda p, lr: torch.optim.SGD(p, lr=lr, momentum=0.9)),
    ({"kind": "nesterov", "momentum": 0.9, "weight_decay": 0.001}, 0.05,
     lambda p, lr: torch.optim.SGD(p, lr=lr, momentum=0.9, nesterov=True, weight_decay=0.001)),
    ({"kind": "adagrad", "eps": 1e-10, "weight_decay": 0.0}, 0.1, lambda p, lr: torch.optim.Adagrad(p, lr=lr)),
    ({"kind": "adagrad", "eps": 1e-10, "weight_decay": 0.01}, 0.1,
     lambda p, lr: torch.optim.Adagrad(p, lr=lr, weight_decay=0.01)),
    # RMSProp with α = 0.9 turns near-zero gradients into full-size steps: at lr ≥ 0.003 this
    # problem is ill-conditioned (torch's own float32 and float64 runs differ by 5e-5), so the
    # fixture uses lr 0.001 where float32 noise stays at 1e-7.
    ({"kind": "rmsprop", "alpha": 0.9, "eps": 1e-8, "momentum": 0.0, "weight_decay": 0.0}, 0.001,
     lambda p, lr: torch.optim.RMSprop(p, lr=lr, alpha=0.9)),
    ({"kind": "rmsprop", "alpha": 0.99, "eps": 1e-8, "momentum": 0.5, "weight_decay": 0.01}, 0.005,
     lambda p, lr: torch.optim.RMSprop(p, lr=lr, momentum=0.5, weight_decay=0.01)),
    ({"kind": "adam", "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.0}, 0.01,
     lambda p, lr: torch.optim.Adam(p, lr=lr)),
    ({"kind": "adam", "beta1": 0.8, "beta2": 0.99, "eps": 1e-8, "weight_decay": 0.01}, 0.01,
     lambda p, lr: torch.optim.Adam(p, lr=lr, betas=(0.8, 0.99), weight_decay=0.01)),
    ({"kind": "adamax", "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.0}, 0.01,
     lambda p, lr: torch.optim.Adamax(p, lr=lr)),
    ({"kind": "adamax", "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.01}, 0.01,
     lambda p, lr: torch.optim.Adamax(p, lr=lr, weight_decay=0.01)),
    ({"kind": "nadam", "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.0, "momentum_decay": 0.004},
     0.01, lambda p, lr: torch.optim.NAdam(p, lr=lr)),
    ({"kind": "nadam", "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.01, "momentum_decay": 0.004},
     0.01, lambda p, lr: torch.optim.NAdam(p, lr=lr, weight_decay=0.01)),
    ({"kind": "adamw", "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.1}, 0.01,
     lambda p, lr: torch.optim.AdamW(p, lr=lr, weight_decay=0.1)),
]


def optimizers():
    x, y, params = small_problem()
    runs = []
    for config, lr, make in OPTIMIZERS:
        model = model_from(params)
        opt = make(model.parameters(), lr)
        losses = []
        for _ in range(STEPS):
            opt.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        runs.append({
            "optimizer": config,
            "lr": lr,
            "losses": losses,
            "w1": tolist(model[0].weight), "b1": tolist(model[0].bias),
            "w2": tolist(model[2].weight), "b2": tolist(model[2].bias),
        })
    write("optimizers.json", {"steps": STEPS, "problem": problem_json(x, y, params), "runs": runs})


# --------------------------------------------------------------------------- schedules
class Dummy(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.zeros(1))


def epoch_lrs(make_sched, lr, epochs, metrics=None, opt_factory=None):
    opt = (opt_factory or (lambda p: torch.optim.SGD(p, lr=lr)))(Dummy().parameters())
    sched = make_sched(opt)
    lrs = []
    for e in range(epochs):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()  # no gradients: only keeps torch from warning about the call order
        if metrics is None:
            sched.step()
        else:
            sched.step(metrics[e])
    return lrs


PLATEAU_METRICS = [0.80, 0.82, 0.83, 0.83, 0.829, 0.831, 0.8301, 0.84, 0.84, 0.84,
                   0.835, 0.839, 0.85, 0.85, 0.849, 0.848, 0.86, 0.86, 0.86, 0.86,
                   0.861, 0.8611, 0.87, 0.87, 0.87]
LOSS_METRICS = [1.0, 0.9, 0.85, 0.86, 0.849, 0.85, 0.8, 0.8, 0.81, 0.8, 0.7999, 0.79,
                0.79, 0.791, 0.6, 0.6, 0.6, 0.6, 0.6, 0.5]


def schedules():
    lr = 0.05
    S = torch.optim.lr_scheduler
    cases = []

    def add(config, lrs, metrics=None):
        cases.append({"schedule": config, "lr": lr, "epochs": len(lrs), "metrics": metrics, "lrs": lrs})

    add({"kind": "constant"}, [lr] * 10)
    add({"kind": "exponential", "gamma": 0.9}, epoch_lrs(lambda o: S.ExponentialLR(o, gamma=0.9), lr, 40))
    add({"kind": "step", "step_size": 3, "gamma": 0.5}, epoch_lrs(lambda o: S.StepLR(o, 3, 0.5), lr, 20))
    add({"kind": "warmup", "start_factor": 0.1, "end_factor": 1.0, "total_iters": 3},
        epoch_lrs(lambda o: S.LinearLR(o, 0.1, 1.0, 3), lr, 8))
    add({"kind": "warmup", "start_factor": 0.25, "end_factor": 0.5, "total_iters": 5},
        epoch_lrs(lambda o: S.LinearLR(o, 0.25, 0.5, 5), lr, 8))
    add({"kind": "cosine", "t_max": 20, "eta_min": 0.001},
        epoch_lrs(lambda o: S.CosineAnnealingLR(o, 20, 0.001), lr, 21))
    add({"kind": "cosine-restarts", "t0": 2, "t_mult": 2, "eta_min": 0.001},
        epoch_lrs(lambda o: S.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=2, eta_min=0.001), lr, 62))
    add({"kind": "cosine-restarts", "t0": 5, "t_mult": 1, "eta_min": 0.0},
        epoch_lrs(lambda o: S.CosineAnnealingWarmRestarts(o, T_0=5), lr, 17))
    plateau_cases = [
        (dict(mode="max", patience=2, factor=0.1), {"mode": "max", "patience": 2, "factor": 0.1}, PLATEAU_METRICS),
        (dict(mode="max", patience=1, factor=0.5, threshold=0.01, threshold_mode="abs", cooldown=2, min_lr=0.004),
         {"mode": "max", "patience": 1, "factor": 0.5, "threshold": 0.01, "threshold_mode": "abs",
          "cooldown": 2, "min_lr": 0.004}, PLATEAU_METRICS),
        (dict(mode="min", patience=1, factor=0.5), {"mode": "min", "patience": 1, "factor": 0.5}, LOSS_METRICS),
        (dict(mode="min", patience=0, factor=0.3, threshold=0.02, threshold_mode="rel"),
         {"mode": "min", "patience": 0, "factor": 0.3, "threshold": 0.02, "threshold_mode": "rel"}, LOSS_METRICS),
    ]
    for kwargs, config, metrics in plateau_cases:
        lrs = epoch_lrs(lambda o: S.ReduceLROnPlateau(o, **kwargs), lr, len(metrics), metrics)
        add({"kind": "plateau", **config}, lrs, metrics)

    # The chapter's warmup -> plateau loop: warmup.step() at the start of each epoch,
    # plateau.step(metric) after it once epoch >= 3.
    opt = torch.optim.SGD(Dummy().parameters(), lr=lr)
    warm = S.LinearLR(opt, start_factor=0.1, end_factor=1.0, total_iters=3)
    plat = S.ReduceLROnPlateau(opt, mode="max", patience=2, factor=0.1)
    lrs = []
    for epoch, metric in enumerate(PLATEAU_METRICS):
        opt.step()  # no gradients; see epoch_lrs
        warm.step()
        lrs.append(opt.param_groups[0]["lr"])
        if epoch >= 3:
            plat.step(metric)
    add({"kind": "warmup-plateau", "start_factor": 0.1, "total_iters": 3,
         "plateau": {"mode": "max", "patience": 2, "factor": 0.1}}, lrs, PLATEAU_METRICS)

    # OneCycle, stepped per batch, with momentum (SGD) and beta1 (Adam) cycling.
    one_cycle = []
    for total, extra, opt_kind in [(100, {}, "sgd"), (100, {}, "adam"), (37, {"pct_start": 0.25}, "adam"),
                                   (60, {"three_phase": True}, "sgd")]:
        if opt_kind == "sgd":
            opt = torch.optim.SGD(Dummy().parameters(), lr=lr, momentum=0.9)
        else:
            opt = torch.optim.Adam(Dummy().parameters(), lr=lr)
        sched = S.OneCycleLR(opt, max_lr=0.1, total_steps=total, **extra)
        lrs, moms = [], []
        for _ in range(total):
            group = opt.param_groups[0]
            lrs.append(group["lr"])
            moms.append(group["momentum"] if opt_kind == "sgd" else group["betas"][0])
            opt.step()
            sched.step()
        config = {"kind": "one-cycle", "max_lr": 0.1, "total_steps": total, **extra}
        one_cycle.append({"schedule": config, "optimizer": opt_kind, "lrs": lrs, "momentum": moms})
    write("schedules.json", {"epoch_cases": cases, "one_cycle": one_cycle})


# --------------------------------------------------------------------------- norms
def norms():
    torch.manual_seed(7)
    bn = nn.BatchNorm1d(5)
    with torch.no_grad():
        bn.weight.copy_(torch.rand(5) + 0.5)
        bn.bias.copy_(torch.randn(5))
    batches = [torch.randn(8, 5) * 3 + 1 for _ in range(3)]
    bn.train()
    train_out = [tolist(bn(b)) for b in batches]
    eval_in = torch.randn(4, 5)
    bn.eval()
    eval_out = bn(eval_in)
    ln = nn.LayerNorm(6)
    with torch.no_grad():
        ln.weight.copy_(torch.rand(6) + 0.5)
        ln.bias.copy_(torch.randn(6))
    ln_in = torch.randn(4, 6) * 2 + 3
    write("norms.json", {
        "batch_norm": {
            "gamma": tolist(bn.weight), "beta": tolist(bn.bias),
            "batches": [tolist(b) for b in batches], "train_outputs": train_out,
            "running_mean": tolist(bn.running_mean), "running_var": tolist(bn.running_var),
            "eval_input": tolist(eval_in), "eval_output": tolist(eval_out),
        },
        "layer_norm": {
            "gamma": tolist(ln.weight), "beta": tolist(ln.bias),
            "input": tolist(ln_in), "output": tolist(ln(ln_in)),
        },
    })


# --------------------------------------------------------------------------- regularization
def apply_max_norm(model, max_norm=2, epsilon=1e-8, dim=1):
    """The chapter's max-norm, verbatim in behaviour."""
    with torch.no_grad():
        for name, param in model.named_parameters():
            if "bias" not in name:
                actual_norm = param.norm(p=2, dim=dim, keepdim=True)
                target_norm = torch.clamp(actual_norm, 0, max_norm)
                param *= target_norm / (epsilon + actual_norm)


def regularization():
    x, y, params = small_problem()
    model = model_from(params)
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    raw = [tolist(p.grad) for p in model.parameters()]
    total = nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.5)
    clipped = [tolist(p.grad) for p in model.parameters()]
    model.zero_grad()
    F.cross_entropy(model(x), y).backward()
    nn.utils.clip_grad_value_(model.parameters(), clip_value=0.05)
    value_clipped = [tolist(p.grad) for p in model.parameters()]

    weights = [p for n, p in model.named_parameters() if "bias" not in n]
    l1 = sum(p.abs().sum() for p in weights).item()
    l2 = sum(p.pow(2.0).sum() for p in weights).item()

    constrained = model_from(params)
    apply_max_norm(constrained, max_norm=1.0)
    write("regularization.json", {
        "problem": problem_json(x, y, params),
        "loss": loss.item(),
        "raw_grads": raw,
        "clip_norm": {"max_norm": 0.5, "total_norm": total.item(), "grads": clipped},
        "clip_value": {"limit": 0.05, "grads": value_clipped},
        "penalties": {"l1": l1, "l2": l2},
        "max_norm": {"max_norm": 1.0, "w1": tolist(constrained[0].weight), "w2": tolist(constrained[2].weight)},
    })


# --------------------------------------------------------------------------- loss surfaces
# The formulas of core/src/surface.rs, same operation order and shared subterms, so that the
# gradient contributions add up in the same way (p is float32, shape [2]).
def ravine(x, y):
    return 0.5 * (x * x + 130 * (y * y))


def saddle(x, y):
    y2 = y * y
    return x * x - y2 + 0.25 * (y2 * y2)


def rosenbrock(x, y):
    valley = y - x * x
    return (1 - x) * (1 - x) + 100 * (valley * valley)


SURFACES = {
    "ravine": (ravine, (-2.5, 1.0)),
    "saddle": (saddle, (-1.0, 1e-3)),
    "rosenbrock": (rosenbrock, (-1.2, 1.0)),
}
# The nine optimizers at torch defaults (OptimizerConfig::from_name).
SURFACE_OPTIMIZERS = {
    "sgd": lambda p, lr: torch.optim.SGD(p, lr=lr),
    "momentum": lambda p, lr: torch.optim.SGD(p, lr=lr, momentum=0.9),
    "nesterov": lambda p, lr: torch.optim.SGD(p, lr=lr, momentum=0.9, nesterov=True),
    "adagrad": lambda p, lr: torch.optim.Adagrad(p, lr=lr),
    "rmsprop": lambda p, lr: torch.optim.RMSprop(p, lr=lr),
    "adam": lambda p, lr: torch.optim.Adam(p, lr=lr),
    "adamax": lambda p, lr: torch.optim.Adamax(p, lr=lr),
    "nadam": lambda p, lr: torch.optim.NAdam(p, lr=lr),
    "adamw": lambda p, lr: torch.optim.AdamW(p, lr=lr),
}
# lr per (surface, optimizer): a rate at which each path is worth drawing. Adagrad's step
# shrinks as 1/sqrt(t), so it gets a larger one; Rosenbrock's steep walls need SGD below 0.002.
SURFACE_LRS = {
    "ravine": {"sgd": 0.01, "momentum": 0.01, "nesterov": 0.01, "adagrad": 0.5, "rmsprop": 0.01,
               "adam": 0.05, "adamax": 0.05, "nadam": 0.05, "adamw": 0.05},
    "saddle": {"sgd": 0.01, "momentum": 0.01, "nesterov": 0.01, "adagrad": 0.1, "rmsprop": 0.01,
               "adam": 0.05, "adamax": 0.05, "nadam": 0.05, "adamw": 0.05},
    "rosenbrock": {"sgd": 0.001, "momentum": 0.001, "nesterov": 0.001, "adagrad": 0.5, "rmsprop": 0.01,
                   "adam": 0.05, "adamax": 0.1, "nadam": 0.05, "adamw": 0.05},
}
SURFACE_STEPS = 100


def surfaces():
    runs = []
    for surface, (f, start) in SURFACES.items():
        for name, make in SURFACE_OPTIMIZERS.items():
            lr = SURFACE_LRS[surface][name]
            p = nn.Parameter(torch.tensor(start, dtype=torch.float32))
            opt = make([p], lr)
            points = [tolist(p)]
            for _ in range(SURFACE_STEPS):
                opt.zero_grad()
                f(p[0], p[1]).backward()
                opt.step()
                points.append(tolist(p))
            runs.append({"surface": surface, "optimizer": name, "lr": lr, "points": points})
    write("surfaces.json", {"steps": SURFACE_STEPS, "runs": runs})


if __name__ == "__main__":
    import argparse

    GENERATORS = {
        "activations": activations,
        "optimizers": optimizers,
        "schedules": schedules,
        "norms": norms,
        "regularization": regularization,
        "surfaces": surfaces,
    }
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=sorted(GENERATORS), metavar="NAME",
                        help=f"write only these fixtures ({', '.join(GENERATORS)})")
    args = parser.parse_args()
    torch.set_default_dtype(torch.float32)
    for name, generate in GENERATORS.items():
        if args.only is None or name in args.only:
            generate()
