#!/usr/bin/env bash
# Benchmark (not a test): training throughput of the chapter's Fashion-MNIST MLP
# 784-100-100-100-10 (ReLU, SGD, loss read back every step) at batch 32 and 256, on our native
# runner (Burn's CPU backend) and on PyTorch's CPU backend, same machine, same run. Prints a table.
#   scripts/bench.sh [--seconds 5]
# PyTorch comes from PyPI into a venv outside the repository ($DL101_TORCH_VENV, default
# /var/tmp/torch-venv; a large download, once).
. "$(dirname "$0")/common.sh"
cd "$DL101_ROOT"
seconds=5
[ "${1:-}" = "--seconds" ] && seconds="$2"
venv="${DL101_TORCH_VENV:-/var/tmp/torch-venv}"
if ! "$venv/bin/python" -c "import torch" 2>/dev/null; then
  step "PyTorch venv at $venv (once)"
  python3 -m venv "$venv" && "$venv/bin/pip" install -q torch numpy
fi
step "build the native runner"
CARGO_TARGET_DIR="$DL101_NATIVE_TARGET" cargo build -q --release -p dl101-core --bin dl101
ours=$("$DL101_NATIVE_TARGET/release/dl101" bench --bench-seconds "$seconds")
echo "$ours"
torch1=$("$venv/bin/python" tools/torch/bench_mlp.py --seconds "$seconds" --threads 1)
echo "$torch1"
torchn=$("$venv/bin/python" tools/torch/bench_mlp.py --seconds "$seconds")
echo "$torchn"
rate() { awk -v b="$2" '$1 == "batch" && $2 == b":" { print $3 }' <<<"$1"; }
echo
printf '%-8s %16s %16s %16s %8s\n' batch "Burn CPU (ours)" "torch 1 thread" "torch default" "ratio"
for b in 32 256; do
  o=$(rate "$ours" "$b"); t1=$(rate "$torch1" "$b"); tn=$(rate "$torchn" "$b")
  best=$(awk -v a="$t1" -v c="$tn" 'BEGIN { print (a > c ? a : c) }')
  printf '%-8s %16s %16s %16s %7.2fx\n' "$b" "$o" "$t1" "$tn" "$(awk -v o="$o" -v t="$best" 'BEGIN { print o / t }')"
done
echo "(samples/s; ratio = ours / best PyTorch; $(nproc) cores, $(date -u +%F))"
