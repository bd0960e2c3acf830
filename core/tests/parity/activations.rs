//! Activation values and derivatives on a grid, and SwiGLU on tensors.

use dl101_core::activation::ActivationFn;

use crate::common::{assert_close, device, fixture, floats, matrix, tensor2, values};

#[test]
fn scalar_values_and_derivatives_match_torch() {
    let fixture = fixture("activations.json");
    let z = floats(&fixture["z"]);
    for case in fixture["cases"].as_array().unwrap() {
        let activation: ActivationFn = serde_json::from_value(case["activation"].clone()).unwrap();
        let value: Vec<f64> = z.iter().map(|&z| activation.value(z)).collect();
        let derivative: Vec<f64> = z.iter().map(|&z| activation.derivative(z)).collect();
        assert_close(
            &value,
            &floats(&case["value"]),
            1e-9,
            &format!("{activation:?} value"),
        );
        assert_close(
            &derivative,
            &floats(&case["derivative"]),
            1e-9,
            &format!("{activation:?} derivative"),
        );
    }
}

#[test]
fn tensor_forward_matches_torch() {
    let fixture = fixture("activations.json");
    let z = floats(&fixture["z"]);
    let device = device();
    let input = tensor2(std::slice::from_ref(&z), &device);
    for case in fixture["cases"].as_array().unwrap() {
        let activation: ActivationFn = serde_json::from_value(case["activation"].clone()).unwrap();
        if matches!(activation, ActivationFn::Swiglu { .. }) {
            continue; // a different shape; see below
        }
        let out = values(activation.forward(input.clone()));
        assert_close(
            &out,
            &floats(&case["value"]),
            1e-6,
            &format!("{activation:?} tensor"),
        );
    }
    let swiglu = &fixture["swiglu"];
    let activation = ActivationFn::Swiglu {
        beta: swiglu["beta"].as_f64().unwrap(),
    };
    let out = activation.forward(tensor2(&matrix(&swiglu["input"]), &device));
    assert_eq!(out.dims(), [6, 4], "SwiGLU halves the width");
    assert_close(&values(out), &floats(&swiglu["output"]), 1e-6, "swiglu");
}
