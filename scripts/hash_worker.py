#!/usr/bin/env python3
"""Content-hashed names for the training worker's files.

Trunk names a `data-type="worker"` bundle by its binary alone (`worker.js`, `worker_bg.wasm`,
`worker_loader.js`: trunk 0.22 `hashed_base` skips workers), so a host that caches files for long
could serve a stale worker after a redeploy. Run by the post-build hook before the route pages are
written: renames the three files to `worker-<hash>.js`, `worker-<hash>_bg.wasm` and
`worker-<hash>_loader.js` (each hash from the file's own bytes, the loader's after it names the
other two), and writes the loader's name into the page's `<meta name="dl101-worker">`, which the
app reads to start the worker (app/src/runtime.rs).
"""

import hashlib
import pathlib
import re
import sys

META = re.compile(r'(<meta name="dl101-worker" content=")[^"]*(">)')


def short_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:16]


def hash_worker(staging: pathlib.Path, html: str) -> str:
    """Renames the worker's files in `staging`; returns `html` with the meta tag filled in."""
    js, wasm, loader = (staging / n for n in ("worker.js", "worker_bg.wasm", "worker_loader.js"))
    for path in (js, wasm, loader):
        if not path.is_file():
            raise SystemExit(f"hash_worker: {path.name} is missing from {staging}")
    js_name = f"worker-{short_hash(js.read_bytes())}.js"
    wasm_name = f"worker-{short_hash(wasm.read_bytes())}_bg.wasm"
    shim = loader.read_text()
    renamed = shim.replace("./worker.js", f"./{js_name}").replace("./worker_bg.wasm", f"./{wasm_name}")
    if js_name not in renamed or wasm_name not in renamed:
        raise SystemExit(f"hash_worker: the loader does not name worker.js and worker_bg.wasm: {shim}")
    loader_name = f"worker-{short_hash(renamed.encode())}_loader.js"
    js.rename(staging / js_name)
    wasm.rename(staging / wasm_name)
    (staging / loader_name).write_text(renamed)
    loader.unlink()
    html, found = META.subn(rf"\g<1>{loader_name}\g<2>", html)
    if found != 1:
        raise SystemExit('hash_worker: index.html has no <meta name="dl101-worker" content="…">')
    return html


if __name__ == "__main__":
    sys.exit("hash_worker: run by scripts/post_build.py")
