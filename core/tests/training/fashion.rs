//! Seed-behaviour checks on the real Fashion-MNIST (skipped with a message when absent).

use std::path::{Path, PathBuf};

use dl101_core::data::{FashionMnist, fashion_from_dir, find_data_dir};
use dl101_core::{ExperimentConfig, Split, Trainer, cpu_device, presets};
use pollster::block_on;

fn data_root() -> Option<PathBuf> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let found = find_data_dir(&repo);
    if found.is_none() {
        println!("SKIPPED: Fashion-MNIST not found in ../shared/datasets or public/data");
    }
    found
}

fn fashion() -> Option<FashionMnist> {
    Some(fashion_from_dir(&data_root()?).expect("Fashion-MNIST parses"))
}

/// Trains `steps` mini-batches and returns the validation accuracy.
fn valid_accuracy(mut config: ExperimentConfig, data: dl101_core::data::TaskData, steps: usize) -> f64 {
    config.eval_subset = Some(2000);
    let mut trainer = Trainer::new(config, data, &cpu_device()).unwrap();
    block_on(trainer.advance(steps)).unwrap();
    block_on(trainer.evaluate(Split::Valid)).unwrap().accuracy
}

#[test]
fn fashion_splits_follow_the_chapter() {
    let Some(data) = fashion() else { return };
    let full = data.task_full();
    assert_eq!((full.train.len(), full.valid.len(), full.test.len()), (55_000, 5_000, 10_000));
    let a = data.task_a();
    assert_eq!((a.train.len(), a.valid.len(), a.test.len()), (49_000, 2_000, 5_000));
    assert_eq!(a.class_names.len(), 8);
    assert!(a.train.labels.iter().all(|&l| l < 8));
    let b = data.task_b();
    assert_eq!((b.train.len(), b.valid.len(), b.test.len()), (20, 4_980, 9_000));
    assert_eq!(b.class_names, vec!["T-shirt/top", "Pullover"]);
}

#[test]
fn sgd_beats_75_percent_and_adam_at_005_is_far_worse() {
    let Some(data) = fashion() else { return };
    let task = data.task_full();
    let sgd = valid_accuracy(presets::preset("opt-sgd").unwrap(), task.clone(), 300);
    assert!(sgd > 0.75, "SGD after 300 steps: {sgd}");
    let adam = valid_accuracy(presets::preset("opt-adam").unwrap(), task, 300);
    assert!(adam < sgd - 0.1, "Adam at lr 0.05: {adam} vs SGD {sgd}");
}

#[test]
fn transfer_beats_scratch_on_task_b() {
    let Some(data) = fashion() else { return };
    let device = cpu_device();
    let mut a = presets::preset("transfer-a").unwrap();
    a.lr = 0.05; // a quicker source model than the chapter's 20 epochs at 0.005
    a.epochs = 1;
    a.train_subset = Some(16_000);
    a.eval_subset = Some(500);
    let mut source = Trainer::new(a, data.task_a(), &device).unwrap();
    while !source.is_finished() {
        block_on(source.advance(500)).unwrap();
    }
    let test_accuracy = |mut trainer: Trainer| {
        while !trainer.is_finished() {
            block_on(trainer.advance(100)).unwrap();
        }
        block_on(trainer.evaluate(Split::Test)).unwrap().accuracy
    };
    let quick = |name: &str| {
        let mut config = presets::preset(name).unwrap();
        config.eval_subset = Some(1000);
        config
    };
    let scratch = test_accuracy(Trainer::new(quick("transfer-b-scratch"), data.task_b(), &device).unwrap());
    let reuse = test_accuracy(
        Trainer::from_source(quick("transfer-b-reuse"), data.task_b(), &device, source.model()).unwrap(),
    );
    println!("task B test accuracy: scratch {scratch:.4}, reuse {reuse:.4}");
    assert!(reuse > scratch, "reuse {reuse} vs scratch {scratch}");
}
