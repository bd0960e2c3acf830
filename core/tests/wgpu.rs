//! The native wgpu backend trains the chapter's Fashion-MNIST MLP as the CPU backend does:
//! same seed, same data, the same losses step by step within float tolerance.
//!
//! Built only with `--features wgpu` (`scripts/test.sh --gpu`). Needs a Vulkan (or Metal/DX12)
//! adapter; on a machine without a GPU that is Mesa's lavapipe, Debian package
//! `mesa-vulkan-drivers`. Without any adapter the test fails, naming the package: it never
//! skips, so a CI stage that runs it cannot pass without having trained on wgpu.

#![cfg(feature = "wgpu")]
#![allow(clippy::unwrap_used)]

use dl101_core::data::{Dataset, Task, TaskData};
use dl101_core::optim::OptimizerConfig;
use dl101_core::presets::fashion_mlp;
use dl101_core::rng::SeededRng;
use dl101_core::{ExperimentConfig, Trainer, VULKAN_DRIVER_PACKAGE, cpu_device, wgpu_device};
use pollster::block_on;

/// Fashion-shaped synthetic images (784 pixels, 10 classes): each class brightens its own
/// band of rows, so the MLP can learn and the loss falls within a few steps.
fn images(n: usize, seed: u64) -> Dataset {
    let mut rng = SeededRng::new(seed);
    let mut pixels = Vec::with_capacity(n * 784);
    let mut labels = Vec::with_capacity(n);
    for _ in 0..n {
        let label = rng.below(10) as u8;
        for j in 0..784 {
            let row = j / 28;
            let base = if row / 3 == usize::from(label) {
                200.0
            } else {
                40.0
            };
            pixels.push((base + rng.normal() * 30.0).clamp(0.0, 255.0) as u8);
        }
        labels.push(label);
    }
    Dataset {
        features: 784,
        pixels: pixels.into(),
        labels,
    }
}

fn task() -> TaskData {
    TaskData {
        train: images(640, 1),
        valid: images(64, 2),
        test: images(64, 3),
        class_names: (0..10).map(|i| format!("class {i}")).collect(),
    }
}

/// The chapter's SGD run (`opt-sgd`: lr 0.05, batch 32) on the Fashion MLP.
fn config() -> ExperimentConfig {
    ExperimentConfig {
        name: "wgpu-parity".into(),
        description: String::new(),
        task: Task::Fashion,
        model: fashion_mlp(10),
        optimizer: OptimizerConfig::Sgd { weight_decay: 0.0 },
        lr: 0.05,
        schedule: Default::default(),
        regularization: Default::default(),
        early_stopping: None,
        transfer: None,
        mc_dropout: None,
        epochs: 1,
        batch_size: 32,
        seed: 42,
        shuffle: true,
        probe_every: None,
        train_subset: None,
        eval_subset: None,
    }
}

const STEPS: usize = 20;

fn losses(device: &burn::tensor::Device) -> Vec<f32> {
    let mut trainer = Trainer::new(config(), task(), device).unwrap();
    let report = block_on(trainer.advance(STEPS)).unwrap();
    assert_eq!(report.steps, STEPS);
    report.losses
}

#[test]
fn wgpu_trains_the_fashion_mlp_as_the_cpu_does() {
    let (device, adapter) = wgpu_device().unwrap_or_else(|e| {
        panic!(
            "this test needs a wgpu adapter (on a machine without a GPU: Mesa's lavapipe, \
             `apt-get install -y {VULKAN_DRIVER_PACKAGE}`): {e}"
        )
    });
    eprintln!("wgpu adapter: {adapter}");
    let gpu = losses(&device);
    let cpu = losses(&cpu_device());
    assert_eq!(gpu.len(), STEPS);
    assert_eq!(cpu.len(), STEPS);
    eprintln!("cpu losses:  {cpu:?}\nwgpu losses: {gpu:?}");
    let worst = cpu
        .iter()
        .zip(&gpu)
        .map(|(c, g)| (c - g).abs() / c.abs().max(1.0))
        .fold(0.0f32, f32::max);
    eprintln!("largest relative difference: {worst:e}");
    assert!(
        worst < 1e-4,
        "wgpu and CPU losses differ by up to {worst:e} (relative)\ncpu:  {cpu:?}\nwgpu: {gpu:?}"
    );
    // Training happened on both: the loss fell from its first steps to its last.
    let mean = |xs: &[f32]| xs.iter().sum::<f32>() / xs.len() as f32;
    assert!(
        mean(&gpu[STEPS - 5..]) < 0.8 * mean(&gpu[..5]),
        "the loss did not fall: {gpu:?}"
    );
}
