//! What the DL101 Live page and its training worker say to each other. Serde only, no Burn:
//! the page links this crate and stays small, the worker links it with the training core.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod message;
pub mod report;
pub mod settings;

pub use message::{Backend, DeviceInfo, FromWorker, JobKind, Memory, ToWorker, Tune};
pub use settings::{DataSet, DataSize, DropoutKind, RunSettings};
