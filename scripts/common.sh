# Shared by the scripts: repository root, target folders, logging. Source it.
set -euo pipefail
DL101_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DL101_ROOT
export PATH="$HOME/.cargo/bin:$PATH"
# One warm target folder per toolchain; put it outside the clone with DL101_TARGET=/some/dir.
DL101_TARGET="${DL101_TARGET:-$DL101_ROOT/target}"
export DL101_NATIVE_TARGET="$DL101_TARGET/native"
export DL101_WASM_TARGET="$DL101_TARGET/wasm"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }
now() { date +%s; }

# The version of a package pinned in Cargo.lock.
locked_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' \
    "$DL101_ROOT/Cargo.lock"
}
