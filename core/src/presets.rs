//! Every experiment of the chapter as a named config (numbers from the chapter; epochs can be
//! lowered by the caller for quick runs).

use crate::activation::Activation;
use crate::data::Task;
use crate::dropout::{DropoutConfig, DropoutKind};
use crate::experiment::{EarlyStoppingConfig, ExperimentConfig, McDropoutConfig, TransferConfig};
use crate::init::Init;
use crate::model::{Head, MlpConfig, Normalization};
use crate::optim::OptimizerConfig;
use crate::regularize::RegularizationConfig;
use crate::schedule::{OneCycleConfig, PlateauConfig, PlateauMode, ScheduleConfig};

/// Optimizers compared in section 3, in the chapter's order.
pub const OPTIMIZERS: [&str; 9] = [
    "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamax", "nadam", "adamw",
];

/// The chapter's Fashion-MNIST MLP: 784-100-100-100-10, ReLU, He-uniform init.
pub fn fashion_mlp(classes: usize) -> MlpConfig {
    MlpConfig {
        inputs: 784,
        depth: 3,
        width: 100,
        activation: Activation::Relu,
        init: Init::HeUniform,
        normalization: Normalization::None,
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

/// The optimizer of the comparison, with the chapter's settings (RMSProp α = 0.9,
/// AdamW λ = 1e-5).
fn comparison_optimizer(name: &str) -> Option<OptimizerConfig> {
    let config = match name {
        "rmsprop" => OptimizerConfig::Rmsprop {
            alpha: 0.9,
            eps: 1e-8,
            momentum: 0.0,
            weight_decay: 0.0,
        },
        "adamw" => OptimizerConfig::Adamw {
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weight_decay: 1e-5,
        },
        other => OptimizerConfig::from_name(other)?,
    };
    Some(config)
}

fn optimizer_preset(name: &str) -> Option<ExperimentConfig> {
    let rest = name.strip_prefix("opt-")?;
    let (optimizer, lr) = match rest.strip_suffix("-1e-3") {
        Some(optimizer) => (optimizer, 1e-3),
        None => (rest, 0.05),
    };
    let config = comparison_optimizer(optimizer)?;
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

fn schedule_preset(name: &str) -> Option<ExperimentConfig> {
    let schedule = match name.strip_prefix("schedule-")? {
        "constant" => ScheduleConfig::Constant,
        "exponential" => ScheduleConfig::Exponential { gamma: 0.9 },
        "step" => ScheduleConfig::Step {
            step_size: 3,
            gamma: 0.5,
        },
        "plateau" => ScheduleConfig::Plateau(plateau_max(2)),
        "warmup" => ScheduleConfig::Warmup {
            start_factor: 0.1,
            end_factor: 1.0,
            total_iters: 3,
        },
        "warmup-plateau" => ScheduleConfig::WarmupPlateau {
            start_factor: 0.1,
            total_iters: 3,
            plateau: plateau_max(2),
        },
        "one-cycle" => ScheduleConfig::OneCycle(OneCycleConfig {
            max_lr: 0.1,
            ..OneCycleConfig::default()
        }),
        "cosine" => ScheduleConfig::Cosine {
            t_max: 10,
            eta_min: 0.001,
        },
        "cosine-restarts" => ScheduleConfig::CosineRestarts {
            t0: 2,
            t_mult: 2,
            eta_min: 0.001,
        },
        _ => return None,
    };
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
            model.normalization = Normalization::BatchNormAfter;
            model.depth = 2;
            model.width = 300;
            "BatchNorm after each activation and on the inputs (the classic order)"
        }
        "batchnorm-before" => {
            model.normalization = Normalization::BatchNormBefore;
            model.linear_bias = false;
            "BatchNorm between each linear layer (no bias) and its activation"
        }
        "layernorm" => {
            model.normalization = Normalization::LayerNorm;
            "LayerNorm before each activation"
        }
        "vanishing-sigmoid" => {
            model.activation = Activation::Sigmoid;
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

fn transfer_preset(name: &str) -> Option<ExperimentConfig> {
    let mut config = fashion(name, "", sgd(), 0.005);
    config.epochs = 20;
    match name {
        "transfer-a" => {
            config.task = Task::FashionA;
            config.model = fashion_mlp(8);
            config.description = "task A: 8 classes (no T-shirt/top, no Pullover)".into();
        }
        "transfer-b-scratch" | "transfer-b-reuse" => {
            config.task = Task::FashionB;
            config.model.head = Head::Binary;
            config.seed = if name == "transfer-b-scratch" { 9 } else { 43 };
            if name == "transfer-b-reuse" {
                config.epochs = 30;
                config.transfer = Some(TransferConfig {
                    source: "transfer-a".into(),
                    freeze_epochs: 10,
                    keep_frozen: vec![0],
                });
                config.description =
                    "task B on task A's layers: 10 epochs frozen, then fine-tuned".into();
            } else {
                config.description =
                    "task B (T-shirt/top vs Pullover, 20 images) from scratch".into();
            }
        }
        _ => return None,
    }
    Some(config)
}

// ANCHOR: cifar_mlp
/// The chapter's CIFAR-10 network: 20 hidden layers of 100 Swish units, He init.
fn cifar_mlp() -> MlpConfig {
    MlpConfig {
        inputs: 3 * 32 * 32,
        depth: 20,
        width: 100,
        activation: Activation::Swish { beta: 1.0 },
        ..fashion_mlp(10)
    }
}
// ANCHOR_END: cifar_mlp

fn cifar_preset(name: &str) -> Option<ExperimentConfig> {
    let nadam = |lr| (OptimizerConfig::from_name("nadam"), lr);
    let mut config = fashion(name, "", sgd(), 2e-3);
    config.task = Task::Cifar10;
    config.model = cifar_mlp();
    config.batch_size = 128;
    config.epochs = 100;
    config.shuffle = false; // the chapter's CIFAR loaders do not shuffle
    config.early_stopping = Some(EarlyStoppingConfig { patience: 10 });
    // ANCHOR: cifar_steps
    let selu = |m: &mut MlpConfig| {
        m.activation = Activation::Selu;
        m.init = Init::LecunNormal;
        m.standardize_input = true;
    };
    let (optimizer, lr) = match name {
        "cifar-nadam" => nadam(2e-3),
        "cifar-batchnorm" => {
            config.model.normalization = Normalization::BatchNormBefore;
            nadam(2e-3)
        }
        "cifar-selu" => {
            selu(&mut config.model);
            (Some(sgd()), 1e-3)
        }
        "cifar-alpha-dropout" | "cifar-one-cycle" => {
            selu(&mut config.model);
            config.model.dropout = DropoutConfig {
                kind: DropoutKind::Alpha,
                rate: 0.1,
                on_input: false,
            };
            // The chapter steps OneCycleLR once per epoch although it sized it in batches, so
            // its lr barely leaves max_lr/25; here it is stepped per batch, as OneCycle intends.
            if name == "cifar-one-cycle" {
                config.epochs = 60;
                config.early_stopping = Some(EarlyStoppingConfig { patience: 20 });
                config.schedule = ScheduleConfig::OneCycle(OneCycleConfig {
                    max_lr: 1e-2,
                    ..OneCycleConfig::default()
                });
            }
            nadam(1e-3)
        }
        _ => return None,
    };
    // ANCHOR_END: cifar_steps
    config.optimizer = optimizer?;
    config.lr = lr;
    config.description = match name {
        "cifar-nadam" => "step 3: 20×100 Swish, NAdam 2e-3, early stopping",
        "cifar-batchnorm" => "step 4: + BatchNorm before every activation",
        "cifar-selu" => "step 5: SELU, LeCun init, standardized inputs, SGD 1e-3",
        "cifar-alpha-dropout" => "step 6: SELU + alpha dropout 0.1, NAdam 1e-3",
        _ => "step 7: alpha-dropout model with 1cycle (max lr 1e-2), 60 epochs",
    }
    .into();
    Some(config)
}

/// Names of all presets.
pub fn names() -> Vec<String> {
    let mut names: Vec<String> = OPTIMIZERS.iter().map(|o| format!("opt-{o}")).collect();
    names.extend(OPTIMIZERS.iter().map(|o| format!("opt-{o}-1e-3")));
    for schedule in [
        "constant",
        "exponential",
        "step",
        "plateau",
        "warmup",
        "warmup-plateau",
        "one-cycle",
        "cosine",
        "cosine-restarts",
    ] {
        names.push(format!("schedule-{schedule}"));
    }
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
        "cifar-nadam",
        "cifar-batchnorm",
        "cifar-selu",
        "cifar-alpha-dropout",
        "cifar-one-cycle",
    ] {
        names.push(other.into());
    }
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
        "optimizers" => OPTIMIZERS.iter().map(|o| format!("opt-{o}")).collect(),
        "optimizers-1e-3" => OPTIMIZERS.iter().map(|o| format!("opt-{o}-1e-3")).collect(),
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
        assert_eq!(reuse.transfer.map(|t| t.freeze_epochs), Some(10));
        assert_eq!(preset("cifar-nadam").map(|c| c.model.depth), Some(20));
    }
}
