//! CIFAR-10 as shipped in the shared dataset (50 PNG batches + 1 test batch) and its split.

use super::cifar::{CLASS_NAMES, IMAGE_FEATURES, parse_labels_json, parse_png_batch};
use super::{DataError, Dataset, TaskData};
use crate::rng::SeededRng;

/// CIFAR-10 training images (50k) and the test images available (1k in the PNG packaging).
#[derive(Debug, Clone, PartialEq)]
pub struct Cifar10 {
    /// Training images in their original order.
    pub train: Dataset,
    /// Test images.
    pub test: Dataset,
}

impl Cifar10 {
    /// Builds the dataset from PNG batches in order (training batches first, then test) and the
    /// labels JSON covering all of them; the last `test_images` images form the test set.
    ///
    /// # Errors
    /// [`DataError`] if a batch is corrupt or the label count differs from the image count.
    pub fn from_png_batches(
        batches: &[&[u8]],
        labels_json: &[u8],
        test_images: usize,
    ) -> Result<Self, DataError> {
        let mut pixels = Vec::new();
        for batch in batches {
            pixels.extend(parse_png_batch(batch)?);
        }
        let labels = parse_labels_json(labels_json)?;
        let images = pixels.len() / IMAGE_FEATURES;
        if labels.len() < images {
            return Err(DataError::Shape(format!(
                "{images} images but {} labels",
                labels.len()
            )));
        }
        let all = Dataset {
            features: IMAGE_FEATURES,
            pixels: pixels.into(),
            labels: labels[..images].to_vec(),
        };
        Self::from_dataset(all, test_images)
    }

    /// Splits a dataset holding training then test images.
    ///
    /// # Errors
    /// [`DataError::Shape`] if there are fewer images than `test_images`.
    pub fn from_dataset(all: Dataset, test_images: usize) -> Result<Self, DataError> {
        let n = all.len();
        if n < test_images {
            return Err(DataError::Shape(format!(
                "{n} images, fewer than {test_images} test images"
            )));
        }
        Ok(Self {
            train: all.range(0, n - test_images),
            test: all.range(n - test_images, n),
        })
    }

    /// The chapter's split: a seeded random 45k/5k train/valid split (the chapter uses
    /// `random_split` with torch's generator; ours is seeded but not bit-identical).
    pub fn task(&self, seed: u64) -> TaskData {
        let n = self.train.len();
        let valid = n / 10;
        let order = SeededRng::new(seed).permutation(n);
        TaskData {
            train: self.train.select(order[..n - valid].iter().copied()),
            valid: self.train.select(order[n - valid..].iter().copied()),
            test: self.test.clone(),
            class_names: CLASS_NAMES.iter().map(|s| s.to_string()).collect(),
        }
    }
}
