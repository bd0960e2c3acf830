//! Training core of DL101 Live: every technique of chapter 3 (training deep networks) in Burn,
//! web-free. The browser worker and the native `dl101` runner both drive [`trainer::Trainer`].

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod activation;
pub mod data;
pub mod dropout;
pub mod early_stopping;
pub mod error;
pub mod experiment;
pub mod init;
pub mod loss;
pub mod model;
pub mod norm;
pub mod optim;
pub mod page;
pub mod predict;
pub mod presets;
pub mod probe;
pub mod readback;
pub mod regularize;
pub mod report;
pub mod rng;
pub mod schedule;
pub mod surface;
pub mod trainer;

pub use error::TrainError;
pub use experiment::ExperimentConfig;
pub use trainer::{Split, Trainer};

/// The CPU device used by tests and the native runner (NdArray backend).
///
/// Burn 0.22 deprecates NdArray in favour of Flex; NdArray is what the toolchain was verified
/// with in the browser, so it stays until Flex is checked there.
#[allow(deprecated)]
pub fn cpu_device() -> burn::tensor::Device {
    burn::tensor::Device::ndarray()
}
