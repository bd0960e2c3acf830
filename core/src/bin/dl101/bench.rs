//! `dl101 bench`: training throughput (samples/s) of the chapter's Fashion-MNIST MLP
//! 784-100-100-100-10 on the native CPU backend, batch 32 and 256.

use std::time::Instant;

use burn::optim::GradientsParams;
use burn::tensor::{Int, Tensor, TensorData};
use dl101_core::cpu_device;
use dl101_core::loss::cross_entropy;
use dl101_core::optim::{OptimizerConfig, StepContext};
use dl101_core::presets::fashion_mlp;
use dl101_core::rng::SeededRng;

/// Runs the benchmark for each batch size, `seconds` of timed steps each.
pub fn run(seconds: f64) -> Result<(), String> {
    println!("backend: Flex (CPU), model 784-100-100-100-10 ReLU, SGD, loss read back every step");
    for batch in [32usize, 256] {
        let rate = measure(batch, seconds)?;
        println!("batch {batch:>4}: {rate:>10.0} samples/s");
    }
    Ok(())
}

fn measure(batch: usize, seconds: f64) -> Result<f64, String> {
    let device = cpu_device().autodiff();
    let mut rng = SeededRng::new(0);
    let mut model = fashion_mlp(10)
        .init(&device, &mut rng, None)
        .map_err(|e| e.to_string())?;
    let mut optimizer = OptimizerConfig::Sgd { weight_decay: 0.0 }.init();
    let pixels: Vec<f32> = (0..batch * 784).map(|_| rng.uniform() as f32).collect();
    let labels: Vec<i64> = (0..batch).map(|_| rng.below(10) as i64).collect();
    let ctx = StepContext {
        lr: 0.01,
        momentum: None,
    };
    let mut step = |model: dl101_core::model::Mlp| -> Result<dl101_core::model::Mlp, String> {
        let x = Tensor::<2>::from_data(TensorData::new(pixels.clone(), [batch, 784]), &device);
        let y = Tensor::<1, Int>::from_data(TensorData::new(labels.clone(), [batch]), &device);
        let mut model = model;
        let loss = cross_entropy(model.forward_train(x, &mut rng, None), y);
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        let model = optimizer.step(ctx, model, grads);
        pollster::block_on(loss.into_scalar_async::<f32>()).map_err(|e| format!("{e:?}"))?;
        Ok(model)
    };
    for _ in 0..5 {
        model = step(model)?;
    }
    let started = Instant::now();
    let mut steps = 0usize;
    while started.elapsed().as_secs_f64() < seconds {
        model = step(model)?;
        steps += 1;
    }
    Ok((steps * batch) as f64 / started.elapsed().as_secs_f64())
}
