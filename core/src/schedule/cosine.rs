//! Cosine annealing (torch `CosineAnnealingLR`).

use super::{Schedule, ScheduleError, check};

/// η_t = η_min + ½(η_max − η_min)(1 + cos(πt/T_max)).
#[derive(Debug, Clone)]
pub struct Cosine {
    base_lr: f64,
    t_max: usize,
    eta_min: f64,
    epoch: usize,
}

impl Cosine {
    /// # Errors
    /// If `t_max` is 0.
    pub fn new(base_lr: f64, t_max: usize, eta_min: f64) -> Result<Self, ScheduleError> {
        check(t_max > 0, "t_max", "must be at least 1")?;
        Ok(Self {
            base_lr,
            t_max,
            eta_min,
            epoch: 0,
        })
    }
}

impl Schedule for Cosine {
    // ANCHOR: lr
    fn lr(&self) -> f64 {
        let phase = core::f64::consts::PI * self.epoch as f64 / self.t_max as f64;
        self.eta_min + 0.5 * (self.base_lr - self.eta_min) * (1.0 + phase.cos())
    }
    // ANCHOR_END: lr

    fn step(&mut self, _metric: Option<f64>) {
        self.epoch += 1;
    }
}
