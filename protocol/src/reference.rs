//! A chapter run as the native runner trained it (`dl101 GROUP --reference content/reference`),
//! committed under `content/reference/PRESET.json` and drawn faded in the widgets: the curve the
//! lessons' numbers come from, before the reader's first step and under the reader's runs.

use serde::{Deserialize, Serialize};

/// The folder of the committed reference runs, from the repository root.
pub const REFERENCE_DIR: &str = "content/reference";

/// One epoch of a run: mean training loss, training accuracy, validation accuracy.
pub type EpochRow = (f64, f64, Option<f64>);

/// One chapter run, compact: what the widgets draw and compare. The file also holds the
/// preset's whole config (`config`), which a test checks against the preset of that name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    /// The runner's preset (`opt-sgd`, `batchnorm-after`, …).
    pub preset: String,
    /// Training images the run used.
    pub train_images: usize,
    /// Per epoch: mean training loss, training accuracy, validation accuracy.
    pub epochs: Vec<EpochRow>,
    /// Test accuracy at the end.
    pub test: Option<f64>,
    /// The loss stopped being finite.
    #[serde(default)]
    pub diverged: bool,
}
