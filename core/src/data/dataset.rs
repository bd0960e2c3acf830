//! In-memory labelled images (bytes, scaled on the fly) and batch construction.

use std::sync::Arc;

use burn::tensor::{Device, Int, Tensor, TensorData};

use crate::norm::FeatureStats;

/// Images as bytes (scaled to [0, 1] when batched) with their labels. The pixels are shared:
/// every run of a job (nine in an optimizer race) trains on the same bytes, and a clone costs
/// nothing; a change copies them first (`Arc::make_mut`).
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Features per image.
    pub features: usize,
    /// `len × features` bytes.
    pub pixels: Arc<Vec<u8>>,
    /// One label per image.
    pub labels: Vec<u8>,
}

/// One mini-batch on a device.
#[derive(Debug, Clone)]
pub struct Batch {
    /// `[batch, features]` in [0, 1].
    pub images: Tensor<2>,
    /// `[batch]` class indices.
    pub labels: Tensor<1, Int>,
}

impl Dataset {
    /// Number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no images.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Pixels of image `i`.
    pub fn image(&self, i: usize) -> &[u8] {
        &self.pixels[i * self.features..(i + 1) * self.features]
    }

    /// The images at `indices`, in that order.
    pub fn select(&self, indices: impl IntoIterator<Item = usize>) -> Dataset {
        let mut pixels = Vec::new();
        let mut labels = Vec::new();
        for i in indices {
            pixels.extend_from_slice(self.image(i));
            labels.push(self.labels[i]);
        }
        Dataset {
            features: self.features,
            pixels: Arc::new(pixels),
            labels,
        }
    }

    /// The contiguous range `[start, end)`.
    pub fn range(&self, start: usize, end: usize) -> Dataset {
        Dataset {
            features: self.features,
            pixels: Arc::new(self.pixels[start * self.features..end * self.features].to_vec()),
            labels: self.labels[start..end].to_vec(),
        }
    }

    /// Concatenates two datasets with the same features.
    pub fn concat(mut self, other: &Dataset) -> Dataset {
        Arc::make_mut(&mut self.pixels).extend_from_slice(&other.pixels);
        self.labels.extend_from_slice(&other.labels);
        self
    }

    /// Keeps the first `n` images (all if `n` is larger).
    pub fn truncate(mut self, n: usize) -> Dataset {
        if n >= self.len() {
            // Keeping everything shares the pixels: every run of a race trains on the same full
            // set, and a copy each would cost its 43 MB (Fashion-MNIST's 55,000 images).
            return self;
        }
        let keep = n * self.features;
        match Arc::get_mut(&mut self.pixels) {
            Some(pixels) => pixels.truncate(keep),
            // Shared: copy only what is kept.
            None => self.pixels = Arc::new(self.pixels[..keep].to_vec()),
        }
        self.labels.truncate(n);
        self
    }

    /// Per-feature mean and unbiased std of the pixels scaled to [0, 1].
    pub fn feature_stats(&self) -> FeatureStats {
        let n = self.len().max(1) as f64;
        let mut sum = vec![0f64; self.features];
        let mut sum_sq = vec![0f64; self.features];
        for image in self.pixels.chunks_exact(self.features) {
            for (j, &p) in image.iter().enumerate() {
                let v = p as f64 / 255.0;
                sum[j] += v;
                sum_sq[j] += v * v;
            }
        }
        let mean: Vec<f64> = sum.iter().map(|s| s / n).collect();
        let std = sum_sq
            .iter()
            .zip(&mean)
            .map(|(sq, m)| (((sq - n * m * m) / (n - 1.0).max(1.0)).max(0.0)).sqrt() as f32)
            .collect();
        FeatureStats {
            mean: mean.into_iter().map(|m| m as f32).collect(),
            std,
        }
    }

    /// Builds a batch of the images at `indices` on `device`.
    pub fn batch(&self, indices: &[usize], device: &Device) -> Batch {
        let mut values = Vec::with_capacity(indices.len() * self.features);
        for &i in indices {
            values.extend(self.image(i).iter().map(|&p| p as f32 / 255.0));
        }
        let labels: Vec<i64> = indices.iter().map(|&i| self.labels[i] as i64).collect();
        Batch {
            images: Tensor::from_data(
                TensorData::new(values, [indices.len(), self.features]),
                device,
            ),
            labels: Tensor::from_data(TensorData::new(labels, [indices.len()]), device),
        }
    }

    /// Count of each label `0..classes`.
    pub fn class_counts(&self, classes: usize) -> Vec<usize> {
        let mut counts = vec![0; classes];
        for &l in &self.labels {
            if let Some(c) = counts.get_mut(l as usize) {
                *c += 1;
            }
        }
        counts
    }
}

/// Train/valid/test splits of one task, with class names.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskData {
    /// Training split.
    pub train: Dataset,
    /// Validation split.
    pub valid: Dataset,
    /// Test split.
    pub test: Dataset,
    /// Class names by label.
    pub class_names: Vec<String>,
}

impl TaskData {
    /// Keeps at most `n` training images (quick runs); valid/test are untouched.
    pub fn with_train_subset(mut self, n: Option<usize>) -> TaskData {
        if let Some(n) = n {
            self.train = self.train.truncate(n);
        }
        self
    }

    /// Keeps at most `n` validation and test images (quick runs).
    pub fn with_eval_subset(mut self, n: Option<usize>) -> TaskData {
        if let Some(n) = n {
            self.valid = self.valid.truncate(n);
            self.test = self.test.truncate(n);
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dataset(images: usize) -> Dataset {
        Dataset {
            features: 2,
            pixels: Arc::new((0..images * 2).map(|i| i as u8).collect()),
            labels: (0..images).map(|i| i as u8).collect(),
        }
    }

    #[test]
    fn truncating_to_the_whole_set_shares_its_pixels() {
        let full = dataset(5);
        for n in [5, 6] {
            let kept = full.clone().truncate(n);
            assert!(Arc::ptr_eq(&kept.pixels, &full.pixels), "n = {n} copied");
            assert_eq!(kept.labels, full.labels);
        }
    }

    #[test]
    fn truncating_keeps_the_first_images() {
        let full = dataset(5);
        let kept = full.clone().truncate(2);
        assert_eq!(kept.pixels.as_slice(), &[0, 1, 2, 3]);
        assert_eq!(kept.labels, vec![0, 1]);
        assert_eq!(full.len(), 5, "the shared original is untouched");
        let owned = dataset(5).truncate(3);
        assert_eq!(owned.pixels.len(), 6);
    }
}
