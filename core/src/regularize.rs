//! Regularization: ℓ1/ℓ2 penalties, max-norm, gradient clipping (global norm and value).

use burn::module::{Module, ModuleVisitor, Param, ParamId};
use burn::nn::Linear;
use burn::optim::GradientsParams;
use burn::tensor::Tensor;
use serde::{Deserialize, Serialize};

use crate::model::Mlp;

/// Regularization settings of an experiment (all off by default).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RegularizationConfig {
    /// λ₁ in loss + λ₁Σ|w| (weights only: no biases, no norm parameters).
    pub l1: f64,
    /// λ₂ in loss + λ₂Σw² (weights only).
    pub l2: f64,
    /// Max-norm r: after each step, each unit's incoming weight vector is scaled to ‖w‖ ≤ r.
    pub max_norm: Option<f64>,
    /// Clip the gradient's global L2 norm to this value (torch `clip_grad_norm_`).
    pub clip_norm: Option<f64>,
    /// Clip every gradient component to [−v, v] (torch `clip_grad_value_`).
    pub clip_value: Option<f64>,
}

/// The linear layers of a model (hidden blocks, then the head).
pub fn linear_layers(model: &Mlp) -> Vec<&Linear> {
    model
        .blocks
        .iter()
        .map(|b| &b.linear)
        .chain(std::iter::once(&model.head))
        .collect()
}

// ANCHOR: penalty
/// Σ|w| over all linear weights, biases and normalization parameters excluded.
pub fn l1_penalty(model: &Mlp) -> Tensor<1> {
    sum_over_weights(model, |w| w.abs().sum())
}

/// Σw² over all linear weights.
pub fn l2_penalty(model: &Mlp) -> Tensor<1> {
    sum_over_weights(model, |w| w.square().sum())
}
// ANCHOR_END: penalty

fn sum_over_weights(model: &Mlp, f: impl Fn(Tensor<2>) -> Tensor<1>) -> Tensor<1> {
    linear_layers(model)
        .into_iter()
        .map(|l| f(l.weight.val()))
        .reduce(|a, b| a + b)
        .unwrap_or_else(|| Tensor::zeros([1], &model.head.weight.val().device()))
}

/// The penalty term to add to the loss, or `None` when both λ are zero.
pub fn penalty_term(model: &Mlp, config: &RegularizationConfig) -> Option<Tensor<1>> {
    let l1 = (config.l1 != 0.0).then(|| l1_penalty(model).mul_scalar(config.l1));
    let l2 = (config.l2 != 0.0).then(|| l2_penalty(model).mul_scalar(config.l2));
    match (l1, l2) {
        (Some(a), Some(b)) => Some(a + b),
        (a, b) => a.or(b),
    }
}

// ANCHOR: max_norm
/// Rescales each unit's incoming weights so that ‖w‖₂ ≤ `max_norm` (Burn's weight is
/// `[in, out]`, so a unit is a column: the norm runs over dim 0). Uses the chapter's
/// w ← w · clamp(‖w‖, 0, r) / (ε + ‖w‖) with ε = 1e-8.
pub fn max_norm_weight(weight: Tensor<2>, max_norm: f64) -> Tensor<2> {
    let norm = weight.clone().square().sum_dim(0).sqrt(); // [1, out]
    let target = norm.clone().clamp_max(max_norm);
    weight * (target / norm.add_scalar(1e-8))
}
// ANCHOR_END: max_norm

/// Applies [`max_norm_weight`] to every linear weight of the model (biases untouched).
pub fn apply_max_norm(mut model: Mlp, max_norm: f64) -> Mlp {
    let constrain = |linear: Linear| Linear {
        weight: linear.weight.map(|w| {
            let require_grad = w.is_require_grad();
            let out = Tensor::from_inner(max_norm_weight(w.inner(), max_norm));
            if require_grad {
                out.require_grad()
            } else {
                out
            }
        }),
        bias: linear.bias,
    };
    model.blocks = model
        .blocks
        .into_iter()
        .map(|mut b| {
            b.linear = constrain(b.linear);
            b
        })
        .collect();
    model.head = constrain(model.head);
    model
}

struct GradSquares<'a> {
    grads: &'a GradientsParams,
    total: Option<Tensor<1>>,
}

impl ModuleVisitor for GradSquares<'_> {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        if let Some(g) = self.grads.get::<D>(param.id) {
            let s = g.square().sum();
            self.total = Some(match self.total.take() {
                Some(t) => t + s,
                None => s,
            });
        }
    }
}

struct ScaleGrads<'a> {
    grads: &'a mut GradientsParams,
    scale: Tensor<1>,
    ids: Vec<ParamId>,
}

impl ModuleVisitor for ScaleGrads<'_> {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        if self.ids.contains(&param.id) {
            return; // already scaled (shared parameter)
        }
        if let Some(g) = self.grads.remove::<D>(param.id) {
            let scale = self.scale.clone().reshape([1; D]);
            self.grads.register::<D>(param.id, g * scale);
            self.ids.push(param.id);
        }
    }
}

/// The global L2 norm of all gradients, as a `[1]` tensor (no readback).
pub fn global_grad_norm<M: Module>(model: &M, grads: &GradientsParams) -> Option<Tensor<1>> {
    let mut visitor = GradSquares { grads, total: None };
    model.visit(&mut visitor);
    visitor.total.map(|t| t.sqrt())
}

// ANCHOR: clip_norm
/// torch `clip_grad_norm_`: scales all gradients by min(1, max_norm / (‖g‖ + 1e-6)). Returns
/// the norm before clipping. Stays on the device (the scale is a tensor, nothing is read back).
pub fn clip_grad_norm<M: Module>(
    model: &M,
    grads: &mut GradientsParams,
    max_norm: f64,
) -> Option<Tensor<1>> {
    let total = global_grad_norm(model, grads)?;
    let scale = total
        .clone()
        .add_scalar(1e-6)
        .recip()
        .mul_scalar(max_norm)
        .clamp_max(1.0);
    model.visit(&mut ScaleGrads {
        grads,
        scale,
        ids: Vec::new(),
    });
    Some(total)
}
// ANCHOR_END: clip_norm

// ANCHOR: clip_value
struct ClampGrads<'a> {
    grads: &'a mut GradientsParams,
    limit: f64,
}

impl ModuleVisitor for ClampGrads<'_> {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        if let Some(g) = self.grads.remove::<D>(param.id) {
            self.grads
                .register::<D>(param.id, g.clamp(-self.limit, self.limit));
        }
    }
}

/// torch `clip_grad_value_`: clamps every gradient component to [−limit, limit].
pub fn clip_grad_value<M: Module>(model: &M, grads: &mut GradientsParams, limit: f64) {
    model.visit(&mut ClampGrads { grads, limit });
}
// ANCHOR_END: clip_value
