#!/usr/bin/env python3
"""Copies the stylesheet and fonts that ship with the pulldown-latex crate (our MathML renderer)
into public/vendor/pulldown-latex/ (gitignored), as its documentation asks: formulas then render with
Latin Modern Math and aligned environments line up. The crate's location comes from
`cargo metadata`; nothing is downloaded beyond the crates cargo already fetches."""

import json
import pathlib
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEST = ROOT / "public" / "vendor" / "pulldown-latex"
FILES = ["styles.css", "LICENSE", "font/latinmodern-math.woff2", "font/lmroman12-regular.woff2",
         "font/lmroman12-bold.woff2", "font/lmroman12-italic.woff2"]


def main() -> int:
    if all((DEST / name).is_file() for name in FILES):
        print(f"{DEST.relative_to(ROOT)}: present")
        return 0
    meta = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--manifest-path", str(ROOT / "Cargo.toml")],
        check=True, capture_output=True, text=True,
    )
    crate = next((p for p in json.loads(meta.stdout)["packages"] if p["name"] == "pulldown-latex"), None)
    if crate is None:
        print("error: pulldown-latex is not a dependency any more", file=sys.stderr)
        return 1
    source = pathlib.Path(crate["manifest_path"]).parent
    for name in FILES:
        (DEST / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / name, DEST / name)
    print(f"{DEST.relative_to(ROOT)}: copied from {source}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
