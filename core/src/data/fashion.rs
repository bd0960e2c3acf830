//! Fashion-MNIST and the chapter's splits: full task, transfer task A and task B.

use super::{DataError, Dataset, TaskData, idx::parse_idx};

/// Fashion-MNIST class names.
pub const FASHION_CLASSES: [&str; 10] = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
];

/// Task B's classes: label 0 is T-shirt/top, label 1 is Pullover (the chapter's `y == 2`).
pub const TASK_B_CLASSES: [&str; 2] = ["T-shirt/top", "Pullover"];

const IMAGE_FEATURES: usize = 28 * 28;

/// The 60k training and 10k test images.
#[derive(Debug, Clone, PartialEq)]
pub struct FashionMnist {
    /// The official training set.
    pub train: Dataset,
    /// The official test set.
    pub test: Dataset,
}

fn dataset(images: &[u8], labels: &[u8]) -> Result<Dataset, DataError> {
    let images = parse_idx(images)?;
    let labels = parse_idx(labels)?;
    if images.dims.len() != 3 || images.dims[1] * images.dims[2] != IMAGE_FEATURES {
        return Err(DataError::Shape(format!(
            "expected [n, 28, 28] images, found {:?}",
            images.dims
        )));
    }
    if labels.dims != [images.dims[0]] {
        return Err(DataError::Shape(format!(
            "{} images but labels of shape {:?}",
            images.dims[0], labels.dims
        )));
    }
    if let Some(&label) = labels.data.iter().find(|&&l| l >= 10) {
        return Err(DataError::Label { label, classes: 10 });
    }
    Ok(Dataset {
        features: IMAGE_FEATURES,
        pixels: images.data.into(),
        labels: labels.data,
    })
}

impl FashionMnist {
    /// Parses the four idx files (gzip or raw).
    ///
    /// # Errors
    /// [`DataError`] if any file is corrupt or shapes disagree.
    pub fn from_bytes(
        train_images: &[u8],
        train_labels: &[u8],
        test_images: &[u8],
        test_labels: &[u8],
    ) -> Result<Self, DataError> {
        Ok(Self {
            train: dataset(train_images, train_labels)?,
            test: dataset(test_images, test_labels)?,
        })
    }

    fn names(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    /// The chapter's 10-class split: train [0, 55000), valid [55000, 60000), test = 10k.
    pub fn task_full(&self) -> TaskData {
        let n = self.train.len();
        let cut = n.saturating_sub(5_000);
        TaskData {
            train: self.train.range(0, cut),
            valid: self.train.range(cut, n),
            test: self.test.clone(),
            class_names: Self::names(&FASHION_CLASSES),
        }
    }

    /// All 70k images in OpenML order (training then test), as the chapter loads them.
    fn all(&self) -> Dataset {
        self.train.clone().concat(&self.test)
    }

    // ANCHOR: task_a
    /// Task A: every image except T-shirt/top (0) and Pullover (2), labels 1,3..9 → 0..7.
    /// Split like the chapter: the last 5000 are test, the 2000 before valid, the rest train.
    pub fn task_a(&self) -> TaskData {
        let all = self.all();
        let keep: Vec<usize> = (0..all.len())
            .filter(|&i| !matches!(all.labels[i], 0 | 2))
            .collect();
        let mut data = all.select(keep);
        for label in data.labels.iter_mut() {
            *label = label.saturating_sub(2); // 1 → 0 (Trouser), 3 → 1, …, 9 → 7
        }
        let n = data.len();
        let names = FASHION_CLASSES
            .iter()
            .enumerate()
            .filter(|(i, _)| !matches!(i, 0 | 2))
            .map(|(_, s)| s.to_string())
            .collect();
        TaskData {
            train: data.range(0, n.saturating_sub(7_000)),
            valid: data.range(n.saturating_sub(7_000), n.saturating_sub(5_000)),
            test: data.range(n.saturating_sub(5_000), n),
            class_names: names,
        }
    }
    // ANCHOR_END: task_a

    // ANCHOR: task_b
    /// Task B: T-shirt/top (label 0) vs Pullover (label 1); 20 training images, valid the next
    /// 4980, test the rest, in OpenML order as the chapter.
    pub fn task_b(&self) -> TaskData {
        let all = self.all();
        let keep: Vec<usize> = (0..all.len())
            .filter(|&i| matches!(all.labels[i], 0 | 2))
            .collect();
        let mut data = all.select(keep);
        for label in data.labels.iter_mut() {
            *label = u8::from(*label == 2);
        }
        let n = data.len();
        TaskData {
            train: data.range(0, 20.min(n)),
            valid: data.range(20.min(n), 5_000.min(n)),
            test: data.range(5_000.min(n), n),
            class_names: Self::names(&TASK_B_CLASSES),
        }
    }
    // ANCHOR_END: task_b
}
