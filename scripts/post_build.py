#!/usr/bin/env python3
"""Trunk post-build hook (see Trunk.toml), run on the staging folder of every build:

1. The page's Content-Security-Policy allows only our own scripts. Trunk's wasm loader is an inline
   module script, so its sha256 replaces the TRUNK_INLINE_HASHES placeholder (nothing else inline
   may run).
2. Every lesson route gets its own copy of index.html (`vi/<slug>.html`, `vi.html`) plus `404.html`,
   so a deep link or a reload works on static hosts that map `/a/b` to `a/b.html` (GitHub Pages,
   Netlify, nginx with `try_files $uri $uri.html /index.html`) under any sub-path.
3. The training worker's files get content-hashed names first (scripts/hash_worker.py), and last the
   service worker's precache list is made from the finished folder (scripts/precache.py).
"""

import base64
import hashlib
import os
import pathlib
import re
import sys
import tomllib

from hash_worker import hash_worker
from precache import main as precache

ROOT = pathlib.Path(__file__).resolve().parent.parent


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
    summary = tomllib.loads((ROOT / "content" / "summary.toml").read_text())
    routes = ["404"]
    for lang in summary["languages"]:
        routes.append(lang)
        routes += [f"{lang}/{slug}" for slug in summary["sections"]]
    for route in routes:
        target = staging / f"{route}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html)
    print(f"post_build: CSP pinned to {len(scripts)} inline script(s); {len(routes)} route pages")
    return precache(["precache", str(staging)])


if __name__ == "__main__":
    sys.exit(main())
