#!/usr/bin/env bash
# Kernels dispatched, queue submissions, readbacks and uploads per training step of the Fashion
# MLP at batch 32 on the native wgpu backend, for each build of Burn's GPU features: none, fusion,
# autotune, both (README "GPU path"). Counted by `dl101 bench --gpu-calls` from wgpu-core's API
# log over the timed steps, after 5 warm-up steps. Runs on lavapipe where there is no GPU
# (scripts/setup.sh --gpu installs it); the counts are the backend's, not the driver's.
#
#   scripts/gpu-calls.sh [--steps N] [--icd FILE]
#       four release builds of `dl101` (one target folder; cargo keeps each feature set), then the
#       table. `--icd` picks the Vulkan driver by its manifest, e.g. Chromium's SwiftShader
#       (/usr/lib/chromium/vk_swiftshader_icd.json), the software WebGPU adapter readers meet.
. "$(dirname "$0")/common.sh"
cd "$DL101_ROOT"
steps=40
while [ $# -gt 0 ]; do
  case "$1" in
    --steps) steps="${2:?--steps needs a value}"; shift ;;
    --icd) export VK_ICD_FILENAMES="${2:?--icd needs a manifest}" VK_DRIVER_FILES="$2"; shift ;;
    *) die "gpu-calls.sh: unknown option $1 (known: --steps N, --icd FILE)" ;;
  esac
  shift
done
target="${CARGO_TARGET_DIR:-$DL101_NATIVE_TARGET}"
logs="$(mktemp -d)"
rows=()
for features in wgpu fusion autotune fusion,autotune; do
  step "dl101 --features $features (release)"
  CARGO_TARGET_DIR="$target" cargo build --release -p dl101-core --features "$features" --bin dl101
  "$target/release/dl101" bench --device wgpu --gpu-calls --bench-batches 32 \
    --bench-samples $((steps * 32)) >"$logs/$features" 2>&1 \
    || { cat "$logs/$features" >&2; die "dl101 bench --features $features failed"; }
  cat "$logs/$features"
  calls=$(awk '/per step/ { sub(/.*per step /, ""); sub(/ \(.*/, ""); print; exit }' "$logs/$features")
  rate=$(awk '$1 == "batch" && / samples\/s/ { print $3; exit }' "$logs/$features")
  rows+=("$features|$calls|$rate")
done
printf '\n%s\n\n| build | per training step (Fashion MLP, b32) | samples/s |\n|---|---|---|\n' \
  "$(awk '/^backend:/ { sub(/, model.*/, ""); print; exit }' "$logs/wgpu")"
for row in "${rows[@]}"; do
  IFS='|' read -r features calls rate <<<"$row"
  printf '| %s | %s | %s |\n' "$features" "$calls" "$rate"
done
