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
pub mod queries;
pub mod readback;
pub mod reference;
pub mod regularize;
pub mod report;
pub mod rng;
pub mod schedule;
pub mod surface;
pub mod trainer;

pub use error::TrainError;
pub use experiment::ExperimentConfig;
pub use trainer::{Split, Trainer};

/// The CPU device: Burn's Flex backend (what Burn 0.22 recommends over NdArray), with its SIMD
/// kernels. Used by the tests, the native runner and the worker's CPU path.
pub fn cpu_device() -> burn::tensor::Device {
    burn::tensor::Device::flex()
}
