# Source this file (`. scripts/wasm-env.sh`) in a shell that builds for wasm32.
#
# Where the active rustc already has the wasm32-unknown-unknown standard library (a rustup user who
# ran `rustup target add wasm32-unknown-unknown`), it changes nothing. Otherwise, on machines whose
# rustup cannot fetch that target, it switches this shell to Debian's rustc-web toolchain and lets
# cargo build std for wasm32 from source (packages rustc-web, cargo-web, rust-web-src).
# Native `cargo test` must not run in a shell where this was sourced.

dl101_sysroot="$(rustc --print sysroot 2>/dev/null)"
if [ -n "$dl101_sysroot" ] && [ -d "$dl101_sysroot/lib/rustlib/wasm32-unknown-unknown/lib" ]; then
  DL101_WASM_TOOLCHAIN="rustup"
elif [ -x /usr/bin/rustc ] && [ -d /usr/lib/rustlib/src/rust/library ]; then
  # Trunk runs plain `cargo` from PATH, so put Debian's tools first through a folder of links.
  dl101_shim="${XDG_CACHE_HOME:-$HOME/.cache}/dl101-wasm-shim"
  mkdir -p "$dl101_shim"
  for tool in cargo rustc rustdoc cargo-clippy clippy-driver; do
    [ -x "/usr/bin/$tool" ] && ln -sf "/usr/bin/$tool" "$dl101_shim/$tool"
  done
  export PATH="$dl101_shim:$PATH"
  export CARGO=/usr/bin/cargo RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc
  # Lets Debian's stable toolchain take cargo's build-std, which compiles std for wasm32.
  export RUSTC_BOOTSTRAP=1
  export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
  DL101_WASM_TOOLCHAIN="debian"
else
  echo "wasm-env: no wasm32 standard library and no Debian rustc-web;" \
       "run: rustup target add wasm32-unknown-unknown" >&2
  DL101_WASM_TOOLCHAIN="none"
fi
export DL101_WASM_TOOLCHAIN
# Trunk must not try to download anything: it uses the wasm-bindgen on PATH when the versions match.
export TRUNK_SKIP_VERSION_CHECK=true
unset dl101_sysroot dl101_shim
