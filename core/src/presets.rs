//! Every experiment of the chapter as a named config (numbers from the chapter; epochs can be
//! lowered by the caller for quick runs).

use crate::activation::ActivationFn;
use crate::data::Task;
use crate::dropout::{DropoutConfig, DropoutKind};
use crate::experiment::{ExperimentConfig, McDropoutConfig, TransferConfig};
use crate::init::Init;
use crate::model::{Head, MlpConfig};
use crate::optim::OptimizerConfig;
use crate::regularize::RegularizationConfig;
use crate::schedule::{OneCycleConfig, PlateauConfig, PlateauMode, ScheduleConfig};
use dl101_protocol::chapter::{CIFAR_STEPS, cifar_step};
use dl101_protocol::vocab::{Norm, Optimizer, Schedule};

/// The chapter's Fashion-MNIST MLP: 784-100-100-100-10, ReLU, He-uniform init.
pub fn fashion_mlp(classes: usize) -> MlpConfig {
    MlpConfig {
        inputs: 784,
        depth: 3,
        width: 100,
        activation: ActivationFn::Relu,
        init: Init::HeUniform,
        normalization: Norm::None,
        linear_bias: true,
        input_batch_norm: false,
        dropout: DropoutConfig::default(),
        standardize_input: false,
        head: Head::MultiClass { classes },
    }
}

/// Section 3's `test_optimizer`: SGD-family at lr 0.05, batch 32, 10 epochs, seed 42.
fn fashion(name: &str, description: &str, optimizer: OptimizerConfig, lr: f64) -> ExperimentConfig {
    ExperimentConfig {
        name: name.into(),
        description: description.into(),
        task: Task::Fashion,
        model: fashion_mlp(10),
        optimizer,
        lr,
        schedule: ScheduleConfig::Constant,
        regularization: RegularizationConfig::default(),
        early_stopping: None,
        transfer: None,
        mc_dropout: None,
        epochs: 10,
        batch_size: 32,
        seed: 42,
        shuffle: true,
        probe_every: None,
        train_subset: None,
        eval_subset: None,
    }
}

fn sgd() -> OptimizerConfig {
    OptimizerConfig::Sgd { weight_decay: 0.0 }
}

/// The optimizer of the comparison, with the chapter's settings (RMSProp α = 0.9, AdamW
/// λ = 1e-5), built as the race widget builds it.
fn comparison_optimizer(kind: Optimizer) -> OptimizerConfig {
    crate::page::optimizer(&dl101_protocol::chapter::race_run(
        kind,
        &dl101_protocol::settings::RunSettings::default(),
    ))
}

fn optimizer_preset(name: &str) -> Option<ExperimentConfig> {
    let rest = name.strip_prefix("opt-")?;
    let (optimizer, lr) = match rest.strip_suffix("-1e-3") {
        Some(optimizer) => (optimizer, 1e-3),
        None => (rest, 0.05),
    };
    let config = comparison_optimizer(Optimizer::from_name(optimizer)?);
    Some(fashion(
        name,
        &format!("Fashion-MNIST MLP with {optimizer} at lr {lr}"),
        config,
        lr,
    ))
}

/// ReduceLROnPlateau watching validation accuracy (higher is better), factor 0.1.
pub(crate) fn plateau_max(patience: usize) -> PlateauConfig {
    PlateauConfig {
        mode: PlateauMode::Max,
        patience,
        factor: 0.1,
        ..PlateauConfig::default()
    }
}

/// The schedule of the comparison, with the chapter's settings.
fn comparison_schedule(kind: Schedule) -> ScheduleConfig {
    match kind {
        Schedule::Constant => ScheduleConfig::Constant,
        Schedule::Exponential => ScheduleConfig::Exponential { gamma: 0.9 },
        Schedule::Step => ScheduleConfig::Step {
            step_size: 3,
            gamma: 0.5,
        },
        Schedule::Plateau => ScheduleConfig::Plateau(plateau_max(2)),
        Schedule::Warmup => ScheduleConfig::Warmup {
            start_factor: 0.1,
            end_factor: 1.0,
            total_iters: 3,
        },
        Schedule::WarmupPlateau => ScheduleConfig::WarmupPlateau {
            start_factor: 0.1,
            total_iters: 3,
            plateau: plateau_max(2),
        },
        Schedule::OneCycle => ScheduleConfig::OneCycle(OneCycleConfig {
            max_lr: 0.1,
            ..OneCycleConfig::default()
        }),
        Schedule::Cosine => ScheduleConfig::Cosine {
            t_max: 10,
            eta_min: 0.001,
        },
        Schedule::CosineRestarts => ScheduleConfig::CosineRestarts {
            t0: 2,
            t_mult: 2,
            eta_min: 0.001,
        },
    }
}

fn schedule_preset(name: &str) -> Option<ExperimentConfig> {
    let schedule = comparison_schedule(Schedule::from_name(name.strip_prefix("schedule-")?)?);
    let mut config = fashion(
        name,
        &format!("SGD lr 0.05 with the {} schedule", schedule.name()),
        sgd(),
        0.05,
    );
    config.schedule = schedule;
    Some(config)
}

fn regularization_preset(name: &str) -> Option<ExperimentConfig> {
    let mut config = fashion(name, "", sgd(), 0.05);
    let reg = &mut config.regularization;
    config.description = match name {
        "reg-weight-decay" => {
            config.optimizer = OptimizerConfig::Sgd { weight_decay: 1e-4 };
            "SGD with weight_decay 1e-4 (ℓ2 through the optimizer)"
        }
        "reg-l2" => {
            reg.l2 = 1e-4;
            config.epochs = 3;
            "ℓ2 penalty 1e-4·Σw² added to the loss, biases excluded"
        }
        "reg-l1" => {
            reg.l1 = 1e-4;
            config.epochs = 3;
            "ℓ1 penalty 1e-4·Σ|w| added to the loss"
        }
        "reg-max-norm" => {
            reg.max_norm = Some(2.0);
            config.epochs = 3;
            "max-norm r = 2 applied after every step"
        }
        "reg-clip-norm" => {
            reg.clip_norm = Some(1.0);
            "gradients clipped to global norm 1.0"
        }
        "reg-dropout" | "mc-dropout" => {
            config.optimizer = OptimizerConfig::Momentum {
                momentum: 0.9,
                weight_decay: 0.0,
            };
            config.lr = 0.01;
            config.model.dropout = DropoutConfig {
                kind: DropoutKind::Standard,
                rate: 0.2,
                on_input: true,
            };
            if name == "mc-dropout" {
                config.mc_dropout = Some(McDropoutConfig {
                    images: 3,
                    samples: 100,
                });
                "dropout 0.2 model, then MC dropout (100 samples) on the first 3 test images"
            } else {
                "dropout 0.2 before every linear layer, SGD momentum 0.9 lr 0.01"
            }
        }
        _ => return None,
    }
    .into();
    Some(config)
}

fn normalization_preset(name: &str) -> Option<ExperimentConfig> {
    let mut config = fashion(name, "", sgd(), 0.05);
    let model = &mut config.model;
    config.description = match name {
        "batchnorm-after" => {
            model.input_batch_norm = true;
            model.normalization = Norm::BnAfter;
            model.depth = 2;
            model.width = 300;
            "BatchNorm after each activation and on the inputs (the classic order)"
        }
        "batchnorm-before" => {
            model.normalization = Norm::BnBefore;
            model.linear_bias = false;
            "BatchNorm between each linear layer (no bias) and its activation"
        }
        "layernorm" => {
            model.normalization = Norm::Ln;
            "LayerNorm before each activation"
        }
        "vanishing-sigmoid" => {
            model.activation = ActivationFn::Sigmoid;
            model.init = Init::Normal;
            model.depth = 8;
            config.probe_every = Some(50);
            "8 sigmoid layers with N(0,1) weights: saturation and vanishing gradients"
        }
        _ => return None,
    }
    .into();
    Some(config)
}

/// The three runs of the transfer-learning experiment.
#[derive(Clone, Debug, PartialEq)]
pub struct TransferRuns {
    /// Model A on task A (8 classes).
    pub a: ExperimentConfig,
    /// Task B on A's layers: `freeze_epochs` with A's body frozen, then `epochs` fine-tuning.
    pub reuse: ExperimentConfig,
    /// Task B from scratch, the baseline.
    pub scratch: ExperimentConfig,
}

/// The transfer experiment at learning rate `lr` with `epochs` of training per model: A and the
/// scratch baseline train `epochs`, B ← A trains `freeze_epochs` frozen and then `epochs` more,
/// as the chapter does (20; 10 + 20; 20). Every run uses `lr`. `a_images` limits task A's
/// training split (the widget's quick mode).
pub fn transfer_runs(
    lr: f64,
    epochs: usize,
    freeze_epochs: usize,
    a_images: Option<usize>,
) -> TransferRuns {
    let base = |name: &str, task: Task, description: &str| {
        let mut config = fashion(name, description, sgd(), lr);
        config.task = task;
        config.epochs = epochs;
        if task == Task::FashionB {
            config.model.head = Head::Binary;
        }
        config
    };
    let mut a = base(
        "transfer-a",
        Task::FashionA,
        "task A: 8 classes (no T-shirt/top, no Pullover)",
    );
    a.model = fashion_mlp(8);
    a.train_subset = a_images;
    let mut reuse = base(
        "transfer-b-reuse",
        Task::FashionB,
        "task B on task A's layers: frozen epochs, then fine-tuned",
    );
    reuse.seed = 43;
    reuse.epochs = freeze_epochs + epochs;
    reuse.transfer = Some(TransferConfig {
        source: "transfer-a".into(),
        freeze_epochs,
        keep_frozen: vec![0],
    });
    let mut scratch = base(
        "transfer-b-scratch",
        Task::FashionB,
        "task B (T-shirt/top vs Pullover, 20 images) from scratch",
    );
    scratch.seed = 9;
    TransferRuns { a, reuse, scratch }
}

fn transfer_preset(name: &str) -> Option<ExperimentConfig> {
    // The chapter: SGD 0.005, 20 epochs for A and the baseline, 10 frozen + 20 for B ← A.
    let runs = transfer_runs(0.005, 20, 10, None);
    [runs.a, runs.reuse, runs.scratch]
        .into_iter()
        .find(|config| config.name == name)
}

/// The runner's names of the CIFAR-10 exercise's steps 3 to 7, in order.
const CIFAR_NAMES: [&str; 5] = [
    "cifar-nadam",
    "cifar-batchnorm",
    "cifar-selu",
    "cifar-alpha-dropout",
    "cifar-one-cycle",
];

/// A step of the CIFAR-10 exercise on all 45,000 training images, from the same settings the
/// practice widget starts from (`dl101_protocol::chapter`).
fn cifar_preset(name: &str) -> Option<ExperimentConfig> {
    let (index, _) = CIFAR_NAMES.iter().enumerate().find(|(_, n)| **n == name)?;
    let step = *CIFAR_STEPS.start() + u32::try_from(index).ok()?;
    let mut config = crate::page::config(&cifar_step(step)?, name).ok()?;
    config.train_subset = None;
    config.description = match step {
        3 => "step 3: 20×100 Swish, NAdam 2e-3, early stopping",
        4 => "step 4: + BatchNorm before every activation",
        5 => "step 5: SELU, LeCun init, standardized inputs, SGD 1e-3",
        6 => "step 6: SELU + alpha dropout 0.1, NAdam 1e-3",
        // The chapter steps OneCycleLR once per epoch although it sized it in batches, so its
        // lr barely leaves max_lr/25; here it is stepped per batch, as OneCycle intends.
        _ => "step 7: alpha-dropout model with 1cycle (max lr 1e-2), 60 epochs",
    }
    .into();
    Some(config)
}

/// Names of all presets.
pub fn names() -> Vec<String> {
    let mut names: Vec<String> = Optimizer::ALL.iter().map(|o| format!("opt-{o}")).collect();
    names.extend(Optimizer::ALL.iter().map(|o| format!("opt-{o}-1e-3")));
    names.extend(Schedule::ALL.iter().map(|s| format!("schedule-{s}")));
    for other in [
        "reg-weight-decay",
        "reg-l2",
        "reg-l1",
        "reg-max-norm",
        "reg-clip-norm",
        "reg-dropout",
        "mc-dropout",
        "batchnorm-after",
        "batchnorm-before",
        "layernorm",
        "vanishing-sigmoid",
        "transfer-a",
        "transfer-b-scratch",
        "transfer-b-reuse",
    ] {
        names.push(other.into());
    }
    names.extend(CIFAR_NAMES.iter().map(|n| n.to_string()));
    names
}

/// Preset groups that the runner can run as one table.
pub fn group(name: &str) -> Option<Vec<String>> {
    let prefixed = |prefix: &str| {
        names()
            .into_iter()
            .filter(|n| n.starts_with(prefix))
            .collect()
    };
    Some(match name {
        "optimizers" => Optimizer::ALL.iter().map(|o| format!("opt-{o}")).collect(),
        "optimizers-1e-3" => Optimizer::ALL
            .iter()
            .map(|o| format!("opt-{o}-1e-3"))
            .collect(),
        "schedules" => prefixed("schedule-"),
        "regularization" => prefixed("reg-"),
        "transfer" => vec!["transfer-b-scratch".into(), "transfer-b-reuse".into()],
        "cifar" => prefixed("cifar-"),
        _ => return None,
    })
}

/// The preset called `name`.
pub fn preset(name: &str) -> Option<ExperimentConfig> {
    optimizer_preset(name)
        .or_else(|| schedule_preset(name))
        .or_else(|| regularization_preset(name))
        .or_else(|| normalization_preset(name))
        .or_else(|| transfer_preset(name))
        .or_else(|| cifar_preset(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_resolves_and_round_trips() {
        for name in names() {
            let config = preset(&name).unwrap_or_else(|| panic!("missing preset {name}"));
            assert_eq!(config.name, name);
            assert!(!config.description.is_empty(), "{name} has no description");
            let json = serde_json::to_string(&config).expect("serialize");
            let back: ExperimentConfig = serde_json::from_str(&json).expect("deserialize");
            assert_eq!(back, config);
        }
        assert!(preset("opt-nope").is_none());
    }

    #[test]
    fn chapter_numbers() {
        let rms = preset("opt-rmsprop").expect("preset");
        assert_eq!(rms.lr, 0.05);
        assert!(matches!(rms.optimizer, OptimizerConfig::Rmsprop { alpha, .. } if alpha == 0.9));
        let reuse = preset("transfer-b-reuse").expect("preset");
        assert_eq!(reuse.transfer.as_ref().map(|t| t.freeze_epochs), Some(10));
        assert_eq!(preset("cifar-nadam").map(|c| c.model.depth), Some(20));
        let scratch = preset("transfer-b-scratch").expect("preset");
        assert_eq!((reuse.epochs, scratch.epochs, reuse.seed), (30, 20, 43));
    }

    #[test]
    fn the_readers_lr_and_epochs_reach_every_transfer_run() {
        let runs = transfer_runs(0.02, 4, 2, Some(5_000));
        for run in [&runs.a, &runs.reuse, &runs.scratch] {
            assert_eq!(run.lr, 0.02, "{}", run.name);
        }
        assert_eq!(
            (runs.a.epochs, runs.reuse.epochs, runs.scratch.epochs),
            (4, 6, 4)
        );
        assert_eq!(runs.reuse.transfer.map(|t| t.freeze_epochs), Some(2));
        assert_eq!(runs.a.train_subset, Some(5_000));
        assert_eq!(runs.scratch.model.head, Head::Binary);
    }

    #[test]
    fn the_cifar_runs_follow_the_lesson() {
        let steps: Vec<ExperimentConfig> = CIFAR_NAMES.iter().filter_map(|n| preset(n)).collect();
        assert_eq!(steps.len(), 5);
        for config in &steps {
            assert!(
                config.shuffle,
                "{}: lesson 09's loader shuffles",
                config.name
            );
            assert_eq!(
                config.train_subset, None,
                "{}: all 45,000 images",
                config.name
            );
            assert_eq!(config.batch_size, 128);
        }
        assert_eq!(steps[0].model.init, Init::HeUniform, "kaiming_uniform_");
        assert_eq!(steps[0].model.activation, ActivationFn::Swish { beta: 1.0 });
        assert_eq!(steps[0].early_stopping.map(|e| e.patience), Some(10));
        assert_eq!(steps[1].model.normalization, Norm::BnBefore);
        assert!(matches!(steps[2].optimizer, OptimizerConfig::Sgd { .. }));
        assert_eq!(steps[3].model.dropout.kind, DropoutKind::Alpha);
        let one_cycle = &steps[4];
        assert_eq!((one_cycle.epochs, one_cycle.lr), (60, 1e-2));
        let ScheduleConfig::OneCycle(schedule) = &one_cycle.schedule else {
            panic!("step 7 uses 1cycle, not {:?}", one_cycle.schedule);
        };
        assert_eq!((schedule.max_lr, schedule.pct_start), (1e-2, 0.3));
        assert_eq!(one_cycle.early_stopping.map(|e| e.patience), Some(20));
    }
}
