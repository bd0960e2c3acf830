//! Small, serializable reports the trainer hands to the page (and writes as JSON histories):
//! per-step and per-epoch results, layer probes, MC-dropout predictions, learning-rate curves.

use serde::{Deserialize, Serialize};

/// Loss and accuracy of one split.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EvalReport {
    /// Mean loss (data loss only, no penalty).
    pub loss: f64,
    /// Fraction of correct predictions.
    pub accuracy: f64,
    /// Number of images evaluated.
    pub count: usize,
}

/// Summary of one finished epoch (1-based `epoch`, like the chapter's printout).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpochReport {
    /// Epoch number, from 1.
    pub epoch: usize,
    /// Mean training loss over the epoch's batches (including any ℓ1/ℓ2 penalty).
    pub train_loss: f64,
    /// Mean ℓ1/ℓ2 penalty term over the epoch, if one is configured.
    pub train_penalty: Option<f64>,
    /// Training accuracy over the epoch (as the model changed during it).
    pub train_accuracy: f64,
    /// Validation result after the epoch.
    pub valid: Option<EvalReport>,
    /// Learning rate at the end of the epoch (after the schedule stepped).
    pub lr: f64,
    /// Whether this epoch set a new best validation accuracy.
    pub best: bool,
}

/// One probe snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbeRecord {
    /// Global optimizer step (0-based) the probe was taken at.
    pub step: usize,
    /// Learning rate of that step.
    pub lr: f64,
    /// Global gradient norm before clipping.
    pub grad_global_norm: f64,
    /// Per-layer statistics, input side first, output layer last.
    pub layers: Vec<LayerProbe>,
}

/// Something that happened during `advance`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Event {
    /// An epoch ended.
    EpochEnd(EpochReport),
    /// The loss became NaN or infinite: the run stopped.
    Diverged {
        /// Global step (0-based) whose loss was not finite.
        step: usize,
        /// Epoch (1-based) it happened in.
        epoch: usize,
    },
    /// Training layers were unfrozen (transfer learning's second phase).
    Unfrozen {
        /// Epoch (1-based) that starts with the unfrozen layers.
        epoch: usize,
        /// Hidden blocks now trainable.
        blocks: Vec<usize>,
    },
    /// Early stopping ran out of patience.
    EarlyStopped {
        /// Last epoch trained (1-based).
        epoch: usize,
        /// Epoch whose weights were restored.
        best_epoch: usize,
    },
    /// All epochs are done.
    Finished,
}

impl Event {
    /// The chapter-style one-liner, e.g. "diverged at step 1234".
    pub fn describe(&self) -> String {
        match self {
            Event::EpochEnd(e) => format!("epoch {} ended", e.epoch),
            Event::Diverged { step, epoch } => format!("diverged at step {step} (epoch {epoch})"),
            Event::Unfrozen { epoch, blocks } => {
                format!("unfroze blocks {blocks:?} at epoch {epoch}")
            }
            Event::EarlyStopped { epoch, best_epoch } => {
                format!("early stopping at epoch {epoch}, restored epoch {best_epoch}")
            }
            Event::Finished => "finished".into(),
        }
    }
}

/// What one call to `advance` did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StepReport {
    /// Steps actually taken by this call.
    pub steps: usize,
    /// Global step count after the call.
    pub global_step: usize,
    /// Current epoch (0-based) after the call.
    pub epoch: usize,
    /// Fraction of the current epoch done.
    pub epoch_progress: f64,
    /// Loss of each step taken, in order.
    pub losses: Vec<f32>,
    /// Learning rate of each step taken.
    pub lrs: Vec<f64>,
    /// Training accuracy of the steps taken.
    pub accuracy: f64,
    /// Probes taken during the call.
    pub probes: Vec<ProbeRecord>,
    /// Epoch ends, divergence, early stop, end of run.
    pub events: Vec<Event>,
    /// No more steps will be taken.
    pub finished: bool,
}

/// Everything recorded during a run (the JSON history the CLI writes).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    /// Experiment name.
    pub experiment: String,
    /// Per-epoch summaries.
    pub epochs: Vec<EpochReport>,
    /// Loss of every step.
    pub step_losses: Vec<f32>,
    /// Learning rate of every step.
    pub step_lrs: Vec<f64>,
    /// Probe snapshots.
    pub probes: Vec<ProbeRecord>,
    /// Non-epoch events.
    pub events: Vec<Event>,
    /// Final test result, if evaluated.
    pub test: Option<EvalReport>,
}

/// Activation histogram range: values outside are counted in the edge bins.
pub const ACTIVATION_RANGE: (f64, f64) = (-4.0, 4.0);
/// Gradient histogram range, in log10|g| (|g| below 1e-10 falls in the first bin).
pub const LOG_GRADIENT_RANGE: (f64, f64) = (-10.0, 0.0);
/// Weight histogram range: the chapter's nets keep |w| well under 1 (wider values clamp to the edges).
pub const WEIGHT_RANGE: (f64, f64) = (-0.5, 0.5);
/// Bins of every histogram.
pub const BINS: usize = 40;
/// |σ'(z)| below this counts as saturated (sigmoid, tanh).
pub const SATURATION_THRESHOLD: f64 = 0.05;

/// Counts over fixed, equal-width bins on `[lo, hi]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    /// Lower edge of the first bin.
    pub lo: f64,
    /// Upper edge of the last bin.
    pub hi: f64,
    /// Count per bin (out-of-range values clamp to the edge bins; NaN are skipped).
    pub counts: Vec<u32>,
}

impl Histogram {
    /// Histogram of `values` over `[lo, hi]` with [`BINS`] bins.
    pub fn of(values: impl Iterator<Item = f64>, (lo, hi): (f64, f64)) -> Self {
        let mut counts = vec![0u32; BINS];
        let width = (hi - lo) / BINS as f64;
        for v in values.filter(|v| !v.is_nan()) {
            let bin = ((v - lo) / width).floor().clamp(0.0, (BINS - 1) as f64) as usize;
            counts[bin] += 1;
        }
        Self { lo, hi, counts }
    }
}

/// Statistics of one linear layer (hidden block or head).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayerProbe {
    /// 0-based layer index; the head is last.
    pub layer: usize,
    /// "hidden 1", …, "output".
    pub name: String,
    /// ‖∂L/∂W‖₂ (0 for a frozen layer).
    pub grad_norm: f64,
    /// ‖W‖₂ before the step.
    pub weight_norm: f64,
    /// ‖ΔW‖₂ / ‖W‖₂ of this step.
    pub update_ratio: f64,
    /// Mean of the activation output (hidden layers only).
    pub activation_mean: Option<f64>,
    /// Std of the activation output.
    pub activation_std: Option<f64>,
    /// Fraction of activations with |f'(z)| < 0.05 (sigmoid, tanh).
    pub saturated: Option<f64>,
    /// Fraction of units that output 0 for the whole batch (ReLU, ReLU²).
    pub dead: Option<f64>,
    /// Histogram of activation outputs on [`ACTIVATION_RANGE`].
    pub activation_histogram: Option<Histogram>,
    /// Histogram of log10|∂L/∂W| on [`LOG_GRADIENT_RANGE`].
    pub gradient_histogram: Histogram,
    /// Histogram of the weights before the step on [`WEIGHT_RANGE`] (regularization shrinks it).
    #[serde(default)]
    pub weight_histogram: Option<Histogram>,
}

/// Per-class mean and standard deviation of the softmax over MC-dropout samples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct McPrediction {
    /// `mean[i][c]`: mean probability of class c for image i.
    pub mean: Vec<Vec<f64>>,
    /// `std[i][c]`: unbiased std over the samples (torch `.std(dim=1)`).
    pub std: Vec<Vec<f64>>,
    /// Label of each image.
    pub labels: Vec<u8>,
}

/// One point of a learning-rate curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LrPoint {
    /// Optimizer step (0-based) this value applies to.
    pub step: usize,
    /// Epoch it belongs to.
    pub epoch: usize,
    /// Learning rate.
    pub lr: f64,
    /// Momentum/β₁ if the schedule drives it.
    pub momentum: Option<f64>,
}
