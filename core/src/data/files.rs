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
        &read_gz_or_raw(&dir, "train-images-idx3-ubyte")?,
        &read_gz_or_raw(&dir, "train-labels-idx1-ubyte")?,
        &read_gz_or_raw(&dir, "t10k-images-idx3-ubyte")?,
        &read_gz_or_raw(&dir, "t10k-labels-idx1-ubyte")?,
    )
}

/// Loads CIFAR-10 from `root/cifar10`: `cifar10_batch_0..50.png` + `cifar10_labels.json`.
/// `train_batches` (≤ 50) limits how many training batches are decoded, for quick runs.
///
/// # Errors
/// [`DataError`] if a file is missing or corrupt.
pub fn cifar10_from_dir(root: &Path, train_batches: usize) -> Result<Cifar10, DataError> {
    let dir = root.join("cifar10");
    let labels = read(&dir.join("cifar10_labels.json"))?;
    let mut files = Vec::new();
    for i in 0..train_batches.min(50) {
        files.push(read(&dir.join(format!("cifar10_batch_{i}.png")))?);
    }
    let test = read(&dir.join("cifar10_batch_50.png"))?;
    let mut pixels_batches: Vec<&[u8]> = files.iter().map(|f| f.as_slice()).collect();
    pixels_batches.push(&test);
    // Labels: the first train_batches·1000 training labels, then the 1000 test labels.
    let all_labels = super::parse_labels_json(&labels)?;
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
