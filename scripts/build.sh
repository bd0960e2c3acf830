#!/usr/bin/env bash
# Builds the static site into dist/ for hosting. Under a sub-path:
#   scripts/build.sh --public-url /dl101/
. "$(dirname "$0")/common.sh"
cd "$DL101_ROOT"
[ "${DL101_SKIP_SETUP:-}" = 1 ] || scripts/setup.sh
. scripts/wasm-env.sh
export CARGO_TARGET_DIR="$DL101_WASM_TARGET"
trunk build --release "$@"
echo "site written to $DL101_ROOT/dist"
