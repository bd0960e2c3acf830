//! 1cycle (torch `OneCycleLR`, cosine annealing), cycling momentum/β₁ inversely to the lr.

use serde::{Deserialize, Serialize};

use super::{Schedule, ScheduleError, check};

/// Settings of OneCycleLR, torch defaults.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OneCycleConfig {
    /// Peak learning rate.
    pub max_lr: f64,
    /// Length in optimizer steps; `None` = the whole run.
    pub total_steps: Option<usize>,
    /// Fraction of the cycle spent increasing the lr.
    pub pct_start: f64,
    /// Initial lr = max_lr / div_factor.
    pub div_factor: f64,
    /// Final lr = initial lr / final_div_factor.
    pub final_div_factor: f64,
    /// Also cycle momentum (SGD) or β₁ (Adam family).
    pub cycle_momentum: bool,
    /// Momentum at the lr peak.
    pub base_momentum: f64,
    /// Momentum at both ends.
    pub max_momentum: f64,
    /// Use three phases (up, down to the initial lr, annihilate) instead of two.
    pub three_phase: bool,
}

impl Default for OneCycleConfig {
    fn default() -> Self {
        Self {
            max_lr: 0.01,
            total_steps: None,
            pct_start: 0.3,
            div_factor: 25.0,
            final_div_factor: 1e4,
            cycle_momentum: true,
            base_momentum: 0.85,
            max_momentum: 0.95,
            three_phase: false,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Phase {
    end_step: f64,
    lr: (f64, f64),
    momentum: (f64, f64),
}

/// The running 1cycle schedule.
#[derive(Debug, Clone)]
pub struct OneCycle {
    phases: Vec<Phase>,
    cycle_momentum: bool,
    step: usize,
    total_steps: usize,
}

/// torch's `_annealing_cos`: from `start` at pct 0 to `end` at pct 1.
fn anneal(start: f64, end: f64, pct: f64) -> f64 {
    end + (start - end) / 2.0 * ((core::f64::consts::PI * pct).cos() + 1.0)
}

impl OneCycle {
    /// # Errors
    /// If the cycle is empty, `pct_start` is outside (0, 1) or `max_lr` is not positive.
    pub fn new(config: OneCycleConfig, run_steps: usize) -> Result<Self, ScheduleError> {
        let total_steps = config.total_steps.unwrap_or(run_steps);
        check(total_steps > 1, "total_steps", "must be at least 2")?;
        check(
            config.pct_start > 0.0 && config.pct_start < 1.0,
            "pct_start",
            "must be in (0, 1)",
        )?;
        check(config.max_lr > 0.0, "max_lr", "must be positive")?;
        check(config.div_factor > 0.0, "div_factor", "must be positive")?;
        let initial = config.max_lr / config.div_factor;
        let min_lr = initial / config.final_div_factor;
        let (lo, hi) = (config.base_momentum, config.max_momentum);
        let total = total_steps as f64;
        let up = config.pct_start * total - 1.0;
        let phases = if config.three_phase {
            vec![
                Phase {
                    end_step: up,
                    lr: (initial, config.max_lr),
                    momentum: (hi, lo),
                },
                Phase {
                    end_step: 2.0 * config.pct_start * total - 2.0,
                    lr: (config.max_lr, initial),
                    momentum: (lo, hi),
                },
                Phase {
                    end_step: total - 1.0,
                    lr: (initial, min_lr),
                    momentum: (hi, hi),
                },
            ]
        } else {
            vec![
                Phase {
                    end_step: up,
                    lr: (initial, config.max_lr),
                    momentum: (hi, lo),
                },
                Phase {
                    end_step: total - 1.0,
                    lr: (config.max_lr, min_lr),
                    momentum: (lo, hi),
                },
            ]
        };
        Ok(Self {
            phases,
            cycle_momentum: config.cycle_momentum,
            step: 0,
            total_steps,
        })
    }

    // ANCHOR: phase
    /// (lr, momentum) at the current step, exactly as torch walks its phases.
    fn values(&self) -> (f64, f64) {
        let step = self.step as f64;
        let mut start_step = 0.0;
        for (i, phase) in self.phases.iter().enumerate() {
            if step <= phase.end_step || i == self.phases.len() - 1 {
                let pct = (step - start_step) / (phase.end_step - start_step);
                return (
                    anneal(phase.lr.0, phase.lr.1, pct),
                    anneal(phase.momentum.0, phase.momentum.1, pct),
                );
            }
            start_step = phase.end_step;
        }
        (0.0, 0.0) // unreachable: the last phase always matches
    }
    // ANCHOR_END: phase
}

impl Schedule for OneCycle {
    fn lr(&self) -> f64 {
        self.values().0
    }

    fn momentum(&self) -> Option<f64> {
        self.cycle_momentum.then(|| self.values().1)
    }

    fn step(&mut self, _metric: Option<f64>) {
        // torch raises past the end; the site just holds the final value.
        self.step = (self.step + 1).min(self.total_steps - 1);
    }
}
