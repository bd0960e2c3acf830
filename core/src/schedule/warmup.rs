//! Linear warmup (torch `LinearLR`).

use super::{Schedule, ScheduleError, check};

/// Scales the lr linearly from `start_factor` to `end_factor` over `total_iters` steps.
#[derive(Debug, Clone)]
pub struct Warmup {
    base_lr: f64,
    start_factor: f64,
    end_factor: f64,
    total_iters: usize,
    iteration: usize,
}

impl Warmup {
    /// # Errors
    /// If `start_factor` is not in (0, 1], `end_factor` not in [0, 1] or `total_iters` is 0.
    pub fn new(
        base_lr: f64,
        start_factor: f64,
        end_factor: f64,
        total_iters: usize,
    ) -> Result<Self, ScheduleError> {
        check(
            start_factor > 0.0 && start_factor <= 1.0,
            "start_factor",
            "must be in (0, 1]",
        )?;
        check(
            (0.0..=1.0).contains(&end_factor),
            "end_factor",
            "must be in [0, 1]",
        )?;
        check(total_iters > 0, "total_iters", "must be at least 1")?;
        Ok(Self {
            base_lr,
            start_factor,
            end_factor,
            total_iters,
            iteration: 0,
        })
    }

    // ANCHOR: factor
    /// The multiplier after `iteration` steps.
    pub fn factor(&self, iteration: usize) -> f64 {
        let progress = iteration.min(self.total_iters) as f64 / self.total_iters as f64;
        self.start_factor + (self.end_factor - self.start_factor) * progress
    }
    // ANCHOR_END: factor

    /// Steps taken so far.
    pub fn iteration(&self) -> usize {
        self.iteration
    }
}

impl Schedule for Warmup {
    // ANCHOR: lr
    fn lr(&self) -> f64 {
        self.base_lr * self.factor(self.iteration)
    }
    // ANCHOR_END: lr

    fn step(&mut self, _metric: Option<f64>) {
        self.iteration += 1;
    }
}
