//! The chapter's combination: linear warmup stepped at the start of each epoch, then
//! ReduceLROnPlateau once the warmup is over.

use super::{Plateau, PlateauConfig, Schedule, ScheduleError, Warmup};

/// Warmup for `total_iters` epochs, then plateau reductions driven by the validation metric.
#[derive(Debug, Clone)]
pub struct WarmupPlateau {
    warmup: Warmup,
    plateau: Plateau,
    total_iters: usize,
    epoch: usize,
}

impl WarmupPlateau {
    /// # Errors
    /// If the warmup or plateau settings are invalid.
    pub fn new(
        base_lr: f64,
        start_factor: f64,
        total_iters: usize,
        plateau: PlateauConfig,
    ) -> Result<Self, ScheduleError> {
        let mut warmup = Warmup::new(base_lr, start_factor, 1.0, total_iters)?;
        // The chapter calls warmup.step() before the first batch of every epoch.
        warmup.step(None);
        let mut plateau = Plateau::new(base_lr, plateau)?;
        plateau.set_lr(warmup.lr());
        Ok(Self {
            warmup,
            plateau,
            total_iters,
            epoch: 0,
        })
    }
}

impl Schedule for WarmupPlateau {
    fn lr(&self) -> f64 {
        self.plateau.lr()
    }

    // ANCHOR: step
    fn step(&mut self, metric: Option<f64>) {
        // End of epoch `epoch`: the plateau watches the metric once the warmup is done.
        if self.epoch >= self.total_iters {
            self.plateau.step(metric);
        }
        self.epoch += 1;
        // Start of the next epoch: LinearLR moves the lr until its last iteration, then idles.
        self.warmup.step(None);
        if self.warmup.iteration() <= self.total_iters {
            self.plateau.set_lr(self.warmup.lr());
        }
    }
    // ANCHOR_END: step
}
