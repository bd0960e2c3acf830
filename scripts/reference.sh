#!/usr/bin/env bash
# Makes the chapter's reference runs (not run by CI): every preset a lesson names in an
# experiment's `reference=` is trained natively to the end at the chapter's settings and written,
# compact, to content/reference/PRESET.json (the widgets draw them faded; a core test holds each
# file to its preset). Minutes: each Fashion-MNIST preset is 10 epochs on all 55,000 images.
#   scripts/reference.sh [PRESET…]     (default: every preset the lessons name)
. "$(dirname "$0")/common.sh"
cd "$DL101_ROOT"
if [ $# -gt 0 ]; then
  presets=("$@")
else
  mapfile -t presets < <(grep -ho 'reference=[^ }]*' content/vi/*.md | cut -d= -f2 | tr ',' '\n' \
    | grep -v '^-$' | sort -u)
fi
[ ${#presets[@]} -gt 0 ] || die "no lesson names a reference run"
step "reference runs: ${presets[*]}"
CARGO_TARGET_DIR="$DL101_NATIVE_TARGET" cargo run --release -p dl101-core --bin dl101 -- \
  "${presets[@]}" --reference content/reference --out "$DL101_NATIVE_TARGET/dl101-runs"
ls -l content/reference
