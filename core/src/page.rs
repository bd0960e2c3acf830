//! From the page's flat [`RunSettings`] (what the widgets' controls set) to an [`ExperimentConfig`].

use crate::ExperimentConfig;
use crate::activation::ActivationFn;
use crate::data::Task;
use crate::dropout::DropoutConfig;
use crate::experiment::EarlyStoppingConfig;
use crate::model::{Head, MlpConfig};
use crate::optim::OptimizerConfig;
use crate::presets::plateau_max;
use crate::regularize::RegularizationConfig;
use crate::schedule::{OneCycleConfig, PlateauConfig, ScheduleConfig};
use dl101_protocol::field::Invalid;
use dl101_protocol::settings::{DataSet, RunSettings};
use dl101_protocol::vocab::{ClipMode, Norm, Schedule};

/// The optimizer with the page's momentum/β₁, β₂ and weight decay.
pub fn optimizer(s: &RunSettings) -> OptimizerConfig {
    let mut config = OptimizerConfig::defaults(s.optimizer);
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
    config
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
/// The first setting out of its range.
pub fn config(s: &RunSettings, name: &str) -> Result<ExperimentConfig, Invalid> {
    s.check()?;
    let dropout = if s.dropout > 0.0 {
        DropoutConfig {
            kind: s.dropout_kind,
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
    let norm = s.norm;
    let model = MlpConfig {
        inputs,
        depth: s.depth as usize,
        width: s.width as usize,
        activation: ActivationFn::new(s.activation, s.activation_param),
        init: s.init,
        normalization: norm,
        linear_bias: norm != Norm::BnBefore,
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
        optimizer: optimizer(s),
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
    use dl101_protocol::vocab::{Activation, Optimizer};

    #[test]
    fn every_page_choice_reaches_the_core_as_itself() {
        for &kind in Optimizer::ALL {
            let s = RunSettings {
                optimizer: kind,
                ..RunSettings::default()
            };
            assert_eq!(optimizer(&s).kind(), kind);
        }
        for &kind in Schedule::ALL {
            let s = RunSettings {
                schedule: kind,
                ..RunSettings::default()
            };
            assert_eq!(schedule(&s).kind(), kind);
        }
        for &kind in Activation::ALL {
            let s = RunSettings {
                activation: kind,
                ..RunSettings::default()
            };
            assert_eq!(config(&s, "x").map(|c| c.model.activation.kind()), Ok(kind));
        }
    }

    #[test]
    fn the_page_settings_reach_the_experiment() {
        let s = RunSettings {
            optimizer: Optimizer::Adam,
            momentum: 0.8,
            activation: Activation::LeakyRelu,
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
        assert_eq!(c.model.activation, ActivationFn::LeakyRelu { alpha: 0.2 });
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
        assert!(config(&s, "x").is_err_and(|e| e.to_string().starts_with("lr: \"-1\"")));
    }
}
