#!/usr/bin/env bash
# Benchmark (not a test). Two parts, each prints a table:
#  1. native: training throughput of the chapter's Fashion-MNIST MLP 784-100-100-100-10 (ReLU, SGD,
#     loss read back every step) at batch 32 and 256, our native runner (Burn's CPU backend) against
#     PyTorch's CPU backend, same machine, same run;
#  2. browser (bench/run.mjs): the release site in Debian's headless Chromium: throughput of the same
#     MLP (batch 32, 256) and of the CIFAR 20×100 MLP (batch 128) on WebGPU (SwiftShader here) and on
#     the CPU backend in wasm, against TensorFlow.js (webgpu, webgl, wasm, cpu) and jax-js (webgpu,
#     webgl, wasm) in the same browser; the time from Train to the first step on each of ours;
#     page weight and time to the first lesson text and to the first ready widget; the longest
#     main-thread task while training; JS heap and device memory after each of 20 runs. JSON in
#     bench/out/browser.json.
#   scripts/bench.sh [--seconds 5] [--native-only | --browser-only | --reader-only | --pool-only |
#                     --webgpu-only | --first-text | --data-wait]
# --reader-only: just what a reader waits for on the default device (~2 min).
# --pool-only: the optimizer race of 9 on full data by training-worker count 1/2/4 (~10 min).
# --webgpu-only: ours and the peers in the WebGPU browser only (~5 min; `node bench/run.mjs
#   --peers-only` measures the peers alone, without a site build).
# --first-text: time to the first lesson text on localhost and on a throttled phone profile, and the
#   bytes downloaded before it (bench/firsttext.mjs, ~1 min; `--dist DIR` there measures another build).
# --data-wait: Train → first step on full Fashion-MNIST, first visit and cached, on localhost and
#   with 100 ms latency (bench/datawait.mjs, ~2 min; `--before OTHER/dist` there compares a build).
# PyTorch comes from PyPI into a venv outside the repository ($DL101_TORCH_VENV, default
# /var/tmp/torch-venv; a large download, once); TensorFlow.js and jax-js from npm into bench/node_modules.
. "$(dirname "$0")/common.sh"
cd "$DL101_ROOT"
seconds=5
native=1
browser=1
reader_only=
# A benchmark of its own on the release site (--first-text, --data-wait): its script and what it
# measures.
alone=
alone_what=
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift ;;
    --native-only) browser=0 ;;
    --browser-only) native=0 ;;
    --reader-only) native=0; reader_only=--reader-only ;;
    --pool-only) native=0; reader_only=--pool-only ;;
    --webgpu-only) native=0; reader_only=--webgpu-only ;;
    --first-text) alone=bench/firsttext.mjs; alone_what="time to the first lesson text" ;;
    --data-wait) alone=bench/datawait.mjs; alone_what="the wait for the data" ;;
    *) die "unknown option $1" ;;
  esac
  shift
done
if [ -n "$alone" ]; then
  step "build the site (release)"
  scripts/build.sh >/dev/null
  step "$alone_what"
  node "$alone"
  exit 0
fi
if [ "$browser" = 1 ]; then
  step "build the site (release)"
  scripts/build.sh >/dev/null
  step "TensorFlow.js and jax-js from npm (bench/)"
  (cd bench && npm ci --no-audit --no-fund --silent)
  step "browser benchmark (several minutes)"
  node bench/run.mjs --seconds "$((seconds * 2))" $reader_only
fi
[ "$native" = 1 ] || exit 0
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
rate() { awk -v b="$2" '$1 == "batch" && $2 == b":" && $4 == "samples/s" { print $3 }' <<<"$1"; }
echo
printf '%-8s %16s %16s %16s %8s\n' batch "Burn CPU (ours)" "torch 1 thread" "torch default" "ratio"
for b in 32 256; do
  o=$(rate "$ours" "$b"); t1=$(rate "$torch1" "$b"); tn=$(rate "$torchn" "$b")
  best=$(awk -v a="$t1" -v c="$tn" 'BEGIN { print (a > c ? a : c) }')
  printf '%-8s %16s %16s %16s %7.2fx\n' "$b" "$o" "$t1" "$tn" "$(awk -v o="$o" -v t="$best" 'BEGIN { print o / t }')"
done
echo "(samples/s; ratio = ours / best PyTorch; $(nproc) cores, $(date -u +%F))"
