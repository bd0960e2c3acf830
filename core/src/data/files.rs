//! Reading the datasets from a directory (native runner and tests; the browser passes bytes).

use std::path::{Path, PathBuf};

use super::{Cifar10, DataError, FashionMnist};

fn read(path: &Path) -> Result<Vec<u8>, DataError> {
    std::fs::read(path).map_err(|e| DataError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    })
}

/// Reads `name.gz`, falling back to the raw `name`.
fn read_gz_or_raw(dir: &Path, name: &str) -> Result<Vec<u8>, DataError> {
    let gz = dir.join(format!("{name}.gz"));
    if gz.exists() {
        read(&gz)
    } else {
        read(&dir.join(name))
    }
}

/// Joins the served shards `prefix-images-00.idx.gz`, `-01`, … (each a whole idx3 file; see
/// `scripts/datasets.py`) back into one idx3 file.
fn join_image_shards(dir: &Path, prefix: &str) -> Result<Vec<u8>, DataError> {
    let mut joined: Vec<u8> = Vec::new();
    let mut count: u32 = 0;
    for index in 0.. {
        let path = dir.join(format!("{prefix}-images-{index:02}.idx.gz"));
        if !path.exists() {
            break;
        }
        let bytes = read(&path)?;
        let shard = super::maybe_gunzip(&bytes)?;
        if shard.len() < 16 {
            return Err(DataError::Shape(format!("{} is truncated", path.display())));
        }
        let shard_count = u32::from_be_bytes([shard[4], shard[5], shard[6], shard[7]]);
        if joined.is_empty() {
            joined.extend_from_slice(&shard[..16]);
        }
        joined.extend_from_slice(&shard[16..]);
        count += shard_count;
    }
    if joined.is_empty() {
        return Err(DataError::Io {
            path: dir
                .join(format!("{prefix}-images-00.idx.gz"))
                .display()
                .to_string(),
            message: "no such file".into(),
        });
    }
    joined[4..8].copy_from_slice(&count.to_be_bytes());
    Ok(joined)
}

/// One Fashion-MNIST idx file: the original (`name`, gzip or raw) or, in the site's data folder,
/// the served shards.
fn read_fashion(dir: &Path, prefix: &str, kind: &str) -> Result<Vec<u8>, DataError> {
    let original = if kind == "images" {
        format!("{prefix}-images-idx3-ubyte")
    } else {
        format!("{prefix}-labels-idx1-ubyte")
    };
    if dir.join(&original).exists() || dir.join(format!("{original}.gz")).exists() {
        return read_gz_or_raw(dir, &original);
    }
    if kind == "images" {
        join_image_shards(dir, prefix)
    } else {
        read(&dir.join(format!("{prefix}-labels.idx.gz")))
    }
}

/// Candidate data roots, in order: the shared datasets next to the repository, then
/// `public/data` inside it. `repo_root` is the workspace root.
pub fn default_data_dirs(repo_root: &Path) -> Vec<PathBuf> {
    vec![
        repo_root.join("../shared/datasets"),
        repo_root.join("public/data"),
    ]
}

/// The first candidate that holds a `fashion-mnist` directory.
pub fn find_data_dir(repo_root: &Path) -> Option<PathBuf> {
    default_data_dirs(repo_root)
        .into_iter()
        .find(|d| d.join("fashion-mnist").is_dir())
}

/// Loads Fashion-MNIST from `root/fashion-mnist` (idx files, gzip or raw).
///
/// # Errors
/// [`DataError`] if a file is missing or corrupt.
pub fn fashion_from_dir(root: &Path) -> Result<FashionMnist, DataError> {
    let dir = root.join("fashion-mnist");
    FashionMnist::from_bytes(
        &read_fashion(&dir, "train", "images")?,
        &read_fashion(&dir, "train", "labels")?,
        &read_fashion(&dir, "t10k", "images")?,
        &read_fashion(&dir, "t10k", "labels")?,
    )
}

/// Loads CIFAR-10 from `root/cifar10` (`cifar10_batch_0..50.png` + `cifar10_labels.json`) or, in
/// the site's data folder, `root/cifar-10` (the same PNGs + `labels.u8`, one byte per image).
/// `train_batches` (≤ 50) limits how many training batches are decoded, for quick runs.
///
/// # Errors
/// [`DataError`] if a file is missing or corrupt.
pub fn cifar10_from_dir(root: &Path, train_batches: usize) -> Result<Cifar10, DataError> {
    let served = root.join("cifar-10");
    let (dir, all_labels) = if served.join("labels.u8").exists() {
        let labels = read(&served.join("labels.u8"))?;
        (served, labels)
    } else {
        let dir = root.join("cifar10");
        let json = read(&dir.join("cifar10_labels.json"))?;
        (dir, super::parse_labels_json(&json)?)
    };
    let mut files = Vec::new();
    for i in 0..train_batches.min(50) {
        files.push(read(&dir.join(format!("cifar10_batch_{i}.png")))?);
    }
    let test = read(&dir.join("cifar10_batch_50.png"))?;
    let mut pixels_batches: Vec<&[u8]> = files.iter().map(|f| f.as_slice()).collect();
    pixels_batches.push(&test);
    // Labels: the first train_batches·1000 training labels, then the 1000 test labels.
    let train_count = train_batches.min(50) * 1000;
    if all_labels.len() < 51_000 {
        return Err(DataError::Shape(format!(
            "expected 51000 labels, found {}",
            all_labels.len()
        )));
    }
    let mut labels: Vec<u8> = all_labels[..train_count].to_vec();
    labels.extend_from_slice(&all_labels[50_000..51_000]);
    let json = serde_json::json!({ "labels": labels }).to_string();
    Cifar10::from_png_batches(&pixels_batches, json.as_bytes(), 1000)
}

/// Loads the splits of `task` from a data root (Fashion-MNIST idx files or CIFAR-10 PNGs).
/// `cifar_train_batches` limits the CIFAR-10 PNG batches decoded (50 = all).
///
/// # Errors
/// [`DataError`] if files are missing or corrupt.
pub fn load_task(
    task: super::Task,
    root: &Path,
    seed: u64,
    cifar_train_batches: usize,
) -> Result<super::TaskData, DataError> {
    use super::Task;
    Ok(match task {
        Task::Fashion => fashion_from_dir(root)?.task_full(),
        Task::FashionA => fashion_from_dir(root)?.task_a(),
        Task::FashionB => fashion_from_dir(root)?.task_b(),
        Task::Cifar10 => cifar10_from_dir(root, cifar_train_batches)?.task(seed),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An idx3 file of `count` 2x2 images whose pixels are their index.
    fn idx_images(first: u8, count: u8) -> Vec<u8> {
        let mut bytes = vec![0, 0, 8, 3, 0, 0, 0, count, 0, 0, 0, 2, 0, 0, 0, 2];
        for i in 0..count {
            bytes.extend_from_slice(&[first + i; 4]);
        }
        bytes
    }

    #[test]
    fn served_shards_join_into_one_idx_file() {
        let dir = std::env::temp_dir().join(format!("dl101-shards-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (index, first) in [(0, 0u8), (1, 3u8)] {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            std::io::Write::write_all(&mut encoder, &idx_images(first, 3)).unwrap();
            let path = dir.join(format!("train-images-{index:02}.idx.gz"));
            std::fs::write(path, encoder.finish().unwrap()).unwrap();
        }
        let joined = read_fashion(&dir, "train", "images").unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let mut expected = idx_images(0, 6);
        expected[7] = 6;
        assert_eq!(joined, expected);
    }

    #[test]
    fn missing_shards_are_a_clear_error() {
        let err = read_fashion(Path::new("/nonexistent"), "train", "images").unwrap_err();
        assert!(err.to_string().contains("train-images-00.idx.gz"), "{err}");
    }
}
