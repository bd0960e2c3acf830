#!/usr/bin/env python3
"""The service worker's precache list, made from what the build actually wrote.

Run at the end of the post-build hook (scripts/post_build.py), or by hand on a built folder:
`python3 scripts/precache.py dist`. Lists every file of the folder (route pages, JS, wasm, CSS,
fonts, images, the math stylesheet, the training worker, the data manifest) with its size and
SHA-256 in `precache.json`, whose version is the hash of that list, and stamps the version into
`sw.js`, so that any changed file makes a new service worker the browser installs. Not listed:
`sw.js` and `precache.json` themselves, and the datasets under `data/` (the training worker
keeps those in its own cache); `data/manifest.json` is listed, since the worker reads it first.
"""

import hashlib
import json
import os
import pathlib
import re
import sys

MANIFEST = "precache.json"
WORKER = "sw.js"
STAMP = re.compile(r"^const VERSION = '[^']*';$", flags=re.M)


def listed(rel: str) -> bool:
    if rel in (MANIFEST, WORKER):
        return False
    return not rel.startswith("data/") or rel == "data/manifest.json"


def precache(folder: pathlib.Path) -> dict:
    files = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if listed(rel):
            body = path.read_bytes()
            files.append({"url": rel, "bytes": len(body), "sha256": hashlib.sha256(body).hexdigest()})
    version = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:16]
    return {"version": version, "files": files}


def main(argv: list[str]) -> int:
    folder = pathlib.Path(argv[1] if len(argv) > 1 else os.environ["TRUNK_STAGING_DIR"])
    worker = folder / WORKER
    if not worker.is_file():
        print(f"precache: no {WORKER} in {folder}", file=sys.stderr)
        return 1
    manifest = precache(folder)
    script, stamped = STAMP.subn(f"const VERSION = '{manifest['version']}';", worker.read_text())
    if stamped != 1:
        print(f"precache: {WORKER} has no `const VERSION = '…';` line to stamp", file=sys.stderr)
        return 1
    worker.write_text(script)
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n")
    total = sum(f["bytes"] for f in manifest["files"])
    print(f"precache: version {manifest['version']}, {len(manifest['files'])} files, {total:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
