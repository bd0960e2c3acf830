//! From the page's flat [`RunSettings`] (what the widgets' controls set) to an [`ExperimentConfig`].

use crate::ExperimentConfig;
use crate::activation::Activation;
use crate::data::Task;
use crate::dropout::{DropoutConfig, DropoutKind};
use crate::experiment::EarlyStoppingConfig;
use crate::init::Init;
use crate::model::{Head, MlpConfig, Normalization};
use crate::optim::OptimizerConfig;
use crate::presets::plateau_max;
use crate::regularize::RegularizationConfig;
use crate::schedule::{OneCycleConfig, PlateauConfig, ScheduleConfig};
use book::{ClipMode, Norm, Schedule};
use dl101_protocol::settings::{DataSet, DropoutKind as PageDropout, RunSettings};
use serde_json::json;

/// The core's activation for a page activation name and its α/β (0: default).
pub fn activation(name: book::Activation, param: f64) -> Result<Activation, String> {
    let mut value = json!({ "kind": name.name() });
    if param > 0.0 {
        let key = match name {
            book::Activation::LeakyRelu | book::Activation::Elu => Some("alpha"),
            book::Activation::Swish | book::Activation::Swiglu => Some("beta"),
            _ => None,
        };
        if let (Some(key), Some(object)) = (key, value.as_object_mut()) {
            object.insert(key.into(), json!(param));
        }
    }
    serde_json::from_value(value).map_err(|e| format!("activation {}: {e}", name.name()))
}

fn init(name: book::Init) -> Result<Init, String> {
    serde_json::from_value(json!(name.name())).map_err(|e| format!("init {}: {e}", name.name()))
}

fn normalization(norm: Norm) -> Normalization {
    match norm {
        Norm::None => Normalization::None,
        Norm::BnAfter => Normalization::BatchNormAfter,
        Norm::BnBefore => Normalization::BatchNormBefore,
        Norm::Ln => Normalization::LayerNorm,
    }
}

/// The optimizer with the page's momentum/β₁, β₂ and weight decay.
pub fn optimizer(s: &RunSettings) -> Result<OptimizerConfig, String> {
    let mut config = OptimizerConfig::from_name(s.optimizer.name())
        .ok_or_else(|| format!("unknown optimizer {}", s.optimizer.name()))?;
    let decay = s.weight_decay;
    match &mut config {
        OptimizerConfig::Sgd { weight_decay } | OptimizerConfig::Adagrad { weight_decay, .. } => {
            *weight_decay = decay;
        }
        OptimizerConfig::Momentum {
            momentum,
            weight_decay,
        }
        | OptimizerConfig::Nesterov {
            momentum,
            weight_decay,
        } => {
            *momentum = s.momentum;
            *weight_decay = decay;
        }
        OptimizerConfig::Rmsprop {
            alpha,
            weight_decay,
            ..
        } => {
            *alpha = s.beta2;
            *weight_decay = decay;
        }
        OptimizerConfig::Adam {
            beta1,
            beta2,
            weight_decay,
            ..
        }
        | OptimizerConfig::Adamax {
            beta1,
            beta2,
            weight_decay,
            ..
        }
        | OptimizerConfig::Nadam {
            beta1,
            beta2,
            weight_decay,
            ..
        }
        | OptimizerConfig::Adamw {
            beta1,
            beta2,
            weight_decay,
            ..
        } => {
            *beta1 = s.momentum;
            *beta2 = s.beta2;
            *weight_decay = decay;
        }
    }
    Ok(config)
}

/// The learning-rate schedule with the page's factor and period.
pub fn schedule(s: &RunSettings) -> ScheduleConfig {
    let factor = s.schedule_factor;
    let period = s.schedule_period.max(1) as usize;
    match s.schedule {
        Schedule::Constant => ScheduleConfig::Constant,
        Schedule::Exponential => ScheduleConfig::Exponential { gamma: factor },
        Schedule::Step => ScheduleConfig::Step {
            step_size: period,
            gamma: factor,
        },
        Schedule::Plateau => ScheduleConfig::Plateau(plateau(factor, period)),
        Schedule::Warmup => ScheduleConfig::Warmup {
            start_factor: factor.max(1e-3),
            end_factor: 1.0,
            total_iters: period,
        },
        Schedule::WarmupPlateau => ScheduleConfig::WarmupPlateau {
            start_factor: factor.max(1e-3),
            total_iters: period,
            plateau: plateau(0.5, 2),
        },
        Schedule::OneCycle => ScheduleConfig::OneCycle(OneCycleConfig {
            max_lr: s.lr,
            pct_start: factor.clamp(0.05, 0.95),
            ..OneCycleConfig::default()
        }),
        Schedule::Cosine => ScheduleConfig::Cosine {
            t_max: period,
            eta_min: 0.0,
        },
        Schedule::CosineRestarts => ScheduleConfig::CosineRestarts {
            t0: period,
            t_mult: 2,
            eta_min: 0.0,
        },
    }
}

/// ReduceLROnPlateau on validation accuracy (the page's runs watch accuracy).
fn plateau(factor: f64, patience: usize) -> PlateauConfig {
    PlateauConfig {
        factor: factor.clamp(0.01, 0.99),
        ..plateau_max(patience)
    }
}

/// The whole experiment of one run.
///
/// # Errors
/// A sentence naming the setting the core refuses.
pub fn config(s: &RunSettings, name: &str) -> Result<ExperimentConfig, String> {
    s.check().map_err(|e| e.to_string())?;
    let dropout = if s.dropout > 0.0 {
        DropoutConfig {
            kind: match s.dropout_kind {
                PageDropout::Standard => DropoutKind::Standard,
                PageDropout::Alpha => DropoutKind::Alpha,
                PageDropout::Mc => DropoutKind::Mc,
            },
            rate: s.dropout,
            on_input: false,
        }
    } else {
        DropoutConfig::default()
    };
    let (task, inputs) = match s.data {
        DataSet::Fashion => (Task::Fashion, 784),
        DataSet::Cifar10 => (Task::Cifar10, 3 * 32 * 32),
    };
    let norm = normalization(s.norm);
    let model = MlpConfig {
        inputs,
        depth: s.depth as usize,
        width: s.width as usize,
        activation: activation(s.activation, s.activation_param)?,
        init: init(s.init)?,
        normalization: norm,
        linear_bias: norm != Normalization::BatchNormBefore,
        input_batch_norm: false,
        dropout,
        standardize_input: s.standardize,
        head: Head::MultiClass { classes: 10 },
    };
    let regularization = RegularizationConfig {
        l1: s.l1,
        l2: s.l2,
        max_norm: (s.max_norm > 0.0).then_some(s.max_norm),
        clip_norm: (s.clip == ClipMode::Norm).then_some(s.clip_threshold),
        clip_value: (s.clip == ClipMode::Value).then_some(s.clip_threshold),
    };
    Ok(ExperimentConfig {
        name: name.into(),
        description: s.label(),
        task,
        model,
        optimizer: optimizer(s)?,
        lr: s.lr,
        schedule: schedule(s),
        regularization,
        early_stopping: (s.patience > 0).then_some(EarlyStoppingConfig {
            patience: s.patience as usize,
        }),
        transfer: None,
        mc_dropout: None,
        epochs: s.epochs as usize,
        batch_size: s.batch_size as usize,
        seed: s.seed,
        shuffle: s.shuffle,
        probe_every: (s.probe_every > 0).then_some(s.probe_every as usize),
        train_subset: Some(s.size.train_images(s.data)),
        eval_subset: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use book::Optimizer;

    #[test]
    fn every_page_name_maps_to_the_core() {
        for &name in book::Activation::ALL {
            assert!(activation(name, 0.0).is_ok(), "{}", name.name());
        }
        for &name in book::Init::ALL {
            assert!(init(name).is_ok(), "{}", name.name());
        }
        for &name in Optimizer::ALL {
            let s = RunSettings {
                optimizer: name,
                ..RunSettings::default()
            };
            assert_eq!(optimizer(&s).map(|o| o.name()), Ok(name.name()));
        }
        for &name in Schedule::ALL {
            let s = RunSettings {
                schedule: name,
                ..RunSettings::default()
            };
            assert_eq!(schedule(&s).name(), name.name());
        }
    }

    #[test]
    fn the_page_settings_reach_the_experiment() {
        let s = RunSettings {
            optimizer: Optimizer::Adam,
            momentum: 0.8,
            activation: book::Activation::LeakyRelu,
            activation_param: 0.2,
            norm: Norm::BnBefore,
            dropout: 0.3,
            clip: ClipMode::Value,
            clip_threshold: 0.5,
            patience: 3,
            ..RunSettings::default()
        };
        let c = config(&s, "x").expect("valid");
        assert!(matches!(c.optimizer, OptimizerConfig::Adam { beta1, .. } if beta1 == 0.8));
        assert_eq!(c.model.activation, Activation::LeakyRelu { alpha: 0.2 });
        assert!(
            !c.model.linear_bias,
            "BatchNorm before the activation drops the bias"
        );
        assert_eq!(c.model.dropout.rate, 0.3);
        assert_eq!(c.regularization.clip_value, Some(0.5));
        assert_eq!(c.regularization.clip_norm, None);
        assert_eq!(c.early_stopping.map(|e| e.patience), Some(3));
        assert_eq!(c.train_subset, Some(5_000));
    }

    #[test]
    fn bad_settings_are_refused_with_their_name() {
        let s = RunSettings {
            lr: -1.0,
            ..RunSettings::default()
        };
        assert!(config(&s, "x").is_err_and(|e| e.contains("lr")));
    }
}
