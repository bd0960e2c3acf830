#!/usr/bin/env bash
# Installs what building and serving the book needs, idempotently: a wasm32 toolchain, Trunk,
# wasm-bindgen-cli at the version in Cargo.lock, the math font, and the lesson data.
# `--test` also installs what the test suite needs (Chromium, chromedriver, Playwright).
# `--host-tools` does only Trunk and wasm-bindgen-cli, `--no-host-tools` all but them: the test
# suite compiles those two in the background while its native stages run.
# `--gpu` does only what the native wgpu test needs (scripts/test.sh --gpu): a Vulkan loader and
# Mesa's lavapipe, a Vulkan driver that runs on the CPU, for machines without a GPU.
. "$(dirname "$0")/common.sh"
cd "$DL101_ROOT"
want_test=false want_host=true want_rest=true want_gpu=false
for arg in "$@"; do
  case "$arg" in
    --test) want_test=true ;;
    --host-tools) want_rest=false ;;
    --no-host-tools) want_host=false ;;
    --gpu) want_gpu=true want_host=false want_rest=false ;;
    *) die "setup.sh: unknown option $arg (known: --test, --host-tools, --no-host-tools, --gpu)" ;;
  esac
done
started=$(now)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
apt_updated=false
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "please install: ${missing[*]} (no apt-get here)"
  if ! $apt_updated; then as_root apt-get update -qq || die "apt-get update failed"; apt_updated=true; fi
  echo "installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
}

wasm_toolchain() {
  step "Rust toolchain for wasm32"
  command -v cargo >/dev/null || die "cargo is missing: install Rust from https://rustup.rs"
  sysroot="$(rustc --print sysroot)"
  if [ ! -d "$sysroot/lib/rustlib/wasm32-unknown-unknown/lib" ] && command -v rustup >/dev/null; then
    timeout 120 rustup target add wasm32-unknown-unknown >/dev/null 2>&1 \
      && echo "rustup: wasm32-unknown-unknown added" \
      || echo "rustup cannot add wasm32-unknown-unknown here; using Debian's rustc-web with build-std"
  fi
  if [ ! -d "$sysroot/lib/rustlib/wasm32-unknown-unknown/lib" ]; then
    apt_install rustc-web cargo-web rust-web-src rust-web-llvm rust-web-clippy lld-22
  fi
  . scripts/wasm-env.sh
  echo "wasm toolchain: $DL101_WASM_TOOLCHAIN ($(rustc --version))"
  # Leave this shell's PATH native again for the cargo installs below.
  export PATH="$HOME/.cargo/bin:$(printf '%s' "$PATH" | tr ':' '\n' | grep -v dl101-wasm-shim | paste -sd:)"
  unset CARGO RUSTC RUSTDOC RUSTC_BOOTSTRAP CARGO_UNSTABLE_BUILD_STD
}

host_tools() {
  step "Trunk and wasm-bindgen-cli"
  # Host tools whose speed does not matter here: Trunk's own release profile (fat LTO, one codegen
  # unit) takes ~12 min on 2 cores, this one ~half. wasm-bindgen-cli needs no TLS (it only talks to
  # chromedriver on localhost), so it is built without it. Trunk refuses to compile without one of
  # its TLS features (rustls, the default, is the one that needs no system library).
  quick_install() {
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      CARGO_PROFILE_RELEASE_DEBUG=0 CARGO_PROFILE_RELEASE_INCREMENTAL=false "$@"
  }
  if [ "$(trunk --version 2>/dev/null)" != "trunk 0.22.1" ]; then
    CARGO_PROFILE_RELEASE_OPT_LEVEL=1 quick_install \
      cargo install trunk --version 0.22.1 --locked --ignore-rust-version
  fi
  wbg="$(locked_version wasm-bindgen)"
  [ -n "$wbg" ] || die "wasm-bindgen is not in Cargo.lock"
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wbg" ]; then
    # Not --locked: the crate's own lock file pins a yanked webpki-roots.
    quick_install cargo install wasm-bindgen-cli --version "$wbg" --no-default-features
  fi
  trunk --version; wasm-bindgen --version
}

assets() {
  step "Math font (from the pulldown-latex crate)"
  python3 scripts/vendor_assets.py

  step "Lesson data"
  python3 scripts/datasets.py
}

test_tools() {
  step "Lint and format tools"
  for component in clippy rustfmt; do
    tool=$([ "$component" = clippy ] && echo clippy-driver || echo rustfmt)
    if ! command -v "$tool" >/dev/null && command -v rustup >/dev/null; then
      rustup component add "$component" || die "rustup cannot add $component"
    fi
    command -v "$tool" >/dev/null || die "$tool is missing: install the $component component"
  done
  step "Browser test tools"
  apt_install chromium chromium-driver
  (cd e2e && npm ci --no-audit --no-fund --loglevel=error)
}

gpu_tools() {
  step "Vulkan loader and lavapipe (native wgpu)"
  apt_install libvulkan1 mesa-vulkan-drivers
  command -v clippy-driver >/dev/null || { command -v rustup >/dev/null && rustup component add clippy; } \
    || die "clippy-driver is missing: install the clippy component"
}

if $want_gpu; then gpu_tools; fi
if $want_rest; then wasm_toolchain; fi
if $want_host; then host_tools; fi
if $want_rest; then assets; fi
if $want_rest && $want_test; then test_tools; fi
echo "setup done in $(( $(now) - started )) s"
