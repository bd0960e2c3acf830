//! Fixture loading and comparison helpers shared by the parity tests.

use burn::module::Param;
use burn::nn::Linear;
use burn::tensor::{Device, Int, Tensor, TensorData};
use dl101_core::activation::ActivationFn;
use dl101_core::model::{Head, Mlp, MlpConfig};
use dl101_core::rng::SeededRng;
use serde_json::Value;

pub fn device() -> Device {
    dl101_core::cpu_device().autodiff()
}

/// Reads `tests/fixtures/<name>` (written by tools/torch/make_fixtures.py).
pub fn fixture(name: &str) -> Value {
    let path = manifest_dir().join("tests/fixtures").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("fixture JSON")
}

pub fn floats(value: &Value) -> Vec<f64> {
    match value {
        Value::Array(items) => items.iter().flat_map(floats).collect(),
        Value::Number(n) => vec![n.as_f64().expect("number")],
        other => panic!("not numeric: {other}"),
    }
}

pub fn matrix(value: &Value) -> Vec<Vec<f64>> {
    value.as_array().expect("rows").iter().map(floats).collect()
}

/// Max absolute difference relative to the largest expected magnitude.
pub fn relative_error(actual: &[f64], expected: &[f64]) -> f64 {
    assert_eq!(actual.len(), expected.len(), "length mismatch");
    let scale = expected.iter().fold(0f64, |m, v| m.max(v.abs())).max(1e-12);
    let diff = actual
        .iter()
        .zip(expected)
        .fold(0f64, |m, (a, e)| m.max((a - e).abs()));
    diff / scale
}

pub fn assert_close(actual: &[f64], expected: &[f64], tolerance: f64, what: &str) {
    let error = relative_error(actual, expected);
    assert!(
        error <= tolerance,
        "{what}: relative error {error:e} > {tolerance:e}"
    );
}

pub fn values<const D: usize>(t: Tensor<D>) -> Vec<f64> {
    t.into_data()
        .try_into_vec_as::<f32>()
        .expect("f32")
        .into_iter()
        .map(f64::from)
        .collect()
}

/// Torch `[out, in]` rows to Burn's `[in, out]` layout, flattened.
pub fn transpose(rows: &[Vec<f64>]) -> Vec<f64> {
    let (out, inputs) = (rows.len(), rows[0].len());
    let mut t = vec![0.0; out * inputs];
    for (o, row) in rows.iter().enumerate() {
        for (i, v) in row.iter().enumerate() {
            t[i * out + o] = *v;
        }
    }
    t
}

pub fn tensor2(rows: &[Vec<f64>], device: &Device) -> Tensor<2> {
    let data: Vec<f32> = rows.iter().flatten().map(|&v| v as f32).collect();
    Tensor::from_data(TensorData::new(data, [rows.len(), rows[0].len()]), device)
}

pub fn tensor1(values: &[f64], device: &Device) -> Tensor<1> {
    let data: Vec<f32> = values.iter().map(|&v| v as f32).collect();
    Tensor::from_data(TensorData::new(data, [values.len()]), device)
}

pub fn labels(value: &Value, device: &Device) -> Tensor<1, Int> {
    let data: Vec<i64> = value
        .as_array()
        .expect("labels")
        .iter()
        .map(|v| v.as_i64().expect("int"))
        .collect();
    let n = data.len();
    Tensor::from_data(TensorData::new(data, [n]), device)
}

/// A torch-layout linear layer as a Burn `Linear`.
pub fn linear(weight: &Value, bias: &Value, device: &Device) -> Linear {
    let rows = matrix(weight);
    let (out, inputs) = (rows.len(), rows[0].len());
    let w: Vec<f32> = transpose(&rows).into_iter().map(|v| v as f32).collect();
    Linear {
        weight: Param::from_tensor(Tensor::from_data(TensorData::new(w, [inputs, out]), device)),
        bias: Some(Param::from_tensor(tensor1(&floats(bias), device))),
    }
}

/// The fixtures' 4-8-3 tanh MLP with torch's weights.
pub fn small_model(problem: &Value, device: &Device) -> Mlp {
    let config = MlpConfig {
        inputs: 4,
        depth: 1,
        width: 8,
        activation: ActivationFn::Tanh,
        init: Default::default(),
        normalization: Default::default(),
        linear_bias: true,
        input_batch_norm: false,
        dropout: Default::default(),
        standardize_input: false,
        head: Head::MultiClass { classes: 3 },
    };
    let mut model = config
        .init(device, &mut SeededRng::new(0), None)
        .expect("model");
    model.blocks[0].linear = linear(&problem["w1"], &problem["b1"], device);
    model.head = linear(&problem["w2"], &problem["b2"], device);
    model
}

/// The crate's folder, read when the test runs (cargo sets it), so a test binary built from
/// another checkout of the repository still finds this checkout's files.
fn manifest_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}
