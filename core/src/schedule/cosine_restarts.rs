//! Cosine annealing with warm restarts (torch `CosineAnnealingWarmRestarts`, SGDR).

use super::{Schedule, ScheduleError, check};

/// Cosine from η_max to η_min over T_i epochs, then restart with T_{i+1} = T_mult·T_i.
#[derive(Debug, Clone)]
pub struct CosineRestarts {
    base_lr: f64,
    eta_min: f64,
    t_mult: usize,
    period: usize,
    t_cur: usize,
}

impl CosineRestarts {
    /// # Errors
    /// If `t0` or `t_mult` is 0.
    pub fn new(
        base_lr: f64,
        t0: usize,
        t_mult: usize,
        eta_min: f64,
    ) -> Result<Self, ScheduleError> {
        check(t0 > 0, "t0", "must be at least 1")?;
        check(t_mult > 0, "t_mult", "must be at least 1")?;
        Ok(Self {
            base_lr,
            eta_min,
            t_mult,
            period: t0,
            t_cur: 0,
        })
    }
}

impl Schedule for CosineRestarts {
    fn lr(&self) -> f64 {
        let phase = core::f64::consts::PI * self.t_cur as f64 / self.period as f64;
        self.eta_min + 0.5 * (self.base_lr - self.eta_min) * (1.0 + phase.cos())
    }

    // ANCHOR: restart
    fn step(&mut self, _metric: Option<f64>) {
        self.t_cur += 1;
        if self.t_cur >= self.period {
            self.t_cur -= self.period;
            self.period *= self.t_mult;
        }
    }
    // ANCHOR_END: restart
}
