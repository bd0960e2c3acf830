#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls exactly this). On a fresh machine it first
# installs what it needs (scripts/setup.sh --test). Prints the time of each stage.
. "$(dirname "$0")/common.sh"
cd "$DL101_ROOT"
suite_started=$(now)
timings=()
stage() {  # stage NAME COMMAND...: run, time, and stop the suite at the first failure
  local name="$1"; shift
  step "$name"
  local t0; t0=$(now)
  "$@" || die "stage failed: $name"
  timings+=("$(printf '%-34s %5d s' "$name" $(( $(now) - t0 )))")
}

native() { CARGO_TARGET_DIR="$DL101_NATIVE_TARGET" "$@"; }
# Runs a command with the wasm32 toolchain (see wasm-env.sh) in a subshell.
wasm() ( . scripts/wasm-env.sh && CARGO_TARGET_DIR="$DL101_WASM_TARGET" "$@" )

stage "setup" scripts/setup.sh --test
stage "data step (datasets.py)" python3 scripts/test_datasets.py
stage "rustfmt" cargo fmt --all --check
# `app` and `worker` are browser crates: they are linted and tested for wasm32 below.
stage "clippy (native)" native cargo clippy --workspace --exclude app --exclude worker --all-targets --features book/render -- -D warnings
stage "tests (native)" native cargo test --workspace --exclude app --exclude worker --features book/render
stage "clippy (wasm32): site" wasm cargo clippy -p app --all-targets --target wasm32-unknown-unknown -- -D warnings
stage "clippy (wasm32): training worker" wasm cargo clippy -p worker --target wasm32-unknown-unknown -- -D warnings
stage "site build (release)" wasm trunk build --release
stage "site build under /dl101/" wasm trunk build --release --public-url /dl101/ --dist dist-sub
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$DL101_ROOT/e2e/webdriver.json"
# --release shares every dependency with the site build above.
stage "wasm-bindgen-test (Chromium)" wasm cargo test -p app --release --target wasm32-unknown-unknown --tests
stage "browser tests (Playwright)" node --test --test-concurrency=1 e2e/
echo
echo "stage timings:"
printf '  %s\n' "${timings[@]}"
echo "suite finished in $(( $(now) - suite_started )) s"
