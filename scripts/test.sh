#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls exactly this). On a fresh machine it first
# installs what it needs (scripts/setup.sh --test). Prints the time of each stage.
# `scripts/test.sh --gpu` runs only the native wgpu stage instead (not part of the default suite,
# see README "GPU path"): it installs Mesa's lavapipe (scripts/setup.sh --gpu), builds the core
# with `--features wgpu` and checks that wgpu trains the Fashion MLP as the CPU backend does.
. "$(dirname "$0")/common.sh"
cd "$DL101_ROOT"
gpu_stage=false
for arg in "$@"; do
  case "$arg" in
    --gpu) gpu_stage=true ;;
    *) die "test.sh: unknown option $arg (known: --gpu)" ;;
  esac
done
suite_started=$(now)
timings=()
stage() {  # stage NAME COMMAND...: run, time, and stop the suite at the first failure
  local name="$1"; shift
  step "$name"
  local t0; t0=$(now)
  local rc=0
  "$@" || rc=$?
  timings+=("$(printf '%-34s %5d s' "$name" $(( $(now) - t0 )))")
  # A failed suite still says where its time went, up to and including the failed stage.
  if [ "$rc" -ne 0 ]; then print_timings; die "stage failed: $name"; fi
}

native() { CARGO_TARGET_DIR="$DL101_NATIVE_TARGET" "$@"; }
# Runs a command with the wasm32 toolchain (see wasm-env.sh) in a subshell.
wasm() ( . scripts/wasm-env.sh && CARGO_TARGET_DIR="$DL101_WASM_TARGET" "$@" )
# Lints while building. This is what `cargo clippy -- -D warnings` does under the hood: clippy's
# driver compiles the workspace's own crates, with every clippy lint on and warnings as errors,
# while the dependencies are compiled once, by plain rustc, for the build that needs them. So the
# native tests and the release site build are also the lint passes, and a lint fails its stage.
lint() {
  local driver; driver="$(command -v clippy-driver)" || die "clippy-driver is missing: rustup component add clippy"
  RUSTC_WORKSPACE_WRAPPER="$driver" CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__" "$@"
}

print_timings() {
  echo
  echo "stage timings:"
  printf '  %s\n' "${timings[@]}"
  total=$(( $(now) - suite_started ))
  printf '  %-34s %5d s (%d min %d s)\n' "total" "$total" $(( total / 60 )) $(( total % 60 ))
}

if $gpu_stage; then
  stage "setup (Vulkan loader, lavapipe)" scripts/setup.sh --gpu
  # Release: the same build as scripts/gpu-check.sh's, and lavapipe runs the kernels faster.
  # Fails (never skips) without a Vulkan adapter. The lint wrapper makes it the wgpu clippy pass.
  stage "native wgpu: clippy + test" native lint cargo test --release -p dl101-core --features wgpu --test wgpu -- --nocapture
  print_timings
  exit 0
fi

stage "setup" scripts/setup.sh --test --no-host-tools
# Trunk and wasm-bindgen-cli are needed from the site build on. They compile in the background
# while the native stages run: cargo's compile has long one-crate stretches that leave a core idle.
host_log="$(mktemp)"
host_t0=$(now)
scripts/setup.sh --host-tools >"$host_log" 2>&1 &
host_pid=$!
trap 'pkill -P "$host_pid" 2>/dev/null; kill "$host_pid" 2>/dev/null; true' EXIT
host_tools() {
  local rc=0
  wait "$host_pid" || rc=$?
  trap - EXIT
  tail -n 5 "$host_log"
  echo "(Trunk and wasm-bindgen-cli: $(( $(now) - host_t0 )) s in the background; log $host_log)"
  [ "$rc" = 0 ] || { cat "$host_log"; return "$rc"; }
}
stage "data step (datasets.py)" python3 scripts/test_datasets.py
stage "rustfmt" cargo fmt --all --check
# The data step above put the lesson data in place: a test that needs it must fail without it.
export DL101_REQUIRE_DATA=1
# `app` and `worker` are browser crates: they are linted and tested for wasm32 below.
stage "native: clippy + tests" native lint cargo test --workspace --exclude app --exclude worker --features book/render
stage "Trunk, wasm-bindgen-cli (wait)" host_tools
stage "site build (release) + clippy wasm32" wasm lint trunk build --release
stage "site build under /dl101/" wasm trunk build --release --public-url /dl101/ --dist dist-sub
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$DL101_ROOT/e2e/webdriver.json"
# --release shares every dependency with the site build above; the wrapper lints the test targets.
stage "wasm-bindgen-test (Chromium) + clippy" wasm lint cargo test -p app --release --target wasm32-unknown-unknown --tests
stage "browser tests (Playwright)" node --test --test-concurrency=1 e2e/
print_timings
if [ "$total" -gt 3600 ]; then
  echo "warning: the suite took over 60 minutes; CI allows 90 and the budget is 45 (README, 'Test suite timings')" >&2
fi
echo "suite finished in $total s"
