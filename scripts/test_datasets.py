#!/usr/bin/env python3
"""Tests of the data step of setup (scripts/datasets.py): corrupt input is refused with a message
naming the file, and a changed output file is noticed. Standard library only; run by
scripts/test.sh as `python3 scripts/test_datasets.py`."""

import gzip
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = pathlib.Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "datasets"
sys.path.insert(0, str(HERE))
import datasets  # noqa: E402


class CorruptInput(unittest.TestCase):
    @unittest.skipUnless((SHARED / "fashion-mnist").is_dir(), "needs ../shared/datasets")
    def test_a_corrupt_download_names_the_file_and_writes_no_manifest(self):
        with tempfile.TemporaryDirectory() as tmp:
            source = pathlib.Path(tmp) / "datasets"
            shutil.copytree(SHARED / "fashion-mnist", source / "fashion-mnist")
            labels = source / "fashion-mnist" / "train-labels-idx1-ubyte.gz"
            raw = bytearray(gzip.decompress(labels.read_bytes()))
            raw[100] ^= 0xFF  # one label changed: still valid gzip, wrong content
            labels.write_bytes(gzip.compress(bytes(raw)))
            out = pathlib.Path(tmp) / "out"
            env = dict(os.environ, DL101_DATASETS=str(source), DL101_DATA_OUT=str(out))
            result = subprocess.run([sys.executable, str(HERE / "datasets.py")],
                                    env=env, capture_output=True, text=True, timeout=300)
            self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
            self.assertIn("train-labels-idx1-ubyte: sha256", result.stderr)
            self.assertFalse((out / "manifest.json").exists())

    @unittest.skipUnless((SHARED / "fashion-mnist").is_dir(), "needs ../shared/datasets")
    def test_truncated_gzip_is_refused(self):
        with tempfile.TemporaryDirectory() as tmp:
            source = pathlib.Path(tmp) / "datasets"
            shutil.copytree(SHARED / "fashion-mnist", source / "fashion-mnist")
            images = source / "fashion-mnist" / "train-images-idx3-ubyte.gz"
            images.write_bytes(images.read_bytes()[:1000])
            env = dict(os.environ, DL101_DATASETS=str(source), DL101_DATA_OUT=str(pathlib.Path(tmp) / "out"))
            result = subprocess.run([sys.executable, str(HERE / "datasets.py")],
                                    env=env, capture_output=True, text=True, timeout=300)
            self.assertEqual(result.returncode, 1)
            self.assertIn("train-images-idx3-ubyte.gz is not valid gzip", result.stderr)


class ExistingOutput(unittest.TestCase):
    def test_a_changed_file_is_noticed(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = pathlib.Path(tmp)
            datasets.OUT = out
            entry = datasets.write(out / "fashion-mnist" / "x.idx.gz", b"shard")
            labels = datasets.write(out / "cifar-10" / "labels.u8", b"\x01\x02")
            manifest = {"version": datasets.MANIFEST_VERSION,
                        "fashion-mnist": {"sets": {"train": {"images": [entry], "labels": entry}}},
                        "cifar-10": {"images": [], "labels": labels}}
            (out / "manifest.json").write_text(json.dumps(manifest))
            self.assertTrue(datasets.verify_existing())
            (out / "cifar-10" / "labels.u8").write_bytes(b"\x01\x03")
            self.assertFalse(datasets.verify_existing())
            (out / "manifest.json").write_text("{ not json")
            self.assertFalse(datasets.verify_existing())


if __name__ == "__main__":
    unittest.main(verbosity=2)
