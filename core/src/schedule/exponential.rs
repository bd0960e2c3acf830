//! Exponential decay (torch `ExponentialLR`).

use super::{Schedule, ScheduleError, check};

/// lr_t = lr₀·γᵗ.
#[derive(Debug, Clone)]
pub struct Exponential {
    lr: f64,
    gamma: f64,
}

impl Exponential {
    /// # Errors
    /// If γ is not in (0, 1].
    pub fn new(base_lr: f64, gamma: f64) -> Result<Self, ScheduleError> {
        check(gamma > 0.0 && gamma <= 1.0, "gamma", "must be in (0, 1]")?;
        Ok(Self { lr: base_lr, gamma })
    }
}

impl Schedule for Exponential {
    fn lr(&self) -> f64 {
        self.lr
    }

    // ANCHOR: step
    fn step(&mut self, _metric: Option<f64>) {
        self.lr *= self.gamma; // torch's chainable form: multiply the current value
    }
    // ANCHOR_END: step
}
