//! Seed-behaviour checks on the real Fashion-MNIST. Skipped with a message when the data is absent,
//! unless `DL101_REQUIRE_DATA` is set (the test suite sets it after its data step): then missing
//! data fails them, so they cannot pass by skipping.

use std::path::PathBuf;

use dl101_core::data::{FashionMnist, fashion_from_dir, find_data_dir};
use dl101_core::{ExperimentConfig, Split, Trainer, cpu_device, presets};
use pollster::block_on;

fn data_root() -> Option<PathBuf> {
    let repo = manifest_dir().join("..");
    let found = find_data_dir(&repo);
    if found.is_none() {
        assert!(
            std::env::var_os("DL101_REQUIRE_DATA").is_none(),
            "Fashion-MNIST not found in ../shared/datasets or public/data, and DL101_REQUIRE_DATA \
             is set: run scripts/datasets.py"
        );
        println!("SKIPPED: Fashion-MNIST not found in ../shared/datasets or public/data");
    }
    found
}

fn fashion() -> Option<FashionMnist> {
    Some(fashion_from_dir(&data_root()?).expect("Fashion-MNIST parses"))
}

/// Trains `steps` mini-batches and returns the validation accuracy.
fn valid_accuracy(
    mut config: ExperimentConfig,
    data: dl101_core::data::TaskData,
    steps: usize,
) -> f64 {
    config.eval_subset = Some(2000);
    let mut trainer = Trainer::new(config, data, &cpu_device()).unwrap();
    block_on(trainer.advance(steps)).unwrap();
    block_on(trainer.evaluate(Split::Valid)).unwrap().accuracy
}

#[test]
fn fashion_splits_follow_the_chapter() {
    let Some(data) = fashion() else { return };
    let full = data.task_full();
    assert_eq!(
        (full.train.len(), full.valid.len(), full.test.len()),
        (55_000, 5_000, 10_000)
    );
    let a = data.task_a();
    assert_eq!(
        (a.train.len(), a.valid.len(), a.test.len()),
        (49_000, 2_000, 5_000)
    );
    assert_eq!(a.class_names.len(), 8);
    assert!(a.train.labels.iter().all(|&l| l < 8));
    let b = data.task_b();
    assert_eq!(
        (b.train.len(), b.valid.len(), b.test.len()),
        (20, 4_980, 9_000)
    );
    assert_eq!(b.class_names, vec!["T-shirt/top", "Pullover"]);
}

#[test]
fn sgd_beats_75_percent_and_adam_at_005_is_far_worse() {
    let Some(data) = fashion() else { return };
    let task = data.task_full();
    let sgd = valid_accuracy(presets::preset("opt-sgd").unwrap(), task.clone(), 600);
    assert!(sgd > 0.75, "SGD after 600 steps: {sgd}");
    let adam = valid_accuracy(presets::preset("opt-adam").unwrap(), task, 600);
    assert!(adam < sgd - 0.1, "Adam at lr 0.05: {adam} vs SGD {sgd}");
}

/// Trains `trainer` to the end and returns its test accuracy.
fn finish_and_test(mut trainer: Trainer) -> f64 {
    while !trainer.is_finished() {
        block_on(trainer.advance(100)).unwrap();
    }
    block_on(trainer.evaluate(Split::Test)).unwrap().accuracy
}

/// Transfer beats scratch when the reused layers are what is compared: a head trained on task
/// A's frozen features beats the same head on frozen random features of the same network.
///
/// The chapter's full protocol (fine-tuning vs training from scratch on 20 images) does NOT
/// reliably favour transfer with other seeds — Géron notes he searched for a configuration that
/// showed a gain; see `chapter_transfer_protocol` (ignored) to reproduce.
#[test]
fn transfer_beats_scratch_on_task_b() {
    let Some(data) = fashion() else { return };
    let device = cpu_device();
    let mut a = presets::preset("transfer-a").unwrap();
    a.lr = 0.05; // a quicker source model than the chapter's 20 epochs at 0.005
    a.epochs = 1;
    a.train_subset = Some(16_000);
    a.eval_subset = Some(500);
    let untrained = Trainer::new(a.clone(), data.task_a(), &device)
        .unwrap()
        .model()
        .clone();
    let mut source = Trainer::new(a, data.task_a(), &device).unwrap();
    while !source.is_finished() {
        block_on(source.advance(500)).unwrap();
    }
    let mut frozen = presets::preset("transfer-b-reuse").unwrap();
    frozen.eval_subset = Some(1000);
    frozen.lr = 0.05;
    frozen.epochs = 30;
    frozen.transfer.as_mut().unwrap().freeze_epochs = 30; // head only, the whole run
    let mut wins = 0;
    for seed in 1..=3 {
        frozen.seed = seed;
        let random = finish_and_test(
            Trainer::from_source(frozen.clone(), data.task_b(), &device, &untrained).unwrap(),
        );
        let reused = finish_and_test(
            Trainer::from_source(frozen.clone(), data.task_b(), &device, source.model()).unwrap(),
        );
        println!(
            "seed {seed}: head on random features {random:.4}, on task-A features {reused:.4}"
        );
        wins += usize::from(reused > random);
    }
    assert_eq!(
        wins, 3,
        "task A's features must beat random ones for every seed"
    );
}

/// The chapter's protocol: task B from scratch (20 epochs) vs on task A's layers (10 frozen +
/// 20 fine-tuning epochs), lr 0.005, 20 training images. Prints both; not asserted.
#[test]
#[ignore = "slow and not seed-robust: prints the chapter's comparison"]
fn chapter_transfer_protocol() {
    let Some(data) = fashion() else { return };
    let device = cpu_device();
    let mut source = Trainer::new(
        presets::preset("transfer-a").unwrap(),
        data.task_a(),
        &device,
    )
    .unwrap();
    while !source.is_finished() {
        block_on(source.advance(1000)).unwrap();
    }
    for seed in 1..=5 {
        let mut scratch = presets::preset("transfer-b-scratch").unwrap();
        let mut reuse = presets::preset("transfer-b-reuse").unwrap();
        scratch.seed = seed;
        reuse.seed = seed;
        let scratch = finish_and_test(Trainer::new(scratch, data.task_b(), &device).unwrap());
        let reuse = finish_and_test(
            Trainer::from_source(reuse, data.task_b(), &device, source.model()).unwrap(),
        );
        println!("seed {seed}: scratch {scratch:.4}, reuse {reuse:.4}");
    }
}

/// The crate's folder, read when the test runs (cargo sets it), so a test binary built from
/// another checkout of the repository still finds this checkout's files.
fn manifest_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}
