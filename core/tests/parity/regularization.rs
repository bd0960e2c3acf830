//! Gradient clipping (global norm, value), ℓ1/ℓ2 penalties and max-norm.

use burn::optim::GradientsParams;
use dl101_core::loss::cross_entropy;
use dl101_core::model::Mlp;
use dl101_core::regularize::{
    clip_grad_norm, clip_grad_value, l1_penalty, l2_penalty, max_norm_weight,
};
use dl101_core::rng::SeededRng;
use serde_json::Value;

use crate::common::{
    assert_close, device, fixture, floats, labels, matrix, small_model, tensor2, transpose, values,
};

fn grads_of(model: &Mlp, problem: &Value) -> GradientsParams {
    let device = device();
    let x = tensor2(&matrix(&problem["x"]), &device);
    let y = labels(&problem["y"], &device);
    let mut forward = model.clone();
    let loss = cross_entropy(forward.forward_train(x, &mut SeededRng::new(0), None), y);
    GradientsParams::from_grads(loss.backward(), model)
}

/// Gradients in torch's parameter order (w1, b1, w2, b2), torch layout.
fn ordered(model: &Mlp, grads: &GradientsParams) -> Vec<Vec<f64>> {
    let hidden = &model.blocks[0].linear;
    let head = &model.head;
    let weight = |id| values(grads.get::<2>(id).unwrap());
    let bias = |id| values(grads.get::<1>(id).unwrap());
    vec![
        weight(hidden.weight.id),
        bias(hidden.bias.as_ref().unwrap().id),
        weight(head.weight.id),
        bias(head.bias.as_ref().unwrap().id),
    ]
}

fn expected(grads: &Value) -> Vec<Vec<f64>> {
    grads
        .as_array()
        .unwrap()
        .iter()
        .map(|g| match g[0].is_array() {
            true => transpose(&matrix(g)),
            false => floats(g),
        })
        .collect()
}

#[test]
fn clip_grad_norm_matches_torch() {
    let fixture = fixture("regularization.json");
    let model = small_model(&fixture["problem"], &device());
    let mut grads = grads_of(&model, &fixture["problem"]);
    for (got, want) in ordered(&model, &grads)
        .iter()
        .zip(expected(&fixture["raw_grads"]))
    {
        assert_close(got, &want, 1e-5, "raw gradient");
    }
    let clip = &fixture["clip_norm"];
    let total = clip_grad_norm(&model, &mut grads, clip["max_norm"].as_f64().unwrap()).unwrap();
    assert_close(
        &values(total),
        &[clip["total_norm"].as_f64().unwrap()],
        1e-5,
        "total norm",
    );
    for (got, want) in ordered(&model, &grads).iter().zip(expected(&clip["grads"])) {
        assert_close(got, &want, 1e-5, "clipped gradient");
    }
}

#[test]
fn clip_grad_value_matches_torch() {
    let fixture = fixture("regularization.json");
    let model = small_model(&fixture["problem"], &device());
    let mut grads = grads_of(&model, &fixture["problem"]);
    let clip = &fixture["clip_value"];
    clip_grad_value(&model, &mut grads, clip["limit"].as_f64().unwrap());
    for (got, want) in ordered(&model, &grads).iter().zip(expected(&clip["grads"])) {
        assert_close(got, &want, 1e-6, "value-clipped gradient");
    }
}

#[test]
fn penalties_match_torch() {
    let fixture = fixture("regularization.json");
    let model = small_model(&fixture["problem"], &device());
    let penalties = &fixture["penalties"];
    assert_close(
        &values(l1_penalty(&model)),
        &[penalties["l1"].as_f64().unwrap()],
        1e-6,
        "l1",
    );
    assert_close(
        &values(l2_penalty(&model)),
        &[penalties["l2"].as_f64().unwrap()],
        1e-6,
        "l2",
    );
}

#[test]
fn max_norm_matches_the_chapter() {
    let fixture = fixture("regularization.json");
    let model = small_model(&fixture["problem"], &device());
    let max_norm = &fixture["max_norm"];
    let r = max_norm["max_norm"].as_f64().unwrap();
    let w1 = values(max_norm_weight(model.blocks[0].linear.weight.val(), r));
    let w2 = values(max_norm_weight(model.head.weight.val(), r));
    assert_close(&w1, &transpose(&matrix(&max_norm["w1"])), 1e-6, "w1");
    assert_close(&w2, &transpose(&matrix(&max_norm["w2"])), 1e-6, "w2");
}
