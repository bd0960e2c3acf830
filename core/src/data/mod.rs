//! Datasets parsed from bytes (the browser hands bytes), the chapter's splits and batching.

mod cifar;
mod cifar10;
mod dataset;
mod error;
mod fashion;
mod files;
mod idx;

pub use cifar::{
    CLASS_NAMES as CIFAR10_CLASSES, parse_binary_batch, parse_labels_json, parse_png_batch,
};
pub use cifar10::Cifar10;
pub use dataset::{Batch, Dataset, TaskData};
pub use error::DataError;
pub use fashion::{FASHION_CLASSES, FashionMnist, TASK_B_CLASSES};
pub use files::{cifar10_from_dir, default_data_dirs, fashion_from_dir, find_data_dir, load_task};
pub use idx::{IdxArray, maybe_gunzip, parse_idx};

use serde::{Deserialize, Serialize};

/// Which data an experiment trains on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Task {
    /// Fashion-MNIST, 10 classes: train [0, 55000), valid [55000, 60000), test 10k.
    Fashion,
    /// Transfer task A: the 8 classes other than T-shirt/top and Pullover, relabelled 0..8.
    FashionA,
    /// Transfer task B: T-shirt/top (0) vs Pullover (1), 20 training images.
    FashionB,
    /// CIFAR-10: 45k train / 5k valid (seeded split) / the 1k test images shipped.
    Cifar10,
}
