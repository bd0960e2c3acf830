//! What the DL101 Live page and its training worker say to each other. Serde only, no Burn:
//! the page links this crate and stays small, the worker links it with the training core.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod chapter;
pub mod device;
pub mod field;
pub mod message;
pub mod pool;
pub mod reference;
pub mod report;
pub mod settings;
pub mod surface;
pub mod throughput;
pub mod vocab;
#[cfg(feature = "web")]
pub mod web;

/// The Cache Storage the training worker keeps the datasets in, each file under
/// `data/<file>?sha256=<hash>` (bump when that layout changes). The page reads it to say how much
/// data is kept for offline use.
pub const DATA_CACHE: &str = "dl101-data-v1";

pub use device::{Adapter, Backend, CpuReason, DeviceInfo};
pub use field::{Input, Invalid};
pub use message::{FromWorker, JobKind, Memory, Problem, ToWorker, Tune};
pub use settings::{DataSet, DataSize, Field, RunSettings};
pub use vocab::{
    Activation, ClipMode, DropoutKind, Init, Named, Norm, Optimizer, Schedule, Surface,
};
