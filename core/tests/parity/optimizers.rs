//! Every optimizer for ≥ 100 steps on the fixtures' small problem.

use burn::optim::GradientsParams;
use dl101_core::loss::cross_entropy;
use dl101_core::optim::{OptimizerConfig, StepContext};
use dl101_core::rng::SeededRng;

use crate::common::{
    assert_close, device, fixture, floats, labels, matrix, small_model, tensor2, transpose, values,
};

#[test]
fn optimizers_match_torch_over_many_steps() {
    let fixture = fixture("optimizers.json");
    let steps = fixture["steps"].as_u64().unwrap() as usize;
    assert!(steps >= 100);
    let problem = &fixture["problem"];
    let device = device();
    let x = tensor2(&matrix(&problem["x"]), &device);
    let y = labels(&problem["y"], &device);
    for run in fixture["runs"].as_array().unwrap() {
        let config: OptimizerConfig = serde_json::from_value(run["optimizer"].clone()).unwrap();
        let what = format!("{config:?}");
        let ctx = StepContext {
            lr: run["lr"].as_f64().unwrap(),
            momentum: None,
        };
        let mut model = small_model(problem, &device);
        let mut optimizer = config.init();
        let mut rng = SeededRng::new(0);
        let mut losses = Vec::new();
        for _ in 0..steps {
            let loss = cross_entropy(model.forward_train(x.clone(), &mut rng, None), y.clone());
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            losses.push(values(loss)[0]);
            model = optimizer.step(ctx, model, grads);
        }
        let expected_losses = floats(&run["losses"]);
        assert_close(&losses, &expected_losses, 1e-5, &format!("{what} losses"));
        let w1 = values(model.blocks[0].linear.weight.val());
        let w2 = values(model.head.weight.val());
        assert_close(
            &w1,
            &transpose(&matrix(&run["w1"])),
            1e-5,
            &format!("{what} w1"),
        );
        assert_close(
            &w2,
            &transpose(&matrix(&run["w2"])),
            1e-5,
            &format!("{what} w2"),
        );
        let b1 = values(model.blocks[0].linear.bias.clone().unwrap().val());
        let b2 = values(model.head.bias.clone().unwrap().val());

        assert_close(&b1, &floats(&run["b1"]), 1e-5, &format!("{what} b1"));
        assert_close(&b2, &floats(&run["b2"]), 1e-5, &format!("{what} b2"));
    }
}
