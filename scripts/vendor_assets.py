#!/usr/bin/env python3
"""Copies the Latin Modern Math font that ships with the pulldown-latex crate (our MathML renderer)
into public/vendor/math/, so formulas render with a real math font. The crate's location comes from
`cargo metadata`; nothing is downloaded beyond the crates cargo already fetches."""

import json
import pathlib
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEST = ROOT / "public" / "vendor" / "math"
FONT = "latinmodern-math.woff2"


def main() -> int:
    if (DEST / FONT).is_file():
        print(f"{FONT}: present")
        return 0
    meta = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--manifest-path", str(ROOT / "Cargo.toml")],
        check=True, capture_output=True, text=True,
    )
    packages = json.loads(meta.stdout)["packages"]
    crate = next((p for p in packages if p["name"] == "pulldown-latex"), None)
    if crate is None:
        print("error: pulldown-latex is not a dependency any more", file=sys.stderr)
        return 1
    source = pathlib.Path(crate["manifest_path"]).parent / "font"
    DEST.mkdir(parents=True, exist_ok=True)
    for name in [FONT, "LICENSE"]:
        path = source / name
        if path.is_file():
            shutil.copy2(path, DEST / name)
    shutil.copy2(pathlib.Path(crate["manifest_path"]).parent / "LICENSE", DEST / "LICENSE-pulldown-latex")
    print(f"{FONT}: copied from {source}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
