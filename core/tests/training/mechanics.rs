//! Trainer mechanics on synthetic data: determinism, epochs, divergence, probes, freezing,
//! early stopping, schedules, MC dropout.

use dl101_core::activation::ActivationFn;
use dl101_core::dropout::{DropoutConfig, DropoutKind};
use dl101_core::experiment::{EarlyStoppingConfig, TransferConfig};
use dl101_core::init::Init;
use dl101_core::model::Head;
use dl101_core::report::Event;
use dl101_core::schedule::{OneCycleConfig, ScheduleConfig, curve};
use dl101_core::{Trainer, cpu_device};
use dl101_protocol::vocab::Norm;
use pollster::block_on;

use crate::support::{blob_task, small_config};

fn run_all(trainer: &mut Trainer) -> Vec<Event> {
    let mut events = Vec::new();
    while !trainer.is_finished() {
        events.extend(block_on(trainer.advance(7)).unwrap().events);
    }
    events
}

#[test]
fn same_seed_same_run() {
    let losses = |seed| {
        let mut config = small_config("det");
        config.seed = seed;
        config.model.dropout = DropoutConfig {
            kind: DropoutKind::Standard,
            rate: 0.2,
            on_input: false,
        };
        let mut trainer = Trainer::new(config, blob_task(), &cpu_device()).unwrap();
        run_all(&mut trainer);
        trainer.history().step_losses.clone()
    };
    assert_eq!(losses(3), losses(3));
    assert_ne!(losses(3), losses(4));
}

#[test]
fn epochs_end_with_validation_and_learning_happens() {
    let mut trainer = Trainer::new(small_config("epochs"), blob_task(), &cpu_device()).unwrap();
    assert_eq!(trainer.steps_per_epoch(), 8);
    let epochs = trainer.config().epochs;
    let report = block_on(trainer.advance(10)).unwrap();
    assert_eq!(report.steps, 10);
    assert_eq!(report.losses.len(), 10);
    assert!(
        matches!(report.events[0], Event::EpochEnd(ref e) if e.epoch == 1 && e.valid.is_some())
    );
    let events = run_all(&mut trainer);
    assert!(events.contains(&Event::Finished));
    assert_eq!(trainer.history().epochs.len(), epochs);
    let accuracy = block_on(trainer.evaluate_test()).unwrap().accuracy;
    assert!(accuracy > 0.9, "blobs are easy: {accuracy}");
}

#[test]
fn divergence_is_an_event_not_a_panic() {
    let mut config = small_config("diverge");
    config.lr = 1e30;
    config.model.init = Init::Normal;
    let mut trainer = Trainer::new(config, blob_task(), &cpu_device()).unwrap();
    let events = run_all(&mut trainer);
    let diverged = events.iter().find(|e| matches!(e, Event::Diverged { .. }));
    assert!(diverged.is_some(), "{events:?}");
    assert!(diverged.unwrap().describe().starts_with("diverged at step"));
    assert!(trainer.is_finished());
}

#[test]
fn probes_report_every_layer() {
    let mut config = small_config("probes");
    config.probe_every = Some(4);
    let mut trainer = Trainer::new(config.clone(), blob_task(), &cpu_device()).unwrap();
    let report = block_on(trainer.advance(8)).unwrap();
    assert_eq!(report.probes.len(), 2);
    let probe = &report.probes[0];
    assert_eq!(probe.layers.len(), 3);
    assert!(probe.grad_global_norm > 0.0);
    let hidden = &probe.layers[0];
    assert!(hidden.grad_norm > 0.0 && hidden.weight_norm > 0.0 && hidden.update_ratio > 0.0);
    assert!(hidden.dead.is_some() && hidden.saturated.is_none());
    assert_eq!(
        hidden
            .activation_histogram
            .as_ref()
            .unwrap()
            .counts
            .iter()
            .sum::<u32>(),
        32 * 12
    );
    assert!(
        probe.layers[2].activation_mean.is_none(),
        "the head has no activation"
    );
    // Every weight of every layer is counted once in its histogram.
    for layer in &probe.layers {
        let weights: u32 = layer.weight_histogram.as_ref().unwrap().counts.iter().sum();
        let expected = if layer.layer == 0 {
            config.model.inputs * config.model.width
        } else if layer.layer + 1 == probe.layers.len() {
            config.model.width * config.model.head.outputs()
        } else {
            config.model.width * config.model.width
        };
        assert_eq!(weights as usize, expected, "{}", layer.name);
    }

    let saturation = |init| {
        let mut config = config.clone();
        config.model.activation = ActivationFn::Sigmoid;
        config.model.init = init;
        let mut trainer = Trainer::new(config, blob_task(), &cpu_device()).unwrap();
        let report = block_on(trainer.advance(1)).unwrap();
        report.probes[0].layers[1].saturated.unwrap()
    };
    let (bad, good) = (saturation(Init::Normal), saturation(Init::GlorotUniform));
    assert!(
        bad > 0.05 && good < 0.01,
        "N(0,1) sigmoid layers saturate: {bad} vs Glorot {good}"
    );
}

#[test]
fn transfer_freezes_then_unfreezes() {
    let device = cpu_device();
    let mut source = Trainer::new(small_config("source"), blob_task(), &device).unwrap();
    run_all(&mut source);
    let mut config = small_config("target");
    config.model.head = Head::Binary;
    config.epochs = 4;
    config.transfer = Some(TransferConfig {
        source: "source".into(),
        freeze_epochs: 2,
        keep_frozen: vec![0],
    });
    let mut trainer = Trainer::from_source(config, blob_task(), &device, source.model()).unwrap();
    let reused = trainer.model().blocks[1].linear.weight.val().into_data();
    let head = trainer.model().head.weight.val().into_data();
    block_on(trainer.run_epoch()).unwrap();
    assert_eq!(
        trainer.model().blocks[1].linear.weight.val().into_data(),
        reused,
        "frozen"
    );
    assert_ne!(
        trainer.model().head.weight.val().into_data(),
        head,
        "the head trains"
    );
    let events = run_all(&mut trainer);
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::Unfrozen { epoch: 3, blocks } if blocks == &vec![1]))
    );
    assert!(!trainer.model().is_block_trainable(0));
    assert!(trainer.model().is_block_trainable(1));
    assert_ne!(
        trainer.model().blocks[1].linear.weight.val().into_data(),
        reused,
        "fine-tuned"
    );
}

#[test]
fn early_stopping_restores_the_best_epoch() {
    let mut config = small_config("early");
    config.lr = 0.0; // nothing improves after epoch 1
    config.epochs = 10;
    config.early_stopping = Some(EarlyStoppingConfig { patience: 2 });
    let mut trainer = Trainer::new(config, blob_task(), &cpu_device()).unwrap();
    let events = run_all(&mut trainer);
    assert!(
        events.contains(&Event::EarlyStopped {
            epoch: 3,
            best_epoch: 1
        }),
        "{events:?}"
    );
}

#[test]
fn trainer_follows_the_one_cycle_curve() {
    let mut config = small_config("one-cycle");
    config.schedule = ScheduleConfig::OneCycle(OneCycleConfig {
        max_lr: 0.2,
        ..Default::default()
    });
    let mut trainer = Trainer::new(config.clone(), blob_task(), &cpu_device()).unwrap();
    run_all(&mut trainer);
    let expected: Vec<f64> = curve(&config.schedule, config.lr, config.epochs, 8, &[])
        .unwrap()
        .iter()
        .map(|p| p.lr)
        .collect();
    assert_eq!(trainer.history().step_lrs, expected);
}

/// A change applied to the small config.
type Variant = Box<dyn Fn(&mut dl101_core::ExperimentConfig)>;

#[test]
fn every_architecture_option_trains() {
    let variants: Vec<Variant> = vec![
        Box::new(|c| c.model.normalization = Norm::BnBefore),
        Box::new(|c| {
            c.model.normalization = Norm::BnAfter;
            c.model.input_batch_norm = true;
        }),
        Box::new(|c| c.model.normalization = Norm::Ln),
        Box::new(|c| {
            c.model.activation = ActivationFn::Selu;
            c.model.init = Init::LecunNormal;
            c.model.standardize_input = true;
            c.model.dropout = DropoutConfig {
                kind: DropoutKind::Alpha,
                rate: 0.1,
                on_input: false,
            };
        }),
        Box::new(|c| {
            c.model.activation = ActivationFn::Swiglu { beta: 1.0 };
            c.model.init = Init::HeUniform;
        }),
        Box::new(|c| {
            c.regularization.l1 = 1e-4;
            c.regularization.l2 = 1e-4;
            c.regularization.max_norm = Some(1.0);
            c.regularization.clip_norm = Some(1.0);
            c.regularization.clip_value = Some(0.5);
        }),
    ];
    for (i, variant) in variants.iter().enumerate() {
        let mut config = small_config("variant");
        variant(&mut config);
        let mut trainer = Trainer::new(config, blob_task(), &cpu_device()).unwrap();
        run_all(&mut trainer);
        let accuracy = block_on(trainer.evaluate_test()).unwrap().accuracy;
        assert!(accuracy > 0.8, "variant {i}: {accuracy}");
    }
}

#[test]
fn mc_dropout_gives_probabilities_and_spread() {
    let mut config = small_config("mc");
    config.model.dropout = DropoutConfig {
        kind: DropoutKind::Standard,
        rate: 0.3,
        on_input: true,
    };
    let mut trainer = Trainer::new(config, blob_task(), &cpu_device()).unwrap();
    run_all(&mut trainer);
    let prediction = block_on(trainer.mc_dropout(3, 50)).unwrap();
    assert_eq!(prediction.mean.len(), 3);
    for (mean, std) in prediction.mean.iter().zip(&prediction.std) {
        assert!((mean.iter().sum::<f64>() - 1.0).abs() < 1e-4);
        assert!(std.iter().any(|&s| s > 0.0), "dropout makes samples differ");
    }
}

#[test]
fn live_changes_apply_from_the_next_step() {
    let config = small_config("tune");
    let base = config.lr;
    let mut trainer = Trainer::new(config, blob_task(), &cpu_device()).unwrap();
    block_on(trainer.advance(2)).unwrap();
    trainer.set_base_lr(base * 10.0);
    assert!((trainer.current_lr() - base * 10.0).abs() < 1e-12);
    let report = block_on(trainer.advance(1)).unwrap();
    assert!((report.lrs[0] - base * 10.0).abs() < 1e-12);

    // A zero learning rate freezes the weights: every later step sees the same model.
    trainer.set_base_lr(0.0);
    let weights = |t: &Trainer| {
        t.model()
            .head
            .weight
            .val()
            .into_data()
            .try_to_vec::<f32>()
            .unwrap()
    };
    let before = weights(&trainer);
    block_on(trainer.advance(3)).unwrap();
    assert_eq!(before, weights(&trainer));

    // Out-of-range values are ignored rather than poisoning the run.
    trainer.set_base_lr(f64::NAN);
    trainer.set_momentum(1.5);
    trainer.set_clip_threshold(-1.0);
    assert_eq!(trainer.current_lr(), 0.0);
}
