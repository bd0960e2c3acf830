//! BatchNorm1d (train/eval, running statistics) and LayerNorm.

use burn::module::Param;
use burn::nn::LayerNormConfig;
use dl101_core::norm::BatchNorm1d;

use crate::common::{assert_close, device, fixture, floats, matrix, tensor1, tensor2, values};

#[test]
fn batch_norm_matches_torch() {
    let fixture = fixture("norms.json");
    let bn = &fixture["batch_norm"];
    let device = device();
    let mut layer = BatchNorm1d::new(5, &device);
    layer.gamma = Param::from_tensor(tensor1(&floats(&bn["gamma"]), &device));
    layer.beta = Param::from_tensor(tensor1(&floats(&bn["beta"]), &device));
    let batches = bn["batches"].as_array().unwrap();
    let expected = bn["train_outputs"].as_array().unwrap();
    for (batch, expected) in batches.iter().zip(expected) {
        let out = layer.forward_train(tensor2(&matrix(batch), &device));
        assert_close(&values(out), &floats(expected), 1e-5, "train output");
    }
    assert_close(
        &values(layer.running_mean.clone()),
        &floats(&bn["running_mean"]),
        1e-5,
        "running mean",
    );
    assert_close(
        &values(layer.running_var.clone()),
        &floats(&bn["running_var"]),
        1e-5,
        "running var",
    );
    let out = layer.forward_eval(tensor2(&matrix(&bn["eval_input"]), &device));
    assert_close(
        &values(out),
        &floats(&bn["eval_output"]),
        1e-5,
        "eval output",
    );
}

#[test]
fn layer_norm_matches_torch() {
    let fixture = fixture("norms.json");
    let ln = &fixture["layer_norm"];
    let device = device();
    let mut layer = LayerNormConfig::new(6).init(&device);
    layer.gamma = Param::from_tensor(tensor1(&floats(&ln["gamma"]), &device));
    layer.beta = Some(Param::from_tensor(tensor1(&floats(&ln["beta"]), &device)));
    let out = layer.forward(tensor2(&matrix(&ln["input"]), &device));
    assert_close(&values(out), &floats(&ln["output"]), 1e-5, "layer norm");
}
