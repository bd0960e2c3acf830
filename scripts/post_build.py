#!/usr/bin/env python3
"""Trunk post-build hook (see Trunk.toml), run on the staging folder of every build:

1. The page's Content-Security-Policy allows only our own scripts. Trunk's wasm loader is an inline
   module script, so its sha256 replaces the TRUNK_INLINE_HASHES placeholder (nothing else inline
   may run).
2. The training worker's files get content-hashed names (scripts/hash_worker.py), named in
   index.html before the pages are made from it.
3. Every lesson route gets its own page (`vi/<slug>.html`, `vi.html`) plus `404.html`, so a deep
   link or a reload works on static hosts that map `/a/b` to `a/b.html` (GitHub Pages, Netlify,
   nginx with `try_files $uri $uri.html /index.html`) under any sub-path; a lesson's page carries
   the lesson, pre-rendered, and each language's book is its own file (`books/<lang>.<hash>.json`).
   The book crate writes them (`dl101-book site`, built natively: this hook runs inside Trunk's
   wasm32 build, so the wasm toolchain's settings are taken out of its environment first).
4. Last, the service worker's precache list is made from the finished folder (scripts/precache.py).
"""

import base64
import hashlib
import os
import pathlib
import re
import subprocess
import sys

from hash_worker import hash_worker
from precache import main as precache

ROOT = pathlib.Path(__file__).resolve().parent.parent


# What scripts/wasm-env.sh and Trunk put in the environment for the wasm32 build.
WASM_ONLY = ("CARGO", "RUSTC", "RUSTDOC", "RUSTC_BOOTSTRAP", "CARGO_UNSTABLE_BUILD_STD",
             "RUSTC_WORKSPACE_WRAPPER", "CLIPPY_ARGS", "CARGO_BUILD_TARGET", "RUSTFLAGS",
             "CARGO_ENCODED_RUSTFLAGS")


def native_env() -> dict:
    """The environment for a native cargo run: the wasm32 settings removed, the native target."""
    env = {k: v for k, v in os.environ.items() if k not in WASM_ONLY}
    shim = os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "dl101-wasm-shim")
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != shim)
    target = os.environ.get("DL101_NATIVE_TARGET")
    if not target:
        base = os.environ.get("DL101_TARGET", str(ROOT / "target"))
        target = os.path.join(base, "native")
    env["CARGO_TARGET_DIR"] = target
    return env


def main() -> int:
    staging = pathlib.Path(os.environ.get("TRUNK_STAGING_DIR", ROOT / "dist"))
    index = staging / "index.html"
    html = index.read_text()
    scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S)
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in scripts if body.strip()
    )
    if "TRUNK_INLINE_HASHES" not in html:
        print("post_build: no CSP placeholder in index.html", file=sys.stderr)
        return 1
    html = html.replace("TRUNK_INLINE_HASHES", hashes)
    html = hash_worker(staging, html)
    index.write_text(html)
    pages = subprocess.run(
        ["cargo", "run", "--quiet", "-p", "book", "--features", "render", "--bin", "dl101-book",
         "--", "site", str(ROOT / "content"), str(staging)],
        cwd=ROOT, env=native_env(), check=False,
    )
    if pages.returncode != 0:
        return pages.returncode
    print(f"post_build: CSP pinned to {len(scripts)} inline script(s)")
    return precache(["precache", str(staging)])


if __name__ == "__main__":
    sys.exit(main())
