//! Learning-rate schedules with torch.optim.lr_scheduler semantics; each can draw its curve
//! without training ([`curve`]).

mod constant;
mod cosine;
mod cosine_restarts;
mod exponential;
mod one_cycle;
mod plateau;
mod step;
mod warmup;
mod warmup_plateau;

pub use constant::Constant;
pub use cosine::Cosine;
pub use cosine_restarts::CosineRestarts;
pub use exponential::Exponential;
pub use one_cycle::{OneCycle, OneCycleConfig};
pub use plateau::{Plateau, PlateauConfig, PlateauMode, ThresholdMode};
pub use step::StepDecay;
pub use warmup::Warmup;
pub use warmup_plateau::WarmupPlateau;

use dl101_protocol::vocab::Schedule as ScheduleKind;
use serde::{Deserialize, Serialize};

/// A running schedule: the learning rate (and momentum/β₁, for OneCycle) of the current step.
pub trait Schedule: std::fmt::Debug + Send {
    /// Learning rate to use now.
    fn lr(&self) -> f64;

    /// Momentum or β₁ to use now, if the schedule drives it.
    fn momentum(&self) -> Option<f64> {
        None
    }

    /// Advances one `scheduler.step()`; `metric` feeds ReduceLROnPlateau (ignored by others).
    fn step(&mut self, metric: Option<f64>);
}

/// When the trainer calls [`Schedule::step`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Interval {
    /// After every optimizer step (OneCycle).
    Step,
    /// After every epoch, with the validation metric.
    Epoch,
}

/// Errors in a schedule's settings.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScheduleError {
    /// A factor, period or rate outside its valid range.
    #[error("invalid schedule setting `{name}`: {reason}")]
    Invalid {
        /// The offending field.
        name: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
}

pub(crate) fn check(
    ok: bool,
    name: &'static str,
    reason: &'static str,
) -> Result<(), ScheduleError> {
    if ok {
        Ok(())
    } else {
        Err(ScheduleError::Invalid { name, reason })
    }
}

fn default_gamma() -> f64 {
    0.9
}
fn default_step_size() -> usize {
    10
}

/// A learning-rate schedule with its parameters (`{"kind": "cosine-restarts", "t0": 2, ...}`);
/// which one it is, is its
/// [`kind`](ScheduleConfig::kind).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ScheduleConfig {
    /// Fixed learning rate.
    #[default]
    Constant,
    /// `ExponentialLR`: lr·γᵉ.
    Exponential {
        /// Factor per epoch.
        #[serde(default = "default_gamma")]
        gamma: f64,
    },
    /// `StepLR`: lr·γ^⌊e/step_size⌋.
    Step {
        /// Epochs between decays.
        #[serde(default = "default_step_size")]
        step_size: usize,
        /// Decay factor.
        #[serde(default = "default_gamma")]
        gamma: f64,
    },
    /// `ReduceLROnPlateau`.
    Plateau(PlateauConfig),
    /// `LinearLR` warmup from start_factor·lr to end_factor·lr.
    Warmup {
        /// Initial multiplier.
        start_factor: f64,
        /// Final multiplier.
        #[serde(default = "one")]
        end_factor: f64,
        /// Epochs of warmup.
        total_iters: usize,
    },
    /// The chapter's warmup (stepped at the start of each epoch) followed by ReduceLROnPlateau.
    WarmupPlateau {
        /// Initial multiplier of the warmup.
        start_factor: f64,
        /// Warmup epochs; the plateau scheduler starts after them.
        total_iters: usize,
        /// The plateau part.
        plateau: PlateauConfig,
    },
    /// `OneCycleLR` (stepped every batch), cycling momentum/β₁ too.
    OneCycle(OneCycleConfig),
    /// `CosineAnnealingLR`.
    Cosine {
        /// Half period in epochs.
        t_max: usize,
        /// Floor.
        #[serde(default)]
        eta_min: f64,
    },
    /// `CosineAnnealingWarmRestarts`.
    CosineRestarts {
        /// First period in epochs.
        t0: usize,
        /// Period multiplier after each restart.
        #[serde(default = "one_usize")]
        t_mult: usize,
        /// Floor.
        #[serde(default)]
        eta_min: f64,
    },
}

fn one() -> f64 {
    1.0
}
fn one_usize() -> usize {
    1
}

impl ScheduleConfig {
    /// Which schedule this is.
    pub fn kind(&self) -> ScheduleKind {
        match self {
            ScheduleConfig::Constant => ScheduleKind::Constant,
            ScheduleConfig::Exponential { .. } => ScheduleKind::Exponential,
            ScheduleConfig::Step { .. } => ScheduleKind::Step,
            ScheduleConfig::Plateau(_) => ScheduleKind::Plateau,
            ScheduleConfig::Warmup { .. } => ScheduleKind::Warmup,
            ScheduleConfig::WarmupPlateau { .. } => ScheduleKind::WarmupPlateau,
            ScheduleConfig::OneCycle(_) => ScheduleKind::OneCycle,
            ScheduleConfig::Cosine { .. } => ScheduleKind::Cosine,
            ScheduleConfig::CosineRestarts { .. } => ScheduleKind::CosineRestarts,
        }
    }

    /// The kebab-case name.
    pub fn name(&self) -> &'static str {
        self.kind().name()
    }

    /// Whether the schedule is stepped per batch or per epoch.
    pub fn interval(&self) -> Interval {
        match self {
            ScheduleConfig::OneCycle(_) => Interval::Step,
            _ => Interval::Epoch,
        }
    }

    /// Starts the schedule for an optimizer whose configured lr is `base_lr`; `total_steps`
    /// is the run's number of optimizer steps (OneCycle's default length).
    ///
    /// # Errors
    /// [`ScheduleError`] when a setting is out of range.
    pub fn init(
        &self,
        base_lr: f64,
        total_steps: usize,
    ) -> Result<Box<dyn Schedule>, ScheduleError> {
        check(
            base_lr.is_finite() && base_lr >= 0.0,
            "lr",
            "must be finite and ≥ 0",
        )?;
        Ok(match *self {
            ScheduleConfig::Constant => Box::new(Constant::new(base_lr)),
            ScheduleConfig::Exponential { gamma } => Box::new(Exponential::new(base_lr, gamma)?),
            ScheduleConfig::Step { step_size, gamma } => {
                Box::new(StepDecay::new(base_lr, step_size, gamma)?)
            }
            ScheduleConfig::Plateau(config) => Box::new(Plateau::new(base_lr, config)?),
            ScheduleConfig::Warmup {
                start_factor,
                end_factor,
                total_iters,
            } => Box::new(Warmup::new(base_lr, start_factor, end_factor, total_iters)?),
            ScheduleConfig::WarmupPlateau {
                start_factor,
                total_iters,
                plateau,
            } => Box::new(WarmupPlateau::new(
                base_lr,
                start_factor,
                total_iters,
                plateau,
            )?),
            ScheduleConfig::OneCycle(config) => Box::new(OneCycle::new(config, total_steps)?),
            ScheduleConfig::Cosine { t_max, eta_min } => {
                Box::new(Cosine::new(base_lr, t_max, eta_min)?)
            }
            ScheduleConfig::CosineRestarts {
                t0,
                t_mult,
                eta_min,
            } => Box::new(CosineRestarts::new(base_lr, t0, t_mult, eta_min)?),
        })
    }
}

pub use dl101_protocol::report::LrPoint;

/// The learning rate of every optimizer step of a run, without training. Plateau-based
/// schedules read one validation metric per epoch from `metrics` (missing ones repeat the last,
/// which counts as "no improvement").
///
/// # Errors
/// [`ScheduleError`] when the config is invalid.
pub fn curve(
    config: &ScheduleConfig,
    base_lr: f64,
    epochs: usize,
    steps_per_epoch: usize,
    metrics: &[f64],
) -> Result<Vec<LrPoint>, ScheduleError> {
    let mut schedule = config.init(base_lr, epochs * steps_per_epoch)?;
    let mut points = Vec::with_capacity(epochs * steps_per_epoch);
    for epoch in 0..epochs {
        for i in 0..steps_per_epoch {
            points.push(LrPoint {
                step: epoch * steps_per_epoch + i,
                epoch,
                lr: schedule.lr(),
                momentum: schedule.momentum(),
            });
            if config.interval() == Interval::Step {
                schedule.step(None);
            }
        }
        if config.interval() == Interval::Epoch {
            let metric = metrics.get(epoch).or(metrics.last()).copied();
            schedule.step(metric);
        }
    }
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_settings_are_rejected_with_their_name() {
        let cases = [
            (ScheduleConfig::Exponential { gamma: 0.0 }, "gamma"),
            (
                ScheduleConfig::Step {
                    step_size: 0,
                    gamma: 0.5,
                },
                "step_size",
            ),
            (
                ScheduleConfig::Cosine {
                    t_max: 0,
                    eta_min: 0.0,
                },
                "t_max",
            ),
            (
                ScheduleConfig::CosineRestarts {
                    t0: 0,
                    t_mult: 1,
                    eta_min: 0.0,
                },
                "t0",
            ),
            (
                ScheduleConfig::CosineRestarts {
                    t0: 2,
                    t_mult: 0,
                    eta_min: 0.0,
                },
                "t_mult",
            ),
            (
                ScheduleConfig::Warmup {
                    start_factor: 0.0,
                    end_factor: 1.0,
                    total_iters: 3,
                },
                "start_factor",
            ),
        ];
        for (config, field) in cases {
            let err = config.init(0.05, 100).expect_err("must fail");
            assert!(err.to_string().contains(field), "{err}");
        }
    }

    #[test]
    fn curve_has_one_point_per_step() {
        let points =
            curve(&ScheduleConfig::Exponential { gamma: 0.5 }, 1.0, 3, 4, &[]).expect("valid");
        assert_eq!(points.len(), 12);
        assert_eq!(points[4].lr, 0.5);
        assert_eq!(points[11].lr, 0.25);
    }

    #[test]
    fn names_parse() {
        for name in ["constant", "exponential", "step", "warmup", "plateau"] {
            let json = match name {
                "warmup" => r#"{"kind":"warmup","start_factor":0.1,"total_iters":3}"#.to_string(),
                _ => format!(r#"{{"kind":"{name}"}}"#),
            };
            let config: ScheduleConfig = serde_json::from_str(&json).expect(name);
            assert_eq!(config.name(), name);
        }
    }
}
