//! A whole experiment as one serializable config: data, model, optimizer, schedule,
//! regularization, early stopping, transfer phases, probes.

use serde::{Deserialize, Serialize};

use crate::data::Task;
use crate::model::MlpConfig;
use crate::optim::OptimizerConfig;
use crate::regularize::RegularizationConfig;
use crate::schedule::ScheduleConfig;

/// Early stopping on validation accuracy.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EarlyStoppingConfig {
    /// Epochs without a new best validation accuracy before stopping.
    pub patience: usize,
}

/// Transfer learning: start from a trained source model, new head, frozen hidden layers first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransferConfig {
    /// Name of the preset that trains the source model (e.g. "transfer-a").
    pub source: String,
    /// Epochs with every reused hidden block frozen.
    pub freeze_epochs: usize,
    /// Hidden blocks that stay frozen after the freeze phase (the chapter keeps block 0).
    #[serde(default)]
    pub keep_frozen: Vec<usize>,
}

/// How many images MC dropout predicts, from the start of the test split.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct McDropoutConfig {
    /// Images to predict (the chapter: 3).
    pub images: usize,
    /// Stochastic forward passes per image (the chapter: 100).
    pub samples: usize,
}

fn yes() -> bool {
    true
}

/// One experiment of the chapter (or one the reader builds on the page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExperimentConfig {
    /// Short kebab-case name (the preset name).
    pub name: String,
    /// One sentence for tables and the page.
    #[serde(default)]
    pub description: String,
    /// Data and split.
    pub task: Task,
    /// The network.
    pub model: MlpConfig,
    /// The optimizer.
    pub optimizer: OptimizerConfig,
    /// Base learning rate.
    pub lr: f64,
    /// Learning-rate schedule.
    #[serde(default)]
    pub schedule: ScheduleConfig,
    /// Penalties, max-norm, clipping.
    #[serde(default)]
    pub regularization: RegularizationConfig,
    /// Early stopping (restores the best weights).
    #[serde(default)]
    pub early_stopping: Option<EarlyStoppingConfig>,
    /// Transfer phases.
    #[serde(default)]
    pub transfer: Option<TransferConfig>,
    /// MC-dropout prediction after training.
    #[serde(default)]
    pub mc_dropout: Option<McDropoutConfig>,
    /// Epochs to train.
    pub epochs: usize,
    /// Mini-batch size.
    pub batch_size: usize,
    /// Seed of init, shuffling and dropout.
    pub seed: u64,
    /// Reshuffle the training set every epoch.
    #[serde(default = "yes")]
    pub shuffle: bool,
    /// Take a probe every this many steps.
    #[serde(default)]
    pub probe_every: Option<usize>,
    /// Use only the first n training images (quick runs, tests).
    #[serde(default)]
    pub train_subset: Option<usize>,
    /// Use only the first n validation and test images.
    #[serde(default)]
    pub eval_subset: Option<usize>,
}
