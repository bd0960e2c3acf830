#!/usr/bin/env bash
# The GPU check: training throughput (samples/s) on the native wgpu backend against the CPU
# backend, for the chapter's workloads.
#
#   scripts/gpu-check.sh            on the build machine (no GPU needed): builds `dl101` with
#                                   `--features wgpu` (release) and puts it, with the Vulkan
#                                   loader (libvulkan.so.1), into gpu-check/ (ignored by .gitignore).
#   scripts/gpu-check.sh --run      on the GPU machine, from the repository root with gpu-check/
#                                   beside it: prints the table. One command, a few minutes.
#   scripts/gpu-check.sh --run --seconds 1   shorter timed measurements (e.g. on lavapipe).
#
# Inputs are synthetic images of the datasets' shapes (784 pixels for Fashion-MNIST, 3072 for
# CIFAR-10): this measures throughput only. The CIFAR PNGs (113 MB) do not fit what is carried to
# a GPU machine; the "epoch" row trains 45,000 synthetic images (352 steps of 128), the size of
# the CIFAR exercise's training set, without its evaluation passes.
. "$(dirname "$0")/common.sh"
cd "$DL101_ROOT"
mode=build seconds=3
while [ $# -gt 0 ]; do
  case "$1" in
    --run) mode=run ;;
    --seconds) seconds="${2:?--seconds needs a value}"; shift ;;
    *) die "gpu-check.sh: unknown option $1 (known: --run, --seconds S)" ;;
  esac
  shift
done
out="$DL101_ROOT/gpu-check"

if [ "$mode" = build ]; then
  step "dl101 with --features wgpu (release)"
  t0=$(now)
  CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$DL101_NATIVE_TARGET}"
  CARGO_TARGET_DIR="$CARGO_TARGET_DIR" cargo build --release -p dl101-core --features wgpu --bin dl101
  echo "built in $(( $(now) - t0 )) s"
  mkdir -p "$out/lib"
  cp "$CARGO_TARGET_DIR/release/dl101" "$out/dl101"
  loader="$(ldconfig -p | awk '/libvulkan\.so\.1 .*x86-64/ { print $NF; exit }')"
  [ -n "$loader" ] || die "no libvulkan.so.1 here: apt-get install -y libvulkan1"
  cp -L "$loader" "$out/lib/libvulkan.so.1"
  du -sh "$out" "$out/dl101" "$out/lib/libvulkan.so.1"
  echo "next, on the GPU machine (repository root, gpu-check/ carried along): scripts/gpu-check.sh --run"
  exit 0
fi

bin="$out/dl101"
[ -x "$bin" ] || die "$bin is missing: run scripts/gpu-check.sh (without --run) on the build machine first"
# The Vulkan loader: the system's if it has one, else the one carried in gpu-check/lib.
if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1 '; then
  export LD_LIBRARY_PATH="$out/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  echo "Vulkan loader: carried ($out/lib/libvulkan.so.1)"
fi
# NVIDIA containers may keep the driver's ICD manifest under /usr/local/nvidia, where the loader
# does not look, or have the driver's Vulkan library (libGLX_nvidia.so.0) without a manifest.
icd_dirs="/etc/vulkan/icd.d /usr/share/vulkan/icd.d /usr/local/share/vulkan/icd.d"
nvidia_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ] && [ -f "$nvidia_icd" ] \
  && ! ls $icd_dirs 2>/dev/null | grep -qi nvidia; then
  export VK_DRIVER_FILES="$nvidia_icd" VK_ICD_FILENAMES="$nvidia_icd"
  echo "Vulkan ICD: $nvidia_icd"
fi
if [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ] \
  && ! ls $icd_dirs 2>/dev/null | grep -qi nvidia \
  && ldconfig -p 2>/dev/null | grep -q 'libGLX_nvidia\.so\.0 '; then
  mkdir -p "$out/icd"
  printf '{"file_format_version":"1.0.0","ICD":{"library_path":"libGLX_nvidia.so.0","api_version":"1.3.0"}}\n' \
    >"$out/icd/nvidia_icd.json"
  export VK_DRIVER_FILES="$out/icd/nvidia_icd.json" VK_ICD_FILENAMES="$out/icd/nvidia_icd.json"
  echo "Vulkan ICD: NVIDIA's libGLX_nvidia.so.0 through $out/icd/nvidia_icd.json"
fi
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version --format=csv,noheader

logs="$(mktemp -d)"
# bench DEVICE NAME ARGS...: runs one benchmark; its output in $logs/DEVICE-NAME.
bench() {
  local device="$1" name="$2"; shift 2
  "$bin" bench --device "$device" "$@" >"$logs/$device-$name" 2>&1 \
    || { cat "$logs/$device-$name" >&2; die "dl101 bench --device $device $* failed"; }
}
# rate DEVICE NAME BATCH: samples/s of that batch size from the log.
rate() { awk -v b="$2" '$1 == "batch" && $2 == b":" { print $3; exit }' "$logs/$1"; }
t0=$(now)
for device in wgpu cpu; do
  t1=$(now)
  bench "$device" fashion --bench-model fashion --bench-batches 32,256 --bench-seconds "$seconds"
  bench "$device" cifar --bench-model cifar --bench-batches 128 --bench-seconds "$seconds"
  bench "$device" epoch --bench-model cifar --bench-batches 128 --bench-samples 45000
  echo "$device: $(( $(now) - t1 )) s"
done
echo
sed -n 's/^backend: \(.*\), model .*/GPU backend: \1/p' "$logs/wgpu-fashion"
if grep -q '(Cpu, ' "$logs/wgpu-fashion"; then
  echo "note: that adapter is a CPU (software rasterizer such as lavapipe), not a GPU"
fi
epoch_s() { sed -n 's/.*samples in \([0-9.]*\) s).*/\1/p' "$logs/$1"; }
printf '\n%-46s %12s %12s %8s\n' "workload (synthetic input, samples/s)" "wgpu" "cpu" "ratio"
row() {  # row LABEL NAME BATCH
  local g c; g="$(rate "wgpu-$2" "$3")" c="$(rate "cpu-$2" "$3")"
  printf '%-46s %12s %12s %8s\n' "$1" "$g" "$c" "$(awk -v g="$g" -v c="$c" 'BEGIN { if (c > 0) printf "%.2f", g / c }')"
}
row "Fashion MLP 784-100-100-100-10, b32" fashion 32
row "Fashion MLP 784-100-100-100-10, b256" fashion 256
row "CIFAR MLP 3072-20x100-10 (cifar-nadam), b128" cifar 128
row "CIFAR epoch, 45k images (352 steps), b128" epoch 128
printf '%-46s %11ss %11ss\n' "CIFAR epoch wall time" "$(epoch_s wgpu-epoch)" "$(epoch_s cpu-epoch)"
echo
echo "total $(( $(now) - t0 )) s; timed measurements ${seconds} s each after 5 warm-up steps; logs in $logs"
