#!/usr/bin/env bash
# Sets up what is missing (toolchain, Trunk, wasm-bindgen-cli, data) and serves the book at
# http://127.0.0.1:8080/ with live rebuilds. Extra arguments go to `trunk serve`.
. "$(dirname "$0")/common.sh"
cd "$DL101_ROOT"
scripts/setup.sh
. scripts/wasm-env.sh
export CARGO_TARGET_DIR="$DL101_WASM_TARGET"
# No auto-reload: its injected inline script would break the page's Content-Security-Policy.
exec trunk serve --release --no-autoreload "$@"
