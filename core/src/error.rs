//! Errors of training runs.

use crate::data::DataError;
use crate::model::ModelError;
use crate::schedule::ScheduleError;

/// Why a run could not be built or continued. Divergence is not an error: it is a report
/// event ([`crate::report::Event::Diverged`]).
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    /// The model config is invalid.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// The schedule config is invalid.
    #[error(transparent)]
    Schedule(#[from] ScheduleError),
    /// The data could not be loaded.
    #[error(transparent)]
    Data(#[from] DataError),
    /// Reading a tensor back from the device failed.
    #[error("reading back from the device failed: {0}")]
    Readback(String),
    /// The experiment config is inconsistent (e.g. head and task disagree).
    #[error("invalid experiment: {0}")]
    Config(String),
    /// A preset name that does not exist.
    #[error("unknown experiment `{0}`")]
    UnknownPreset(String),
}

impl From<burn::tensor::ExecutionError> for TrainError {
    fn from(e: burn::tensor::ExecutionError) -> Self {
        TrainError::Readback(format!("{e:?}"))
    }
}
