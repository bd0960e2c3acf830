//! Weight initialization schemes (torch.nn.init semantics), drawn from the seeded host RNG.

use burn::module::Param;
use burn::nn::Linear;
use burn::tensor::{Device, Tensor, TensorData};

use crate::rng::SeededRng;

/// Which scheme draws a layer's weights; biases are zero except for `Default`.
pub use dl101_protocol::vocab::Init;

/// A weight distribution with its scale resolved for one layer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WeightDistribution {
    /// Uniform on `[-bound, bound)`.
    Uniform {
        /// Half-width.
        bound: f64,
    },
    /// Normal with mean 0.
    Normal {
        /// Standard deviation.
        std: f64,
    },
}

/// The distribution for a layer with the given fans; `negative_slope` is the leaky-ReLU α
/// the He gain accounts for (0 for ReLU and friends).
pub fn distribution(
    init: Init,
    fan_in: usize,
    fan_out: usize,
    negative_slope: f64,
) -> WeightDistribution {
    let fan_in = fan_in as f64;
    let fan_sum = fan_in + fan_out as f64;
    match init {
        // ANCHOR: default
        Init::Default => WeightDistribution::Uniform {
            bound: 1.0 / fan_in.sqrt(),
        },
        // ANCHOR_END: default
        // ANCHOR: glorot
        Init::GlorotUniform => WeightDistribution::Uniform {
            bound: (6.0 / fan_sum).sqrt(),
        },
        Init::GlorotNormal => WeightDistribution::Normal {
            std: (2.0 / fan_sum).sqrt(),
        },
        // ANCHOR_END: glorot
        // ANCHOR: he
        Init::HeUniform => {
            let gain = (2.0 / (1.0 + negative_slope * negative_slope)).sqrt();
            WeightDistribution::Uniform {
                bound: gain * (3.0 / fan_in).sqrt(),
            }
        }
        Init::HeNormal => {
            let gain = (2.0 / (1.0 + negative_slope * negative_slope)).sqrt();
            WeightDistribution::Normal {
                std: gain / fan_in.sqrt(),
            }
        }
        // ANCHOR_END: he
        // ANCHOR: lecun
        Init::LecunNormal => WeightDistribution::Normal {
            std: 1.0 / fan_in.sqrt(),
        },
        // ANCHOR_END: lecun
        Init::Normal => WeightDistribution::Normal { std: 1.0 },
    }
}

/// Builds a linear layer `fan_in → fan_out` (Burn layout: weight `[fan_in, fan_out]`, the
/// transpose of torch's `[out, in]`).
pub fn linear(
    init: Init,
    fan_in: usize,
    fan_out: usize,
    bias: bool,
    negative_slope: f64,
    rng: &mut SeededRng,
    device: &Device,
) -> Linear {
    let distribution = distribution(init, fan_in, fan_out, negative_slope);
    let weight = sample(distribution, fan_in * fan_out, rng);
    let weight = Tensor::<2>::from_data(TensorData::new(weight, [fan_in, fan_out]), device);
    let bias = bias.then(|| {
        let values = match init {
            Init::Default => sample(distribution, fan_out, rng),
            _ => vec![0.0; fan_out],
        };
        Param::from_tensor(Tensor::<1>::from_data(
            TensorData::new(values, [fan_out]),
            device,
        ))
    });
    Linear {
        weight: Param::from_tensor(weight),
        bias,
    }
}

/// Draws `count` values from a distribution.
pub fn sample(distribution: WeightDistribution, count: usize, rng: &mut SeededRng) -> Vec<f32> {
    match distribution {
        WeightDistribution::Uniform { bound } => (0..count)
            .map(|_| rng.uniform_in(-bound, bound) as f32)
            .collect(),
        WeightDistribution::Normal { std } => {
            (0..count).map(|_| (rng.normal() * std) as f32).collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variance(values: &[f32]) -> f64 {
        let n = values.len() as f64;
        let mean = values.iter().map(|&v| v as f64).sum::<f64>() / n;
        values
            .iter()
            .map(|&v| (v as f64 - mean).powi(2))
            .sum::<f64>()
            / n
    }

    /// Expected variances from torch.nn.init's formulas, for fan_in 400, fan_out 200.
    #[test]
    fn variances_match_torch_formulas() {
        let (fan_in, fan_out) = (400usize, 200usize);
        let cases = [
            (Init::Default, 0.0, 1.0 / (3.0 * 400.0)),
            (Init::GlorotUniform, 0.0, 2.0 / 600.0),
            (Init::GlorotNormal, 0.0, 2.0 / 600.0),
            (Init::HeUniform, 0.0, 2.0 / 400.0),
            (Init::HeNormal, 0.0, 2.0 / 400.0),
            (Init::HeNormal, 0.2, 2.0 / (1.04 * 400.0)),
            (Init::LecunNormal, 0.0, 1.0 / 400.0),
            (Init::Normal, 0.0, 1.0),
        ];
        let mut rng = SeededRng::new(42);
        for (init, slope, expected) in cases {
            let values = sample(
                distribution(init, fan_in, fan_out, slope),
                fan_in * fan_out,
                &mut rng,
            );
            let var = variance(&values);
            assert!(
                (var / expected - 1.0).abs() < 0.02,
                "{init:?}: variance {var}, expected {expected}"
            );
        }
    }

    #[test]
    fn uniform_bounds_hold() {
        let mut rng = SeededRng::new(1);
        let d = distribution(Init::HeUniform, 50, 40, 0.0);
        let bound = (6.0f64 / 50.0).sqrt() as f32;
        assert!(sample(d, 10_000, &mut rng).iter().all(|v| v.abs() <= bound));
    }
}
