//! `dl101 bench`: training throughput (samples/s) on synthetic inputs of the chapter's shapes:
//! the Fashion-MNIST MLP 784-100-100-100-10 (batch 32 and 256 by default) or the CIFAR-10
//! exercise's 20×100 Swish MLP (batch 128), on the CPU backend or, with `--device wgpu`, the GPU.

use std::time::Instant;

use burn::optim::GradientsParams;
use burn::tensor::{Device, Int, Tensor, TensorData};
use dl101_core::loss::cross_entropy;
use dl101_core::model::{Mlp, MlpConfig};
use dl101_core::optim::{OptimizerConfig, StepContext};
use dl101_core::presets::{self, fashion_mlp};
use dl101_core::rng::SeededRng;

use crate::gpu_calls::{self, Calls};
use crate::run::{Cli, DeviceChoice};

/// The `--bench-model` choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BenchModel {
    /// The Fashion-MNIST MLP 784-100-100-100-10 ReLU, SGD lr 0.01.
    Fashion,
    /// The CIFAR-10 exercise's step 3 (`cifar-nadam`): 3072-20×100-10 Swish, NAdam.
    Cifar,
}

/// What one benchmark trains.
struct Workload {
    description: String,
    model: MlpConfig,
    optimizer: OptimizerConfig,
    lr: f64,
}

impl Workload {
    fn of(model: BenchModel) -> Result<Self, String> {
        Ok(match model {
            BenchModel::Fashion => Workload {
                description: "model 784-100-100-100-10 ReLU, SGD".into(),
                model: fashion_mlp(10),
                optimizer: OptimizerConfig::Sgd { weight_decay: 0.0 },
                lr: 0.01,
            },
            BenchModel::Cifar => {
                let config = presets::preset("cifar-nadam").ok_or("preset cifar-nadam missing")?;
                Workload {
                    description: format!(
                        "model {}-{}×{}-10 {:?}, {:?} (cifar-nadam), synthetic CIFAR-shaped input",
                        config.model.inputs,
                        config.model.depth,
                        config.model.width,
                        config.model.activation,
                        config.optimizer
                    ),
                    model: config.model,
                    optimizer: config.optimizer,
                    lr: config.lr,
                }
            }
        })
    }
}

/// Runs the benchmark for each batch size: `--bench-seconds` of timed steps each, or
/// `--bench-samples` worth of steps.
pub fn run(cli: &Cli) -> Result<(), String> {
    let (device, label) = crate::run::device(cli.device)?;
    if cli.gpu_calls {
        if cli.device != DeviceChoice::Wgpu {
            return Err("--gpu-calls counts wgpu's API calls: use it with --device wgpu".into());
        }
        gpu_calls::install()?;
    }
    let workload = Workload::of(cli.bench_model)?;
    let batches = match (cli.bench_batches.is_empty(), cli.bench_model) {
        (false, _) => cli.bench_batches.clone(),
        (true, BenchModel::Fashion) => vec![32, 256],
        (true, BenchModel::Cifar) => vec![128],
    };
    println!(
        "backend: {label}, {}, loss read back every step",
        workload.description
    );
    for batch in batches {
        if batch == 0 {
            return Err("--bench-batches: a batch size must be at least 1".into());
        }
        let Measured {
            samples,
            seconds,
            calls,
            first_step,
            first_calls,
        } = measure(&device, &workload, batch, cli)?;
        let rate = samples as f64 / seconds;
        match cli.bench_samples {
            None => println!("batch {batch:>4}: {rate:>10.0} samples/s"),
            Some(_) => println!(
                "batch {batch:>4}: {rate:>10.0} samples/s ({samples} samples in {seconds:.2} s)"
            ),
        }
        if cli.gpu_calls {
            let steps = samples / batch;
            let per = |count: u64| count as f64 / steps.max(1) as f64;
            println!(
                "batch {batch:>4}: per step {:.1} kernels dispatched, {:.1} submissions, \
                 {:.1} readbacks, {:.1} uploads ({steps} steps counted)",
                per(calls.dispatches),
                per(calls.submits),
                per(calls.readbacks),
                per(calls.writes),
            );
        }
        let compiled = if cli.gpu_calls {
            format!(", {} pipelines compiled", first_calls.pipelines)
        } else {
            String::new()
        };
        println!(
            "batch {batch:>4}: first step {first_step:.2} s (model creation included{compiled}); \
             a timed step takes {:.1} ms",
            1e3 * seconds * batch as f64 / samples.max(1) as f64
        );
    }
    Ok(())
}

/// What [`measure`] found for one batch size.
struct Measured {
    /// Samples trained in the timed steps, and the seconds they took.
    samples: usize,
    seconds: f64,
    /// With `--gpu-calls`: what the timed steps asked of wgpu.
    calls: Calls,
    /// Seconds from the model's creation to the end of the first step (its loss read back): on a
    /// GPU this includes compiling the kernels (those of earlier batch sizes are kept).
    first_step: f64,
    /// With `--gpu-calls`: what the model's creation and the first step asked of wgpu.
    first_calls: Calls,
}

/// Trains `batch`-sized steps on synthetic data: the first step timed alone, then 4 more warm-up
/// steps, then the timed steps.
fn measure(
    device: &Device,
    workload: &Workload,
    batch: usize,
    cli: &Cli,
) -> Result<Measured, String> {
    if cli.gpu_calls {
        gpu_calls::start();
    }
    let created = Instant::now();
    let device = device.clone().autodiff();
    let mut rng = SeededRng::new(0);
    let inputs = workload.model.inputs;
    let mut model = workload
        .model
        .init(&device, &mut rng, None)
        .map_err(|e| e.to_string())?;
    let mut optimizer = workload.optimizer.init();
    let pixels: Vec<f32> = (0..batch * inputs).map(|_| rng.uniform() as f32).collect();
    let labels: Vec<i64> = (0..batch).map(|_| rng.below(10) as i64).collect();
    let ctx = StepContext {
        lr: workload.lr,
        momentum: None,
    };
    let mut step = |model: Mlp| -> Result<Mlp, String> {
        let x = Tensor::<2>::from_data(TensorData::new(pixels.clone(), [batch, inputs]), &device);
        let y = Tensor::<1, Int>::from_data(TensorData::new(labels.clone(), [batch]), &device);
        let mut model = model;
        let loss = cross_entropy(model.forward_train(x, &mut rng, None), y);
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        let model = optimizer.step(ctx, model, grads);
        pollster::block_on(loss.into_scalar_async::<f32>()).map_err(|e| format!("{e:?}"))?;
        Ok(model)
    };
    model = step(model)?;
    let first_step = created.elapsed().as_secs_f64();
    let first_calls = if cli.gpu_calls {
        gpu_calls::stop()
    } else {
        Calls::default()
    };
    for _ in 0..4 {
        model = step(model)?;
    }
    if cli.gpu_calls {
        gpu_calls::start();
    }
    let started = Instant::now();
    let mut steps = 0usize;
    match cli.bench_samples {
        Some(samples) => {
            for _ in 0..samples.div_ceil(batch) {
                model = step(model)?;
                steps += 1;
            }
        }
        None => {
            while started.elapsed().as_secs_f64() < cli.bench_seconds {
                model = step(model)?;
                steps += 1;
            }
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let calls = if cli.gpu_calls {
        gpu_calls::stop()
    } else {
        Calls::default()
    };
    Ok(Measured {
        samples: steps * batch,
        seconds,
        calls,
        first_step,
        first_calls,
    })
}
