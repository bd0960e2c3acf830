//! Activation functions: tensor forward for the model, scalar value and derivative for the charts.

use burn::tensor::{Tensor, activation as act};
use dl101_protocol::vocab::Activation;
use serde::{Deserialize, Serialize};

/// SELU's α (Klambauer et al. 2017, eq. 14), as in `torch.nn.SELU`.
pub const SELU_ALPHA: f64 = 1.673_263_242_354_377_3;
/// SELU's scale λ.
pub const SELU_SCALE: f64 = 1.050_700_987_355_480_5;

/// An activation function with its parameter, as configs write it
/// (`{"kind": "leaky-relu", "alpha": 0.2}`); which one it is, is its [`Activation`] kind.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ActivationFn {
    /// Logistic sigmoid σ(z) = 1 / (1 + e^-z).
    Sigmoid,
    /// Hyperbolic tangent.
    Tanh,
    /// max(0, z).
    Relu,
    /// max(αz, z).
    LeakyRelu {
        /// Slope for z < 0.
        #[serde(default = "default_leaky_alpha")]
        alpha: f64,
    },
    /// z for z > 0, α(e^z − 1) otherwise.
    Elu {
        /// Saturation value −α for z → −∞.
        #[serde(default = "one")]
        alpha: f64,
    },
    /// λ·ELU_α(z) with the self-normalizing constants.
    Selu,
    /// Exact GELU z·Φ(z).
    Gelu,
    /// GELU with the tanh approximation.
    GeluTanh,
    /// Swish/SiLU z·σ(βz).
    Swish {
        /// Sharpness; β = 1 is SiLU.
        #[serde(default = "one")]
        beta: f64,
    },
    /// z·tanh(softplus(z)).
    Mish,
    /// ln(1 + e^z).
    Softplus,
    /// max(0, z)².
    Relu2,
    /// Swish-gated linear unit: splits the features in two halves (a, b) → swish_β(a)·b.
    Swiglu {
        /// Sharpness of the swish gate.
        #[serde(default = "one")]
        beta: f64,
    },
}

fn default_leaky_alpha() -> f64 {
    0.01
}

fn one() -> f64 {
    1.0
}

impl ActivationFn {
    /// The activation `kind` with its α or β; a `param` of 0 or less takes the default
    /// (leaky slope 0.01, ELU α 1, Swish/SwiGLU β 1). Kinds without a parameter ignore it.
    pub fn new(kind: Activation, param: f64) -> ActivationFn {
        let or = |default: f64| if param > 0.0 { param } else { default };
        match kind {
            Activation::Sigmoid => ActivationFn::Sigmoid,
            Activation::Tanh => ActivationFn::Tanh,
            Activation::Relu => ActivationFn::Relu,
            Activation::LeakyRelu => ActivationFn::LeakyRelu {
                alpha: or(default_leaky_alpha()),
            },
            Activation::Elu => ActivationFn::Elu { alpha: or(one()) },
            Activation::Selu => ActivationFn::Selu,
            Activation::Gelu => ActivationFn::Gelu,
            Activation::GeluTanh => ActivationFn::GeluTanh,
            Activation::Swish => ActivationFn::Swish { beta: or(one()) },
            Activation::Mish => ActivationFn::Mish,
            Activation::Softplus => ActivationFn::Softplus,
            Activation::Relu2 => ActivationFn::Relu2,
            Activation::Swiglu => ActivationFn::Swiglu { beta: or(one()) },
        }
    }

    /// Every activation with its default parameters, in the order the site lists them.
    pub fn all() -> impl Iterator<Item = ActivationFn> {
        Activation::ALL
            .iter()
            .map(|&kind| ActivationFn::new(kind, 0.0))
    }

    /// Which activation this is.
    pub fn kind(&self) -> Activation {
        match self {
            ActivationFn::Sigmoid => Activation::Sigmoid,
            ActivationFn::Tanh => Activation::Tanh,
            ActivationFn::Relu => Activation::Relu,
            ActivationFn::LeakyRelu { .. } => Activation::LeakyRelu,
            ActivationFn::Elu { .. } => Activation::Elu,
            ActivationFn::Selu => Activation::Selu,
            ActivationFn::Gelu => Activation::Gelu,
            ActivationFn::GeluTanh => Activation::GeluTanh,
            ActivationFn::Swish { .. } => Activation::Swish,
            ActivationFn::Mish => Activation::Mish,
            ActivationFn::Softplus => Activation::Softplus,
            ActivationFn::Relu2 => Activation::Relu2,
            ActivationFn::Swiglu { .. } => Activation::Swiglu,
        }
    }

    /// The kebab-case name used in configs and by the site.
    pub fn name(&self) -> &'static str {
        self.kind().name()
    }

    /// Width the preceding linear layer must output so the activation yields `width` features
    /// (SwiGLU consumes two halves).
    pub fn input_width(&self, width: usize) -> usize {
        match self {
            ActivationFn::Swiglu { .. } => 2 * width,
            _ => width,
        }
    }

    /// True for functions whose derivative vanishes on both sides (sigmoid, tanh).
    pub fn is_saturating(&self) -> bool {
        matches!(self, ActivationFn::Sigmoid | ActivationFn::Tanh)
    }

    /// True for the ReLU family, whose units can "die" (output exactly 0).
    pub fn can_die(&self) -> bool {
        matches!(self, ActivationFn::Relu | ActivationFn::Relu2)
    }

    /// Negative slope to pass to the He initializer's gain (`a` in torch's `kaiming_*`).
    pub fn he_negative_slope(&self) -> f64 {
        match self {
            ActivationFn::LeakyRelu { alpha } => *alpha,
            _ => 0.0,
        }
    }

    // ANCHOR: forward
    /// Applies the activation to a batch of pre-activations `[batch, input_width]`.
    ///
    /// # Shapes
    /// `[batch, n] -> [batch, n]`, except SwiGLU: `[batch, 2n] -> [batch, n]`.
    pub fn forward(&self, z: Tensor<2>) -> Tensor<2> {
        match *self {
            ActivationFn::Sigmoid => act::sigmoid(z),
            ActivationFn::Tanh => act::tanh(z),
            ActivationFn::Relu => act::relu(z),
            ActivationFn::LeakyRelu { alpha } => act::leaky_relu(z, alpha),
            ActivationFn::Elu { alpha } => elu_tensor(z, alpha),
            ActivationFn::Selu => selu(z),
            ActivationFn::Gelu => act::gelu(z),
            ActivationFn::GeluTanh => act::gelu_approximate(z),
            ActivationFn::Swish { beta } => swish(z, beta),
            ActivationFn::Mish => act::mish(z),
            ActivationFn::Softplus => act::softplus(z, 1.0),
            ActivationFn::Relu2 => act::relu(z).square(),
            ActivationFn::Swiglu { beta } => swiglu(z, beta),
        }
    }
    // ANCHOR_END: forward

    /// Scalar value f(z), for charts. SwiGLU is drawn as its gate swish_β(z)·1.
    pub fn value(&self, z: f64) -> f64 {
        match *self {
            ActivationFn::Sigmoid => sigmoid(z),
            ActivationFn::Tanh => z.tanh(),
            ActivationFn::Relu => z.max(0.0),
            ActivationFn::LeakyRelu { alpha } => {
                if z > 0.0 {
                    z
                } else {
                    alpha * z
                }
            }
            ActivationFn::Elu { alpha } => elu(z, alpha),
            ActivationFn::Selu => SELU_SCALE * elu(z, SELU_ALPHA),
            ActivationFn::Gelu => z * normal_cdf(z),
            ActivationFn::GeluTanh => 0.5 * z * (1.0 + gelu_tanh_inner(z).tanh()),
            ActivationFn::Swish { beta } | ActivationFn::Swiglu { beta } => z * sigmoid(beta * z),
            ActivationFn::Mish => z * softplus(z).tanh(),
            ActivationFn::Softplus => softplus(z),
            ActivationFn::Relu2 => z.max(0.0).powi(2),
        }
    }

    /// Scalar derivative f'(z), matching torch autograd at the kinks (e.g. ReLU'(0) = 0).
    pub fn derivative(&self, z: f64) -> f64 {
        match *self {
            // ANCHOR: sigmoid_derivative
            ActivationFn::Sigmoid => {
                let s = sigmoid(z);
                s * (1.0 - s)
            }
            ActivationFn::Tanh => 1.0 - z.tanh().powi(2),
            // ANCHOR_END: sigmoid_derivative
            ActivationFn::Relu => step(z),
            ActivationFn::LeakyRelu { alpha } => {
                if z > 0.0 {
                    1.0
                } else {
                    alpha
                }
            }
            ActivationFn::Elu { alpha } => elu_derivative(z, alpha),
            ActivationFn::Selu => SELU_SCALE * elu_derivative(z, SELU_ALPHA),
            ActivationFn::Gelu => normal_cdf(z) + z * normal_pdf(z),
            ActivationFn::GeluTanh => gelu_tanh_derivative(z),
            ActivationFn::Swish { beta } | ActivationFn::Swiglu { beta } => {
                let s = sigmoid(beta * z);
                s + beta * z * s * (1.0 - s)
            }
            ActivationFn::Mish => {
                let t = softplus(z).tanh();
                t + z * (1.0 - t * t) * sigmoid(z)
            }
            ActivationFn::Softplus => sigmoid(z),
            ActivationFn::Relu2 => 2.0 * z.max(0.0),
        }
    }
}

// ANCHOR: selu
/// SELU written out: λ·z for z > 0, λ·α·(e^z − 1) otherwise.
fn selu(z: Tensor<2>) -> Tensor<2> {
    elu_tensor(z, SELU_ALPHA).mul_scalar(SELU_SCALE)
}

/// ELU: z for z > 0, α·(e^z − 1) otherwise. The exponential sees min(z, 0) only: e^z of a large
/// positive z is ∞ in f32, and although the mask drops it, its zero gradient times ∞ is NaN
/// (Burn's own `elu` has that flaw, torch's does not).
fn elu_tensor(z: Tensor<2>, alpha: f64) -> Tensor<2> {
    let negative = z.clone().lower_equal_scalar(0.0);
    let exp_branch = z
        .clone()
        .clamp_max(0.0)
        .exp()
        .sub_scalar(1.0)
        .mul_scalar(alpha);
    z.mask_where(negative, exp_branch)
}
// ANCHOR_END: selu

// ANCHOR: swish
/// Swish with sharpness β: z·σ(βz). β = 1 is SiLU; β ≈ 1.702 approximates GELU.
fn swish(z: Tensor<2>, beta: f64) -> Tensor<2> {
    if beta == 1.0 {
        return act::silu(z);
    }
    z.clone() * act::sigmoid(z.mul_scalar(beta))
}
// ANCHOR_END: swish

// ANCHOR: swiglu
/// SwiGLU: the first half of the features gates the second half, halving the width.
fn swiglu(z: Tensor<2>, beta: f64) -> Tensor<2> {
    let [_, width] = z.dims();
    let half = width / 2;
    let gate = z.clone().narrow(1, 0, half);
    let value = z.narrow(1, half, half);
    swish(gate, beta) * value
}
// ANCHOR_END: swiglu

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

fn step(z: f64) -> f64 {
    if z > 0.0 { 1.0 } else { 0.0 }
}

// ANCHOR: elu
fn elu(z: f64, alpha: f64) -> f64 {
    if z > 0.0 { z } else { alpha * z.exp_m1() }
}

fn elu_derivative(z: f64, alpha: f64) -> f64 {
    if z > 0.0 { 1.0 } else { alpha * z.exp() }
}
// ANCHOR_END: elu

/// ln(1 + e^z) without overflow, with torch's threshold of 20.
fn softplus(z: f64) -> f64 {
    if z > 20.0 { z } else { z.exp().ln_1p() }
}

// ANCHOR: gelu
fn normal_cdf(z: f64) -> f64 {
    0.5 * (1.0 + libm::erf(z / core::f64::consts::SQRT_2))
}

fn normal_pdf(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * core::f64::consts::PI).sqrt()
}

const SQRT_2_OVER_PI: f64 = 0.797_884_560_802_865_4;
const GELU_CUBIC: f64 = 0.044_715;

fn gelu_tanh_inner(z: f64) -> f64 {
    SQRT_2_OVER_PI * (z + GELU_CUBIC * z.powi(3))
}

fn gelu_tanh_derivative(z: f64) -> f64 {
    let t = gelu_tanh_inner(z).tanh();
    let inner_derivative = SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_CUBIC * z * z);
    0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * inner_derivative
}
// ANCHOR_END: gelu

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_serde() {
        for activation in ActivationFn::all() {
            let json = serde_json::to_string(&activation).expect("serialize");
            assert!(json.contains(activation.name()), "{json}");
            let back: ActivationFn = serde_json::from_str(&json).expect("deserialize");
            assert_eq!(back, activation);
        }
        let leaky: ActivationFn = serde_json::from_str(r#"{"kind":"leaky-relu"}"#).expect("parse");
        assert_eq!(leaky, ActivationFn::LeakyRelu { alpha: 0.01 });
        for &kind in Activation::ALL {
            assert_eq!(ActivationFn::new(kind, 0.0).kind(), kind);
            assert_eq!(ActivationFn::new(kind, 0.3).kind(), kind);
        }
        assert_eq!(
            ActivationFn::new(Activation::Swish, 1.7),
            ActivationFn::Swish { beta: 1.7 }
        );
    }

    #[test]
    fn derivatives_match_finite_differences() {
        let h = 1e-5;
        for activation in ActivationFn::all() {
            for i in 0..40 {
                let z = -4.0 + 0.2 * i as f64 + 0.05; // stays off the kinks
                let numeric = (activation.value(z + h) - activation.value(z - h)) / (2.0 * h);
                let analytic = activation.derivative(z);
                assert!(
                    (numeric - analytic).abs() < 1e-5,
                    "{} at {z}: {numeric} vs {analytic}",
                    activation.name()
                );
            }
        }
    }

    /// Far from zero every activation keeps finite values and gradients: a unit whose
    /// pre-activation reaches 100 (it happens in a deep net that is going unstable) must not
    /// turn the whole step into NaN. SELU once computed e^z on both sides of its mask, and the
    /// masked-out e^100 = ∞ times a zero gradient gave NaN.
    #[test]
    fn gradients_stay_finite_far_from_zero() {
        use burn::tensor::TensorData;
        let device = crate::cpu_device().autodiff();
        for activation in ActivationFn::all() {
            let z: Vec<f32> = vec![-100.0, -30.0, 30.0, 100.0];
            let x = Tensor::<2>::from_data(TensorData::new(z, [2, 2]), &device).require_grad();
            let y = activation.forward(x.clone());
            let grads = y.sum().backward();
            let g = x
                .grad(&grads)
                .map(|g| g.into_data().try_to_vec::<f32>().unwrap_or_default())
                .unwrap_or_default();
            assert!(
                !g.is_empty() && g.iter().all(|v| v.is_finite()),
                "{activation:?}: {g:?}"
            );
        }
    }
}
