//! Synthetic data and a small experiment config.

use dl101_core::ExperimentConfig;
use dl101_core::activation::ActivationFn;
use dl101_core::data::{Dataset, Task, TaskData};
use dl101_core::model::{Head, MlpConfig};
use dl101_core::optim::OptimizerConfig;
use dl101_core::rng::SeededRng;

/// Two blobs of 16-pixel "images": class = whether the left half is brighter.
pub fn blobs(n: usize, seed: u64) -> Dataset {
    let mut rng = SeededRng::new(seed);
    let mut pixels = Vec::with_capacity(n * 16);
    let mut labels = Vec::with_capacity(n);
    for _ in 0..n {
        let label = rng.below(2) as u8;
        for j in 0..16 {
            let bright = (j < 8) == (label == 1);
            let base = if bright { 170.0 } else { 80.0 };
            pixels.push((base + rng.normal() * 40.0).clamp(0.0, 255.0) as u8);
        }
        labels.push(label);
    }
    Dataset {
        features: 16,
        pixels: pixels.into(),
        labels,
    }
}

pub fn blob_task() -> TaskData {
    TaskData {
        train: blobs(256, 1),
        valid: blobs(128, 2),
        test: blobs(128, 3),
        class_names: vec!["dark left".into(), "bright left".into()],
    }
}

pub fn small_config(name: &str) -> ExperimentConfig {
    ExperimentConfig {
        name: name.into(),
        description: String::new(),
        task: Task::Fashion,
        model: MlpConfig {
            inputs: 16,
            depth: 2,
            width: 12,
            activation: ActivationFn::Relu,
            init: Default::default(),
            normalization: Default::default(),
            linear_bias: true,
            input_batch_norm: false,
            dropout: Default::default(),
            standardize_input: false,
            head: Head::MultiClass { classes: 2 },
        },
        optimizer: OptimizerConfig::Sgd { weight_decay: 0.0 },
        lr: 0.2,
        schedule: Default::default(),
        regularization: Default::default(),
        early_stopping: None,
        transfer: None,
        mc_dropout: None,
        epochs: 10,
        batch_size: 32,
        seed: 7,
        shuffle: true,
        probe_every: None,
        train_subset: None,
        eval_subset: None,
    }
}
