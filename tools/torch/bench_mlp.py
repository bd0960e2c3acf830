#!/usr/bin/env python3
"""Training throughput of the chapter's Fashion-MNIST MLP (784-100-100-100-10, ReLU, SGD) in
PyTorch on the CPU, for comparison with `dl101 bench` (same model, loss read back every step).

    python3 tools/torch/bench_mlp.py [--seconds 5] [--threads N]
"""
import argparse
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def measure(batch, seconds):
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Linear(784, 100), nn.ReLU(),
        nn.Linear(100, 100), nn.ReLU(),
        nn.Linear(100, 100), nn.ReLU(),
        nn.Linear(100, 10),
    )
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x = torch.rand(batch, 784)
    y = torch.randint(0, 10, (batch,))

    def step():
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(5):
        step()
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        step()
        steps += 1
    return steps * batch / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, CPU threads {torch.get_num_threads()}")
    for batch in (32, 256):
        print(f"batch {batch:>4}: {measure(batch, args.seconds):>10.0f} samples/s")


if __name__ == "__main__":
    main()
