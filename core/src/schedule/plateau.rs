//! Reduce on plateau (torch `ReduceLROnPlateau`).

use serde::{Deserialize, Serialize};

use super::{Schedule, ScheduleError, check};

/// Whether a lower or a higher metric is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlateauMode {
    /// Loss-like metric.
    Min,
    /// Accuracy-like metric.
    Max,
}

/// How `threshold` defines a significant improvement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ThresholdMode {
    /// Relative: better than best·(1 ± threshold).
    Rel,
    /// Absolute: better than best ± threshold.
    Abs,
}

/// Settings of ReduceLROnPlateau, torch defaults (the chapter sets `mode` to max).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlateauConfig {
    /// Direction of improvement.
    pub mode: PlateauMode,
    /// Multiplier applied on a plateau.
    pub factor: f64,
    /// Epochs without improvement tolerated.
    pub patience: usize,
    /// Minimum significant change.
    pub threshold: f64,
    /// Relative or absolute threshold.
    pub threshold_mode: ThresholdMode,
    /// Epochs to wait after a reduction.
    pub cooldown: usize,
    /// Lower bound of the lr.
    pub min_lr: f64,
}

impl Default for PlateauConfig {
    fn default() -> Self {
        Self {
            mode: PlateauMode::Min,
            factor: 0.1,
            patience: 10,
            threshold: 1e-4,
            threshold_mode: ThresholdMode::Rel,
            cooldown: 0,
            min_lr: 0.0,
        }
    }
}

/// torch ignores reductions smaller than this.
const MIN_CHANGE: f64 = 1e-8;

/// The running plateau detector.
#[derive(Debug, Clone)]
pub struct Plateau {
    lr: f64,
    config: PlateauConfig,
    best: f64,
    bad_epochs: usize,
    cooldown_left: usize,
}

impl Plateau {
    /// # Errors
    /// If `factor` is not in [0, 1).
    pub fn new(base_lr: f64, config: PlateauConfig) -> Result<Self, ScheduleError> {
        check(
            (0.0..1.0).contains(&config.factor),
            "factor",
            "must be in [0, 1)",
        )?;
        let best = match config.mode {
            PlateauMode::Min => f64::INFINITY,
            PlateauMode::Max => f64::NEG_INFINITY,
        };
        Ok(Self {
            lr: base_lr,
            config,
            best,
            bad_epochs: 0,
            cooldown_left: 0,
        })
    }

    fn is_better(&self, metric: f64) -> bool {
        let PlateauConfig {
            mode,
            threshold,
            threshold_mode,
            ..
        } = self.config;
        match (mode, threshold_mode) {
            (PlateauMode::Min, ThresholdMode::Rel) => metric < self.best * (1.0 - threshold),
            (PlateauMode::Min, ThresholdMode::Abs) => metric < self.best - threshold,
            (PlateauMode::Max, ThresholdMode::Rel) => metric > self.best * (1.0 + threshold),
            (PlateauMode::Max, ThresholdMode::Abs) => metric > self.best + threshold,
        }
    }

    /// Multiplies the current lr by `factor` (down to `min_lr`).
    pub fn reduce(&mut self) {
        let reduced = (self.lr * self.config.factor).max(self.config.min_lr);
        if self.lr - reduced > MIN_CHANGE {
            self.lr = reduced;
        }
    }

    /// Overrides the current lr (used when a warmup drives it first).
    pub fn set_lr(&mut self, lr: f64) {
        self.lr = lr;
    }
}

impl Schedule for Plateau {
    fn lr(&self) -> f64 {
        self.lr
    }

    // ANCHOR: step
    fn step(&mut self, metric: Option<f64>) {
        let Some(metric) = metric else { return };
        if self.is_better(metric) {
            self.best = metric;
            self.bad_epochs = 0;
        } else {
            self.bad_epochs += 1;
        }
        if self.cooldown_left > 0 {
            self.cooldown_left -= 1;
            self.bad_epochs = 0;
        }
        if self.bad_epochs > self.config.patience {
            self.reduce();
            self.cooldown_left = self.config.cooldown;
            self.bad_epochs = 0;
        }
    }
    // ANCHOR_END: step
}
