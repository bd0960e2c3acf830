//! Step decay (torch `StepLR`).

use super::{Schedule, ScheduleError, check};

/// Multiplies the lr by γ every `step_size` epochs.
#[derive(Debug, Clone)]
pub struct StepDecay {
    lr: f64,
    epoch: usize,
    step_size: usize,
    gamma: f64,
}

impl StepDecay {
    /// # Errors
    /// If `step_size` is 0 or γ ≤ 0.
    pub fn new(base_lr: f64, step_size: usize, gamma: f64) -> Result<Self, ScheduleError> {
        check(step_size > 0, "step_size", "must be at least 1")?;
        check(gamma > 0.0, "gamma", "must be positive")?;
        Ok(Self {
            lr: base_lr,
            epoch: 0,
            step_size,
            gamma,
        })
    }
}

impl Schedule for StepDecay {
    fn lr(&self) -> f64 {
        self.lr
    }

    // ANCHOR: step
    fn step(&mut self, _metric: Option<f64>) {
        self.epoch += 1;
        if self.epoch.is_multiple_of(self.step_size) {
            self.lr *= self.gamma;
        }
    }
    // ANCHOR_END: step
}
