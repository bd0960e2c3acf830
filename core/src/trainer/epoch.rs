//! What happens at an epoch boundary: validation, schedule, early stopping, transfer phase.

use super::{Split, Trainer};
use crate::early_stopping::Verdict;
use crate::error::TrainError;
use crate::report::{EpochReport, EvalReport, Event, StepReport};
use crate::schedule::{Interval, PlateauMode, ScheduleConfig};

impl Trainer {
    /// Validation, schedule, early stopping, transfer phase and reshuffle at an epoch end.
    pub(super) async fn end_epoch(&mut self, report: &mut StepReport) -> Result<(), TrainError> {
        let sums = std::mem::take(&mut self.sums);
        let valid = match self.data.valid.is_empty() {
            true => None,
            false => Some(self.evaluate(Split::Valid).await?),
        };
        if self.config.schedule.interval() == Interval::Epoch {
            self.schedule.step(valid.map(|v| self.schedule_metric(v)));
        }
        let epoch = self.epoch + 1;
        let verdict = match (&mut self.early_stopping, valid) {
            (Some(early), Some(v)) => Some(early.update(epoch, v.accuracy, &self.model)),
            _ => None,
        };
        let batches = sums.batches.max(1) as f64;
        let summary = EpochReport {
            epoch,
            train_loss: sums.loss / batches,
            train_penalty: (self.config.regularization.l1 != 0.0
                || self.config.regularization.l2 != 0.0)
                .then(|| sums.penalty / batches),
            train_accuracy: sums.correct / sums.images.max(1) as f64,
            valid,
            lr: self.current_lr(),
            best: verdict == Some(Verdict::Improved),
        };
        self.history.epochs.push(summary.clone());
        report.events.push(Event::EpochEnd(summary));
        self.epoch = epoch;
        self.unfreeze_if_due(report);
        if verdict == Some(Verdict::Stop) {
            self.finish(report, true);
        } else if self.epoch >= self.config.epochs {
            self.finish(report, false);
        } else {
            self.cursor = 0;
            if self.config.shuffle {
                self.order = self.shuffle_rng.permutation(self.order.len());
            }
        }
        Ok(())
    }

    /// ReduceLROnPlateau in "min" mode watches the validation loss, otherwise the accuracy.
    fn schedule_metric(&self, valid: EvalReport) -> f64 {
        let mode = match self.config.schedule {
            ScheduleConfig::Plateau(p) => p.mode,
            ScheduleConfig::WarmupPlateau { plateau, .. } => plateau.mode,
            _ => PlateauMode::Max,
        };
        match mode {
            PlateauMode::Min => valid.loss,
            PlateauMode::Max => valid.accuracy,
        }
    }

    fn unfreeze_if_due(&mut self, report: &mut StepReport) {
        let Some(transfer) = &self.config.transfer else {
            return;
        };
        if self.epoch != transfer.freeze_epochs || transfer.freeze_epochs == 0 {
            return;
        }
        let blocks: Vec<usize> = (0..self.model.blocks.len())
            .filter(|i| !transfer.keep_frozen.contains(i))
            .collect();
        let mut model = self.model.clone();
        for &i in &blocks {
            model = model.unfreeze_block(i);
        }
        self.model = model;
        // The chapter builds a new optimizer for the fine-tuning phase.
        self.optimizer.reset();
        let event = Event::Unfrozen {
            epoch: self.epoch + 1,
            blocks,
        };
        self.history.events.push(event.clone());
        report.events.push(event);
    }

    fn finish(&mut self, report: &mut StepReport, stopped_early: bool) {
        if let Some(early) = &mut self.early_stopping {
            let best_epoch = early.best_epoch();
            if let Some(best) = early.take_best() {
                self.model = best;
            }
            if stopped_early {
                let event = Event::EarlyStopped {
                    epoch: self.epoch,
                    best_epoch,
                };
                self.history.events.push(event.clone());
                report.events.push(event);
            }
        }
        self.finished = true;
        self.history.events.push(Event::Finished);
        report.events.push(Event::Finished);
    }
}
