//! Normalization layers with PyTorch semantics: BatchNorm1d and input standardization.
//!
//! Burn's own `BatchNorm` tracks the *biased* batch variance in its running estimate; torch
//! tracks the unbiased one, so this crate carries its own layer (LayerNorm is Burn's: it matches).

use burn::module::{Module, Param};
use burn::tensor::{Device, Tensor, TensorData};

/// BatchNorm over the feature axis of `[batch, features]` (torch `nn.BatchNorm1d`).
#[derive(Module, Debug)]
pub struct BatchNorm1d {
    /// Learned scale γ.
    pub gamma: Param<Tensor<1>>,
    /// Learned shift β.
    pub beta: Param<Tensor<1>>,
    /// Running mean used at inference (a buffer, not trained).
    pub running_mean: Tensor<1>,
    /// Running unbiased variance used at inference.
    pub running_var: Tensor<1>,
    /// Weight of the new batch statistic in the running averages (torch: 0.1).
    pub momentum: f64,
    /// Added to the variance before the square root.
    pub epsilon: f64,
}

impl BatchNorm1d {
    /// γ = 1, β = 0, running mean 0, running variance 1, like torch.
    pub fn new(features: usize, device: &Device) -> Self {
        Self {
            gamma: Param::from_tensor(Tensor::ones([features], device)),
            beta: Param::from_tensor(Tensor::zeros([features], device)),
            running_mean: Tensor::zeros([features], device),
            running_var: Tensor::ones([features], device),
            momentum: 0.1,
            epsilon: 1e-5,
        }
    }

    // ANCHOR: batch_norm_train
    /// Training forward: normalizes with the batch statistics and updates the running ones.
    ///
    /// # Shapes
    /// `[batch, features] -> [batch, features]`
    pub fn forward_train(&mut self, x: Tensor<2>) -> Tensor<2> {
        let [batch, _] = x.dims();
        let mean = x.clone().mean_dim(0); // [1, features]
        let centered = x - mean.clone();
        let variance = centered.clone().square().mean_dim(0); // biased, used to normalize
        let x_hat = centered / variance.clone().add_scalar(self.epsilon).sqrt();

        let unbiased = variance
            .detach()
            .mul_scalar(batch as f64 / (batch.max(2) - 1) as f64);
        let m = self.momentum;
        self.running_mean = self.running_mean.clone().mul_scalar(1.0 - m)
            + mean.detach().squeeze_dim(0).mul_scalar(m);
        self.running_var =
            self.running_var.clone().mul_scalar(1.0 - m) + unbiased.squeeze_dim(0).mul_scalar(m);
        self.scale_shift(x_hat)
    }
    // ANCHOR_END: batch_norm_train

    // ANCHOR: batch_norm_eval
    /// Inference forward with the running statistics.
    pub fn forward_eval(&self, x: Tensor<2>) -> Tensor<2> {
        let mean = self.running_mean.clone().unsqueeze_dim(0);
        let std = self
            .running_var
            .clone()
            .add_scalar(self.epsilon)
            .sqrt()
            .unsqueeze_dim(0);
        self.scale_shift((x - mean) / std)
    }

    fn scale_shift(&self, x_hat: Tensor<2>) -> Tensor<2> {
        x_hat * self.gamma.val().unsqueeze_dim(0) + self.beta.val().unsqueeze_dim(0)
    }
    // ANCHOR_END: batch_norm_eval
}

/// Per-feature mean and standard deviation of a training set.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureStats {
    /// Mean of each input feature.
    pub mean: Vec<f32>,
    /// Unbiased standard deviation of each input feature (as `torch.std`).
    pub std: Vec<f32>,
}

/// Smallest standard deviation used when dividing: constant pixels (std 0) would give ±inf.
pub const MIN_STD: f32 = 1e-6;

// ANCHOR: standardize
/// Fixed input standardization `(x − mean) / std`, statistics taken from the training set.
#[derive(Module, Debug)]
pub struct Standardize {
    /// Feature means, shape `[features]`.
    pub mean: Tensor<1>,
    /// Feature standard deviations (at least [`MIN_STD`]), shape `[features]`.
    pub std: Tensor<1>,
}

impl Standardize {
    /// Builds the layer from training-set statistics.
    pub fn new(stats: &FeatureStats, device: &Device) -> Self {
        let n = stats.mean.len();
        let std: Vec<f32> = stats.std.iter().map(|s| s.max(MIN_STD)).collect();
        Self {
            mean: Tensor::from_data(TensorData::new(stats.mean.clone(), [n]), device),
            std: Tensor::from_data(TensorData::new(std, [n]), device),
        }
    }

    /// # Shapes
    /// `[batch, features] -> [batch, features]`
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        (x - self.mean.clone().unsqueeze_dim(0)) / self.std.clone().unsqueeze_dim(0)
    }
}
// ANCHOR_END: standardize
