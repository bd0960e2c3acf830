//! The settings of one training run, flat and named the way the widgets' controls and the URL
//! name them. The worker turns them into the training core's experiment config.

use book::{Activation, ClipMode, Init, Norm, Optimizer, Schedule};
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

/// Which dropout a run uses (when the rate is above zero).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DropoutKind {
    /// Standard (inverted) dropout, off at inference.
    #[default]
    Standard,
    /// Alpha dropout, for SELU networks.
    Alpha,
    /// Dropout kept on at inference (Monte-Carlo dropout).
    Mc,
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
            seed: 42,
            probe_every: 0,
        }
    }
}

impl RunSettings {
    /// Checks ranges a widget cannot produce but a stored run or URL could.
    ///
    /// # Errors
    /// A sentence naming the first bad setting.
    pub fn check(&self) -> Result<(), String> {
        let positive = [("lr", self.lr), ("clip-threshold", self.clip_threshold)];
        for (name, value) in positive {
            if !(value.is_finite() && value > 0.0) {
                return Err(format!("{name} must be a positive number, not {value}"));
            }
        }
        let unit = [
            ("momentum", self.momentum),
            ("beta2", self.beta2),
            ("dropout", self.dropout),
        ];
        for (name, value) in unit {
            if !(value.is_finite() && (0.0..1.0).contains(&value)) {
                return Err(format!("{name} must be in [0, 1), not {value}"));
            }
        }
        let non_negative = [
            ("weight-decay", self.weight_decay),
            ("l1", self.l1),
            ("l2", self.l2),
            ("max-norm", self.max_norm),
            ("activation-param", self.activation_param),
            ("schedule-factor", self.schedule_factor),
        ];
        for (name, value) in non_negative {
            if !(value.is_finite() && value >= 0.0) {
                return Err(format!("{name} must be zero or more, not {value}"));
            }
        }
        if !(1..=100).contains(&self.depth) || !(1..=1000).contains(&self.width) {
            return Err(format!(
                "depth must be 1–100 and width 1–1000, not {} and {}",
                self.depth, self.width
            ));
        }
        if self.batch_size == 0 || self.epochs == 0 {
            return Err("batch size and epochs must be at least 1".into());
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
        assert!(bad.check().is_err_and(|e| e.contains("dropout")));
        let nan = RunSettings {
            lr: f64::NAN,
            ..RunSettings::default()
        };
        assert!(nan.check().is_err_and(|e| e.contains("lr")));
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
