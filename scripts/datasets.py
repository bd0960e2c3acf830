#!/usr/bin/env python3
"""Places the lesson data under public/data/ (gitignored), verified by sha256.

Source: ../shared/datasets next to the repository (or $DL101_DATASETS) when present; otherwise the
upstream addresses (Fashion-MNIST from Zalando's repository, CIFAR-10 from the University of
Toronto). Output, made for the browser to fetch only what a widget needs:

  data/manifest.json                      what is here: shards, counts, sha256, class names, splits
  data/fashion-mnist/<split>-images-NN.idx.gz   idx3 files of at most 5,000 images each (gzip)
  data/fashion-mnist/<split>-labels.idx.gz      idx1 label files
  data/cifar-10/cifar10_batch_N.png       1,000 images each (row r = one 32x32 RGB image)
  data/cifar-10/labels.u8                 one byte per image, batches 0..50 in order

Running it again checks what is there and does nothing more. Standard library only.
"""

import gzip
import hashlib
import io
import json
import os
import pathlib
import shutil
import struct
import sys
import tarfile
import urllib.request
import zlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = pathlib.Path(os.environ.get("DL101_DATA_OUT", ROOT / "public" / "data"))
SHARED = pathlib.Path(os.environ.get("DL101_DATASETS", ROOT.parent / "shared" / "datasets"))
FASHION_URL = "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"
CIFAR_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
SHARD = 5000
FASHION_FILES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                 "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
FASHION_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                   "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
CIFAR_CLASSES = ["airplane", "automobile", "bird", "cat", "deer",
                 "dog", "frog", "horse", "ship", "truck"]
MANIFEST_VERSION = 1


class DataError(Exception):
    """A file is missing, corrupt or cannot be fetched; the message says which and why."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_sums(path: pathlib.Path) -> dict:
    sums = {}
    for line in path.read_text().splitlines():
        if line.strip():
            digest, name = line.split()
            sums[name] = digest
    return sums


def fetch(url: str) -> bytes:
    print(f"  downloading {url}")
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.read()
    except OSError as error:
        raise DataError(f"cannot download {url}: {error}") from error


def fashion_raw(name: str) -> bytes:
    """One decompressed idx file, checked against the upstream sha256 of the raw data."""
    sums = read_sums(ROOT / "scripts" / "fashion-mnist.raw.sha256")
    local = SHARED / "fashion-mnist" / f"{name}.gz"
    packed = local.read_bytes() if local.is_file() else fetch(FASHION_URL + f"{name}.gz")
    try:
        raw = gzip.decompress(packed)
    except (OSError, EOFError, zlib.error) as error:
        raise DataError(f"{name}.gz is not valid gzip: {error}") from error
    if sha256(raw) != sums[name]:
        raise DataError(f"{name}: sha256 {sha256(raw)} does not match the expected {sums[name]}")
    return raw


def idx_images(raw: bytes, start: int, count: int) -> bytes:
    _, _, rows, cols = struct.unpack(">IIII", raw[:16])
    size = rows * cols
    return struct.pack(">IIII", 0x803, count, rows, cols) + raw[16 + start * size:16 + (start + count) * size]


def idx_labels(raw: bytes, start: int, count: int) -> bytes:
    return struct.pack(">II", 0x801, count) + raw[8 + start:8 + start + count]


def write(path: pathlib.Path, data: bytes) -> dict:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return {"file": str(path.relative_to(OUT)), "bytes": len(data), "sha256": sha256(data)}


def build_fashion() -> dict:
    print("Fashion-MNIST")
    out = {"classes": FASHION_CLASSES, "image_shape": [28, 28],
           "splits": {"train": [0, 55000], "valid": [55000, 60000], "test": "t10k"},
           "sets": {}}
    for prefix, total in [("train", 60000), ("t10k", 10000)]:
        images = fashion_raw(f"{prefix}-images-idx3-ubyte")
        labels = fashion_raw(f"{prefix}-labels-idx1-ubyte")
        shards = []
        for start in range(0, total, SHARD):
            data = gzip.compress(idx_images(images, start, SHARD), compresslevel=9, mtime=0)
            entry = write(OUT / "fashion-mnist" / f"{prefix}-images-{start // SHARD:02}.idx.gz", data)
            entry.update(first=start, count=SHARD)
            shards.append(entry)
        label_file = write(OUT / "fashion-mnist" / f"{prefix}-labels.idx.gz",
                           gzip.compress(idx_labels(labels, 0, total), compresslevel=9, mtime=0))
        out["sets"][prefix] = {"count": total, "images": shards, "labels": label_file}
    return out


def png_rgb(rows: list, width: int) -> bytes:
    """A minimal RGB PNG (filter 0 on every row) from rows of width*3 bytes."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    raw = b"".join(b"\x00" + row for row in rows)
    header = struct.pack(">IIBBBBB", width, len(rows), 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def cifar_from_upstream() -> tuple:
    """The 51 PNG batches and labels rebuilt from the official binary release, pixel-checked."""
    pixel_sums = read_sums(ROOT / "scripts" / "cifar10-pixels.sha256")
    archive = tarfile.open(fileobj=io.BytesIO(fetch(CIFAR_URL)), mode="r:gz")
    records = b""
    for name in [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]:
        member = next((m for m in archive.getmembers() if m.name.endswith(name)), None)
        if member is None:
            raise DataError(f"the CIFAR-10 archive has no {name}")
        records += archive.extractfile(member).read()
    images, labels = [], []
    for i in range(51000):
        record = records[i * 3073:(i + 1) * 3073]
        labels.append(record[0])
        planes = record[1:]
        images.append(bytes(b for p in zip(planes[:1024], planes[1024:2048], planes[2048:]) for b in p))
    batches = {}
    for b in range(51):
        rows = images[b * 1000:(b + 1) * 1000]
        name = f"cifar10_batch_{b}"
        if sha256(b"".join(rows)) != pixel_sums[name]:
            raise DataError(f"{name}: pixels differ from the expected data")
        batches[name + ".png"] = png_rgb(rows, 1024)
    return batches, labels


def build_cifar() -> dict:
    print("CIFAR-10")
    local = SHARED / "cifar10"
    if local.is_dir():
        sums = read_sums(SHARED / "cifar10.sha256")
        batches = {}
        for b in range(51):
            name = f"cifar10_batch_{b}.png"
            data = (local / name).read_bytes()
            if sha256(data) != sums[name]:
                raise DataError(f"{local / name}: sha256 does not match {SHARED / 'cifar10.sha256'}")
            batches[name] = data
        labels_json = (local / "cifar10_labels.json").read_bytes()
        if sha256(labels_json) != sums["cifar10_labels.json"]:
            raise DataError("cifar10_labels.json: sha256 does not match")
        labels = json.loads(labels_json)["labels"]
    else:
        batches, labels = cifar_from_upstream()
    if len(labels) != 51000 or any(not 0 <= l <= 9 for l in labels):
        raise DataError("CIFAR-10 labels: expected 51,000 values in 0..9")
    files = []
    for b in range(51):
        entry = write(OUT / "cifar-10" / f"cifar10_batch_{b}.png", batches[f"cifar10_batch_{b}.png"])
        entry.update(first=b * 1000, count=1000)
        files.append(entry)
    return {"classes": CIFAR_CLASSES, "image_shape": [32, 32, 3],
            "splits": {"train": [0, 45000], "valid": [45000, 50000], "test": [50000, 51000]},
            "note": "test = the first 1,000 of the 10,000 official test images",
            "count": 51000, "images": files,
            "labels": write(OUT / "cifar-10" / "labels.u8", bytes(labels))}


def verify_existing() -> bool:
    """True when the manifest is current and every file it lists is intact."""
    path = OUT / "manifest.json"
    if not path.is_file():
        return False
    try:
        manifest = json.loads(path.read_text())
    except ValueError:
        return False
    if manifest.get("version") != MANIFEST_VERSION:
        return False
    entries = []
    for dataset in manifest["fashion-mnist"]["sets"].values():
        entries += dataset["images"] + [dataset["labels"]]
    entries += manifest["cifar-10"]["images"] + [manifest["cifar-10"]["labels"]]
    for entry in entries:
        file = OUT / entry["file"]
        if not file.is_file() or sha256(file.read_bytes()) != entry["sha256"]:
            print(f"  {entry['file']} is missing or changed: rebuilding")
            return False
    return True


def main() -> int:
    if verify_existing():
        print(f"public/data: present and verified ({OUT})")
        return 0
    print(f"source: {SHARED if SHARED.is_dir() else 'upstream downloads'}")
    try:
        if OUT.exists():
            for child in OUT.iterdir():
                if child.name != ".gitkeep":
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
        manifest = {"version": MANIFEST_VERSION, "fashion-mnist": build_fashion(), "cifar-10": build_cifar()}
    except (DataError, OSError, KeyError) as error:
        print(f"error: lesson data not ready: {error}", file=sys.stderr)
        return 1
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=1))
    size = sum(f.stat().st_size for f in OUT.rglob("*") if f.is_file())
    print(f"public/data ready: {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
