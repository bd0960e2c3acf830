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

/// The package that provides a Vulkan driver (Mesa's lavapipe, a CPU rasterizer) on Debian, for
/// machines without a GPU; named in the error when no adapter is found.
#[cfg(all(feature = "wgpu", not(target_arch = "wasm32")))]
pub const VULKAN_DRIVER_PACKAGE: &str = "mesa-vulkan-drivers";

/// The native wgpu device (Vulkan, Metal or DX12, whichever the machine offers; lavapipe where
/// that is the only Vulkan driver), initialized once per process and then cloned: Burn's wgpu
/// runtime can be initialized only once. The string describes the adapter (name, type, API).
///
/// # Errors
/// A message naming [`VULKAN_DRIVER_PACKAGE`] if no adapter could be acquired.
#[cfg(all(feature = "wgpu", not(target_arch = "wasm32")))]
pub fn wgpu_device() -> Result<(burn::tensor::Device, String), String> {
    type Acquired = Result<(burn::tensor::Device, String), String>;
    static DEVICE: std::sync::OnceLock<Acquired> = std::sync::OnceLock::new();
    DEVICE
        .get_or_init(|| {
            let (device, setup) = burn::tensor::Device::wgpu_options()
                .init_with_setup()
                .map_err(|e| {
                    format!(
                        "no wgpu adapter: {e}. Install a GPU driver with Vulkan, or on Debian the \
                         software driver `{VULKAN_DRIVER_PACKAGE}` (apt-get install -y \
                         {VULKAN_DRIVER_PACKAGE}); `VK_LOADER_DEBUG=driver` shows what the \
                         Vulkan loader finds"
                    )
                })?;
            let info = setup.adapter.get_info();
            let adapter = format!(
                "{} ({:?}, {:?}, driver {} {})",
                info.name, info.device_type, info.backend, info.driver, info.driver_info
            );
            Ok((device, adapter))
        })
        .clone()
}
