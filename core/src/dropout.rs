//! Dropout variants: standard, alpha (for SELU) and Monte-Carlo (active at inference).

use burn::tensor::{Tensor, TensorData};
use serde::{Deserialize, Serialize};

use crate::activation::{SELU_ALPHA, SELU_SCALE};
use crate::rng::SeededRng;

/// Which dropout the hidden layers use (a rate of 0 turns it off).
pub use dl101_protocol::vocab::DropoutKind;

/// Dropout settings of a model.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct DropoutConfig {
    /// The variant.
    #[serde(default)]
    pub kind: DropoutKind,
    /// Probability of dropping a unit.
    #[serde(default)]
    pub rate: f64,
    /// Also drop input features (the chapter's standard-dropout model does; alpha dropout does not).
    #[serde(default)]
    pub on_input: bool,
}

impl DropoutConfig {
    /// Whether dropout is applied in the given mode (`training` = false is inference).
    pub fn active(&self, training: bool) -> bool {
        self.rate > 0.0
            && match self.kind {
                DropoutKind::Standard | DropoutKind::Alpha => training,
                DropoutKind::Mc => true,
            }
    }

    /// Applies dropout if active; masks come from the seeded host RNG (same on every backend).
    pub fn apply(&self, x: Tensor<2>, training: bool, rng: &mut SeededRng) -> Tensor<2> {
        if !self.active(training) {
            return x;
        }
        match self.kind {
            DropoutKind::Alpha => alpha_dropout(x, self.rate, rng),
            DropoutKind::Standard | DropoutKind::Mc => standard_dropout(x, self.rate, rng),
        }
    }
}

fn keep_mask(like: &Tensor<2>, rate: f64, rng: &mut SeededRng) -> Tensor<2> {
    let [rows, cols] = like.dims();
    let values: Vec<f32> = (0..rows * cols)
        .map(|_| if rng.uniform() < rate { 0.0 } else { 1.0 })
        .collect();
    Tensor::from_data(TensorData::new(values, [rows, cols]), &like.device())
}

// ANCHOR: dropout
/// Inverted dropout: keep with probability 1−p and scale by 1/(1−p) so E[output] = input.
pub fn standard_dropout(x: Tensor<2>, rate: f64, rng: &mut SeededRng) -> Tensor<2> {
    let keep = keep_mask(&x, rate, rng);
    (x * keep).div_scalar(1.0 - rate)
}
// ANCHOR_END: dropout

// ANCHOR: alpha_dropout
/// Alpha dropout (torch `F.alpha_dropout`): dropped units take SELU's negative saturation
/// α' = −λα, then an affine map a·x + b restores zero mean and unit variance.
pub fn alpha_dropout(x: Tensor<2>, rate: f64, rng: &mut SeededRng) -> Tensor<2> {
    let saturation = -SELU_SCALE * SELU_ALPHA; // α' ≈ −1.7581
    let a = 1.0 / ((saturation * saturation * rate + 1.0) * (1.0 - rate)).sqrt();
    let b = -a * saturation * rate;
    let keep = keep_mask(&x, rate, rng);
    let dropped = keep.clone().neg().add_scalar(1.0).mul_scalar(saturation);
    (x * keep + dropped).mul_scalar(a).add_scalar(b)
}
// ANCHOR_END: alpha_dropout
