//! Optimizers with torch.optim semantics, written as per-parameter update rules.
//!
//! Burn ships SGD/Adam/AdamW/AdaGrad/RMSProp, but not NAdam or Adamax, and its RMSProp/Adam
//! options do not map one-to-one onto torch's (e.g. torch's Adam adds ε after dividing √v̂ by
//! √(1−β₂ᵗ); torch's SGD momentum buffer starts at the first gradient). Every rule here is
//! therefore our own, one file each, applied to each parameter through a `ModuleMapper`.

mod adagrad;
mod adam;
mod adamax;
mod adamw;
mod nadam;
mod rmsprop;
mod sgd;

pub use adagrad::Adagrad;
pub use adam::Adam;
pub use adamax::Adamax;
pub use adamw::AdamW;
pub use nadam::Nadam;
pub use rmsprop::RmsProp;
pub use sgd::Sgd;

use std::collections::HashMap;

use burn::module::{Module, ModuleMapper, Param, ParamId};
use burn::optim::GradientsParams;
use burn::tensor::Tensor;
use dl101_protocol::vocab::Optimizer as OptimizerKind;
use serde::{Deserialize, Serialize};

/// Per-step values the schedule decides.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepContext {
    /// Learning rate for this step.
    pub lr: f64,
    /// Momentum (SGD family) or β₁ (Adam family) override, as OneCycle cycles it.
    pub momentum: Option<f64>,
}

/// Optimizer state of one parameter (flattened to 1-D).
#[derive(Debug, Clone)]
pub struct ParamState {
    /// Number of updates done so far, including the current one while it runs (torch's `step`).
    pub step: u64,
    /// Moment buffers, zero-initialized with the parameter's size.
    pub slots: Vec<Tensor<1>>,
    /// A running scalar (NAdam's μ product).
    pub scalar: f64,
}

/// One optimizer's update rule.
pub trait UpdateRule: Send + Sync + std::fmt::Debug {
    /// Number of state buffers per parameter.
    fn slots(&self) -> usize;

    /// Returns the updated parameter. `state.step` is already incremented.
    fn update(
        &self,
        ctx: StepContext,
        param: Tensor<1>,
        grad: Tensor<1>,
        state: &mut ParamState,
    ) -> Tensor<1>;
}

fn default_momentum() -> f64 {
    0.9
}
fn default_beta1() -> f64 {
    0.9
}
fn default_beta2() -> f64 {
    0.999
}
fn default_adam_eps() -> f64 {
    1e-8
}
fn default_adagrad_eps() -> f64 {
    1e-10
}
fn default_rms_alpha() -> f64 {
    0.99
}
fn default_momentum_decay() -> f64 {
    4e-3
}
fn default_adamw_decay() -> f64 {
    1e-2
}

/// An optimizer with its hyperparameters (`{"kind": "nadam", "beta1": 0.9, ...}`), torch
/// defaults for what is left out; which one it is, is its
/// [`kind`](OptimizerConfig::kind).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum OptimizerConfig {
    /// Plain SGD.
    Sgd {
        /// L2 weight decay added to the gradient.
        #[serde(default)]
        weight_decay: f64,
    },
    /// SGD with (heavy-ball) momentum.
    Momentum {
        /// Momentum β.
        #[serde(default = "default_momentum")]
        momentum: f64,
        /// L2 weight decay.
        #[serde(default)]
        weight_decay: f64,
    },
    /// SGD with Nesterov momentum.
    Nesterov {
        /// Momentum β.
        #[serde(default = "default_momentum")]
        momentum: f64,
        /// L2 weight decay.
        #[serde(default)]
        weight_decay: f64,
    },
    /// AdaGrad.
    Adagrad {
        /// Added to √(Σg²).
        #[serde(default = "default_adagrad_eps")]
        eps: f64,
        /// L2 weight decay.
        #[serde(default)]
        weight_decay: f64,
    },
    /// RMSProp.
    Rmsprop {
        /// Decay of the squared-gradient average.
        #[serde(default = "default_rms_alpha")]
        alpha: f64,
        /// Added to √v.
        #[serde(default = "default_adam_eps")]
        eps: f64,
        /// Optional momentum on the scaled step.
        #[serde(default)]
        momentum: f64,
        /// L2 weight decay.
        #[serde(default)]
        weight_decay: f64,
    },
    /// Adam.
    Adam {
        /// β₁.
        #[serde(default = "default_beta1")]
        beta1: f64,
        /// β₂.
        #[serde(default = "default_beta2")]
        beta2: f64,
        /// ε.
        #[serde(default = "default_adam_eps")]
        eps: f64,
        /// L2 weight decay (added to the gradient).
        #[serde(default)]
        weight_decay: f64,
    },
    /// Adamax (infinity norm).
    Adamax {
        /// β₁.
        #[serde(default = "default_beta1")]
        beta1: f64,
        /// β₂.
        #[serde(default = "default_beta2")]
        beta2: f64,
        /// ε.
        #[serde(default = "default_adam_eps")]
        eps: f64,
        /// L2 weight decay.
        #[serde(default)]
        weight_decay: f64,
    },
    /// NAdam (Adam with Nesterov momentum, torch's μ schedule).
    Nadam {
        /// β₁.
        #[serde(default = "default_beta1")]
        beta1: f64,
        /// β₂.
        #[serde(default = "default_beta2")]
        beta2: f64,
        /// ε.
        #[serde(default = "default_adam_eps")]
        eps: f64,
        /// L2 weight decay.
        #[serde(default)]
        weight_decay: f64,
        /// ψ in μ_t = β₁(1 − ½·0.96^(tψ)).
        #[serde(default = "default_momentum_decay")]
        momentum_decay: f64,
    },
    /// AdamW (decoupled weight decay).
    Adamw {
        /// β₁.
        #[serde(default = "default_beta1")]
        beta1: f64,
        /// β₂.
        #[serde(default = "default_beta2")]
        beta2: f64,
        /// ε.
        #[serde(default = "default_adam_eps")]
        eps: f64,
        /// Decoupled decay: p ← p(1 − lr·λ).
        #[serde(default = "default_adamw_decay")]
        weight_decay: f64,
    },
}

impl OptimizerConfig {
    /// The optimizer `kind` with torch's defaults.
    pub fn defaults(kind: OptimizerKind) -> Self {
        let (beta1, beta2, eps) = (default_beta1(), default_beta2(), default_adam_eps());
        match kind {
            OptimizerKind::Sgd => OptimizerConfig::Sgd { weight_decay: 0.0 },
            OptimizerKind::Momentum => OptimizerConfig::Momentum {
                momentum: default_momentum(),
                weight_decay: 0.0,
            },
            OptimizerKind::Nesterov => OptimizerConfig::Nesterov {
                momentum: default_momentum(),
                weight_decay: 0.0,
            },
            OptimizerKind::Adagrad => OptimizerConfig::Adagrad {
                eps: default_adagrad_eps(),
                weight_decay: 0.0,
            },
            OptimizerKind::Rmsprop => OptimizerConfig::Rmsprop {
                alpha: default_rms_alpha(),
                eps,
                momentum: 0.0,
                weight_decay: 0.0,
            },
            OptimizerKind::Adam => OptimizerConfig::Adam {
                beta1,
                beta2,
                eps,
                weight_decay: 0.0,
            },
            OptimizerKind::Adamax => OptimizerConfig::Adamax {
                beta1,
                beta2,
                eps,
                weight_decay: 0.0,
            },
            OptimizerKind::Nadam => OptimizerConfig::Nadam {
                beta1,
                beta2,
                eps,
                weight_decay: 0.0,
                momentum_decay: default_momentum_decay(),
            },
            OptimizerKind::Adamw => OptimizerConfig::Adamw {
                beta1,
                beta2,
                eps,
                weight_decay: default_adamw_decay(),
            },
        }
    }

    /// Which optimizer this is.
    pub fn kind(&self) -> OptimizerKind {
        match self {
            OptimizerConfig::Sgd { .. } => OptimizerKind::Sgd,
            OptimizerConfig::Momentum { .. } => OptimizerKind::Momentum,
            OptimizerConfig::Nesterov { .. } => OptimizerKind::Nesterov,
            OptimizerConfig::Adagrad { .. } => OptimizerKind::Adagrad,
            OptimizerConfig::Rmsprop { .. } => OptimizerKind::Rmsprop,
            OptimizerConfig::Adam { .. } => OptimizerKind::Adam,
            OptimizerConfig::Adamax { .. } => OptimizerKind::Adamax,
            OptimizerConfig::Nadam { .. } => OptimizerKind::Nadam,
            OptimizerConfig::Adamw { .. } => OptimizerKind::Adamw,
        }
    }

    /// The kebab-case name.
    pub fn name(&self) -> &'static str {
        self.kind().name()
    }

    /// Builds the optimizer.
    pub fn init(&self) -> Optimizer {
        let rule: Box<dyn UpdateRule> = match *self {
            OptimizerConfig::Sgd { weight_decay } => Box::new(Sgd {
                momentum: 0.0,
                nesterov: false,
                weight_decay,
            }),
            OptimizerConfig::Momentum {
                momentum,
                weight_decay,
            } => Box::new(Sgd {
                momentum,
                nesterov: false,
                weight_decay,
            }),
            OptimizerConfig::Nesterov {
                momentum,
                weight_decay,
            } => Box::new(Sgd {
                momentum,
                nesterov: true,
                weight_decay,
            }),
            OptimizerConfig::Adagrad { eps, weight_decay } => {
                Box::new(Adagrad { eps, weight_decay })
            }
            OptimizerConfig::Rmsprop {
                alpha,
                eps,
                momentum,
                weight_decay,
            } => Box::new(RmsProp {
                alpha,
                eps,
                momentum,
                weight_decay,
            }),
            OptimizerConfig::Adam {
                beta1,
                beta2,
                eps,
                weight_decay,
            } => Box::new(Adam {
                beta1,
                beta2,
                eps,
                weight_decay,
            }),
            OptimizerConfig::Adamax {
                beta1,
                beta2,
                eps,
                weight_decay,
            } => Box::new(Adamax {
                beta1,
                beta2,
                eps,
                weight_decay,
            }),
            OptimizerConfig::Nadam {
                beta1,
                beta2,
                eps,
                weight_decay,
                momentum_decay,
            } => Box::new(Nadam {
                beta1,
                beta2,
                eps,
                weight_decay,
                momentum_decay,
            }),
            OptimizerConfig::Adamw {
                beta1,
                beta2,
                eps,
                weight_decay,
            } => Box::new(AdamW {
                beta1,
                beta2,
                eps,
                weight_decay,
            }),
        };
        Optimizer {
            rule,
            states: HashMap::new(),
        }
    }
}

/// An optimizer: an update rule plus the state of every parameter it has touched.
#[derive(Debug)]
pub struct Optimizer {
    rule: Box<dyn UpdateRule>,
    states: HashMap<ParamId, ParamState>,
}

impl Optimizer {
    /// Applies one update to every parameter that has a gradient (frozen ones have none).
    pub fn step<M: Module>(&mut self, ctx: StepContext, model: M, mut grads: GradientsParams) -> M {
        let mut mapper = StepMapper {
            rule: self.rule.as_ref(),
            states: &mut self.states,
            grads: &mut grads,
            ctx,
        };
        model.map(&mut mapper)
    }

    /// Forgets all moment buffers (e.g. when a new training phase starts).
    pub fn reset(&mut self) {
        self.states.clear();
    }
}

struct StepMapper<'a> {
    rule: &'a dyn UpdateRule,
    states: &'a mut HashMap<ParamId, ParamState>,
    grads: &'a mut GradientsParams,
    ctx: StepContext,
}

impl ModuleMapper for StepMapper<'_> {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let (id, tensor, mapper) = param.consume();
        let Some(grad) = self.grads.remove::<D>(id) else {
            return Param::from_mapped_value(id, tensor, mapper);
        };
        let require_grad = tensor.is_require_grad();
        let dims = tensor.dims();
        let count = dims.iter().product::<usize>();
        let flat = tensor.inner().reshape([count]);
        let state = self.states.entry(id).or_insert_with(|| ParamState {
            step: 0,
            slots: (0..self.rule.slots())
                .map(|_| Tensor::zeros([count], &flat.device()))
                .collect(),
            scalar: 1.0,
        });
        state.step += 1;
        let updated = self
            .rule
            .update(self.ctx, flat, grad.reshape([count]), state)
            .reshape(dims);
        let mut updated = Tensor::from_inner(updated);
        if require_grad {
            updated = updated.require_grad();
        }
        Param::from_mapped_value(id, updated, mapper)
    }
}

/// `g + λp` when λ ≠ 0 (torch's coupled L2 weight decay).
pub(crate) fn with_weight_decay(
    grad: Tensor<1>,
    param: &Tensor<1>,
    weight_decay: f64,
) -> Tensor<1> {
    if weight_decay == 0.0 {
        grad
    } else {
        grad + param.clone().mul_scalar(weight_decay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_ones_a_config_file_gets_by_leaving_them_out() {
        for &kind in OptimizerKind::ALL {
            let parsed: OptimizerConfig =
                serde_json::from_value(serde_json::json!({ "kind": kind.name() })).unwrap();
            assert_eq!(OptimizerConfig::defaults(kind), parsed, "{kind}");
            assert_eq!(parsed.kind(), kind);
        }
    }
}
