//! Early stopping on validation accuracy, keeping the best weights in memory.

use crate::model::Mlp;

/// What early stopping decided after an epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// New best: weights saved.
    Improved,
    /// No improvement, patience left.
    Wait,
    /// Out of patience: stop and restore the best weights.
    Stop,
}

/// Tracks the best validation accuracy and its weights (the chapter's checkpoint, in memory).
#[derive(Debug, Clone)]
pub struct EarlyStopping {
    patience: usize,
    best_accuracy: f64,
    best_epoch: usize,
    bad_epochs: usize,
    best_model: Option<Mlp>,
}

impl EarlyStopping {
    /// Stops after `patience` epochs without a new best.
    pub fn new(patience: usize) -> Self {
        Self {
            patience,
            best_accuracy: 0.0,
            best_epoch: 0,
            bad_epochs: 0,
            best_model: None,
        }
    }

    // ANCHOR: update
    /// Records epoch `epoch` (1-based) with its validation accuracy.
    pub fn update(&mut self, epoch: usize, accuracy: f64, model: &Mlp) -> Verdict {
        if accuracy > self.best_accuracy {
            self.best_accuracy = accuracy;
            self.best_epoch = epoch;
            self.bad_epochs = 0;
            // Tensors are immutable handles: a clone is a snapshot, not a copy of the data.
            self.best_model = Some(model.clone());
            return Verdict::Improved;
        }
        self.bad_epochs += 1;
        if self.bad_epochs >= self.patience {
            Verdict::Stop
        } else {
            Verdict::Wait
        }
    }
    // ANCHOR_END: update

    /// Best epoch so far (1-based; 0 if none).
    pub fn best_epoch(&self) -> usize {
        self.best_epoch
    }

    /// Takes the best weights, if any epoch improved.
    pub fn take_best(&mut self) -> Option<Mlp> {
        self.best_model.take()
    }
}
