//! The one way tensors come back to the host: asynchronously (browser-safe).

use burn::tensor::Tensor;

use crate::error::TrainError;

/// Reads a float tensor back as `f32` values, without blocking (WebGPU needs this).
///
/// # Errors
/// [`TrainError::Readback`] if the device fails or the data cannot be converted.
pub async fn read_floats<const D: usize>(tensor: Tensor<D>) -> Result<Vec<f32>, TrainError> {
    let data = tensor.into_data_async().await?;
    data.try_into_vec_as::<f32>()
        .map_err(|e| TrainError::Readback(format!("{e:?}")))
}
