//! The settings of one training run, flat and named the way the widgets' controls and the URL
//! name them. The worker turns them into the training core's experiment config.

use crate::vocab::{Activation, ClipMode, DropoutKind, Init, Norm, Optimizer, Schedule};
use serde::{Deserialize, Serialize};

/// Which images a run trains on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DataSet {
    /// Fashion-MNIST, 10 classes.
    #[default]
    Fashion,
    /// CIFAR-10, 10 classes.
    Cifar10,
}

/// How much of the data a run uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DataSize {
    /// A small subset that downloads fast and trains in seconds.
    #[default]
    Quick,
    /// The chapter's full training split.
    Full,
}

impl DataSize {
    /// Training images used (the first of the training split).
    pub fn train_images(self, data: DataSet) -> usize {
        match (self, data) {
            (DataSize::Quick, DataSet::Fashion) => 5_000,
            (DataSize::Full, DataSet::Fashion) => 55_000,
            (DataSize::Quick, DataSet::Cifar10) => 5_000,
            (DataSize::Full, DataSet::Cifar10) => 45_000,
        }
    }
}

/// Everything a reader can set for one run. Zero turns an optional technique off
/// (`l1`, `l2`, `dropout`, `max_norm`, `patience`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RunSettings {
    /// The images.
    pub data: DataSet,
    /// Quick subset or the full split.
    pub size: DataSize,
    /// Hidden layers.
    pub depth: u32,
    /// Units per hidden layer.
    pub width: u32,
    /// Hidden activation.
    pub activation: Activation,
    /// Leaky ReLU/ELU α or Swish β; 0 takes the activation's default.
    pub activation_param: f64,
    /// Weight initialization.
    pub init: Init,
    /// Normalization in the hidden blocks.
    pub norm: Norm,
    /// Standardize the inputs with the training set's statistics (the SELU recipe).
    pub standardize: bool,
    /// The optimizer.
    pub optimizer: Optimizer,
    /// Base learning rate.
    pub lr: f64,
    /// Momentum (SGD family) or β₁ (Adam family); RMSProp's momentum term.
    pub momentum: f64,
    /// β₂ of the Adam family, RMSProp's α.
    pub beta2: f64,
    /// Weight decay of the optimizer (coupled, or decoupled for AdamW).
    pub weight_decay: f64,
    /// ℓ1 penalty λ₁.
    pub l1: f64,
    /// ℓ2 penalty λ₂.
    pub l2: f64,
    /// Dropout rate.
    pub dropout: f64,
    /// Which dropout.
    pub dropout_kind: DropoutKind,
    /// Max-norm radius r.
    pub max_norm: f64,
    /// Gradient clipping mode.
    pub clip: ClipMode,
    /// Clipping threshold (global norm, or value).
    pub clip_threshold: f64,
    /// Mini-batch size.
    pub batch_size: u32,
    /// Epochs.
    pub epochs: u32,
    /// Learning-rate schedule.
    pub schedule: Schedule,
    /// The schedule's factor: γ (exponential, step), the plateau factor, warmup's start factor,
    /// 1cycle's fraction of rising steps.
    pub schedule_factor: f64,
    /// The schedule's period in epochs: step size, plateau patience, warmup length, cosine T_max,
    /// the first restart period T₀.
    pub schedule_period: u32,
    /// Early-stopping patience in epochs.
    pub patience: u32,
    /// Reshuffle the training images every epoch (off: the same order each epoch).
    pub shuffle: bool,
    /// Seed of initialization, shuffling and dropout.
    pub seed: u64,
    /// Take per-layer probes every this many steps (0: never).
    pub probe_every: u32,
}

impl Default for RunSettings {
    /// The chapter's baseline: Fashion-MNIST MLP 784-100-100-100-10, ReLU, He init, SGD 0.01.
    fn default() -> Self {
        RunSettings {
            data: DataSet::Fashion,
            size: DataSize::Quick,
            depth: 3,
            width: 100,
            activation: Activation::Relu,
            activation_param: 0.0,
            init: Init::HeNormal,
            norm: Norm::None,
            standardize: false,
            optimizer: Optimizer::Sgd,
            lr: 0.01,
            momentum: 0.9,
            beta2: 0.999,
            weight_decay: 0.0,
            l1: 0.0,
            l2: 0.0,
            dropout: 0.0,
            dropout_kind: DropoutKind::Standard,
            max_norm: 0.0,
            clip: ClipMode::None,
            clip_threshold: 1.0,
            batch_size: 32,
            epochs: 5,
            schedule: Schedule::Constant,
            schedule_factor: 0.5,
            schedule_period: 2,
            patience: 0,
            shuffle: true,
            seed: 42,
            probe_every: 0,
        }
    }
}

/// What a setting must be, for [`Invalid`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Rule {
    /// Greater than zero.
    Positive,
    /// In [0, 1).
    BelowOne,
    /// Zero or more.
    NonNegative,
    /// A whole number from `min` to `max`.
    Between {
        /// Smallest allowed.
        min: u32,
        /// Largest allowed.
        max: u32,
    },
}

/// A setting that breaks its rule. Pages word it in the reader's language; `Display` is the
/// English the runner and the worker's logs use.
#[derive(Clone, Debug, PartialEq)]
pub struct Invalid {
    /// The setting's name, as in the URL.
    pub setting: &'static str,
    /// What it must be.
    pub rule: Rule,
    /// What it was.
    pub value: f64,
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let value = trim_float(self.value);
        match self.rule {
            Rule::Positive => write!(f, "{} must be a positive number, not {value}", self.setting),
            Rule::BelowOne => write!(f, "{} must be in [0, 1), not {value}", self.setting),
            Rule::NonNegative => write!(f, "{} must be zero or more, not {value}", self.setting),
            Rule::Between { min, max } => {
                write!(
                    f,
                    "{} must be from {min} to {max}, not {value}",
                    self.setting
                )
            }
        }
    }
}

impl RunSettings {
    /// Checks ranges a widget cannot produce but a stored run or URL could.
    ///
    /// # Errors
    /// The first bad setting and its rule.
    pub fn check(&self) -> Result<(), Invalid> {
        let whole = |v: u32| f64::from(v);
        let rules = [
            ("lr", self.lr, Rule::Positive),
            ("threshold", self.clip_threshold, Rule::Positive),
            ("momentum", self.momentum, Rule::BelowOne),
            ("beta2", self.beta2, Rule::BelowOne),
            ("dropout", self.dropout, Rule::BelowOne),
            ("weight-decay", self.weight_decay, Rule::NonNegative),
            ("l1", self.l1, Rule::NonNegative),
            ("l2", self.l2, Rule::NonNegative),
            ("max-norm", self.max_norm, Rule::NonNegative),
            ("alpha", self.activation_param, Rule::NonNegative),
            ("factor", self.schedule_factor, Rule::NonNegative),
            (
                "depth",
                whole(self.depth),
                Rule::Between { min: 1, max: 100 },
            ),
            (
                "width",
                whole(self.width),
                Rule::Between { min: 1, max: 1000 },
            ),
            (
                "batch",
                whole(self.batch_size),
                Rule::Between {
                    min: 1,
                    max: 100_000,
                },
            ),
            (
                "epochs",
                whole(self.epochs),
                Rule::Between {
                    min: 1,
                    max: 10_000,
                },
            ),
        ];
        for (setting, value, rule) in rules {
            let ok = value.is_finite()
                && match rule {
                    Rule::Positive => value > 0.0,
                    Rule::BelowOne => (0.0..1.0).contains(&value),
                    Rule::NonNegative => value >= 0.0,
                    Rule::Between { min, max } => (whole(min)..=whole(max)).contains(&value),
                };
            if !ok {
                return Err(Invalid {
                    setting,
                    rule,
                    value,
                });
            }
        }
        Ok(())
    }

    /// A short label for legends and run lists, e.g. "adam · lr 0.001".
    pub fn label(&self) -> String {
        format!("{} · lr {}", self.optimizer.name(), trim_float(self.lr))
    }
}

/// A number without trailing zeros (0.0010 → "0.001", 1e-5 stays readable).
pub fn trim_float(value: f64) -> String {
    if value != 0.0 && (value.abs() < 1e-3 || value.abs() >= 1e5) {
        return format!("{value:e}");
    }
    let text = format!("{value:.6}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_pass_their_own_check() {
        assert_eq!(RunSettings::default().check(), Ok(()));
    }

    #[test]
    fn check_names_the_bad_setting() {
        let bad = RunSettings {
            dropout: 1.0,
            ..RunSettings::default()
        };
        assert!(
            bad.check()
                .is_err_and(|e| e.setting == "dropout" && e.rule == Rule::BelowOne)
        );
        let nan = RunSettings {
            lr: f64::NAN,
            ..RunSettings::default()
        };
        assert!(
            nan.check()
                .is_err_and(|e| e.to_string().starts_with("lr must be"))
        );
        let deep = RunSettings {
            depth: 0,
            ..RunSettings::default()
        };
        assert_eq!(
            deep.check().map_err(|e| e.to_string()),
            Err("depth must be from 1 to 100, not 0".into())
        );
    }

    #[test]
    fn missing_fields_take_defaults() {
        let parsed: RunSettings =
            serde_json::from_str(r#"{"optimizer":"adam","lr":0.001}"#).expect("parses");
        assert_eq!(parsed.optimizer, Optimizer::Adam);
        assert_eq!(parsed.depth, RunSettings::default().depth);
        assert_eq!(parsed.label(), "adam · lr 0.001");
    }

    #[test]
    fn floats_print_short() {
        assert_eq!(trim_float(0.05), "0.05");
        assert_eq!(trim_float(1.0), "1");
        assert_eq!(trim_float(0.0001), "1e-4");
    }
}
