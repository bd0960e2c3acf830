//! The chapter's CIFAR-10 exercise as run settings: one definition that the page's practice
//! widget and the runner's `cifar-*` presets both start from, so the two cannot drift apart.

use crate::vocab::{Activation, DropoutKind, Init, Norm, Optimizer, Schedule};

use crate::settings::{DataSet, DataSize, RunSettings};

/// RMSProp's α in the chapter's optimizer comparison (the page's β₂ setting carries it).
pub const RACE_RMSPROP_ALPHA: f64 = 0.9;
/// AdamW's decoupled weight decay λ in the chapter's optimizer comparison.
pub const RACE_ADAMW_DECAY: f64 = 1e-5;

/// One run of the chapter's optimizer comparison from `base`: `optimizer` with the chapter's own
/// settings for it (RMSProp α = 0.9, AdamW λ = 1e-5; the others keep torch's defaults). The race
/// widget and the runner's `opt-*` presets both build their optimizers from it.
pub fn race_run(optimizer: Optimizer, base: &RunSettings) -> RunSettings {
    let mut run = RunSettings {
        optimizer,
        ..base.clone()
    };
    match optimizer {
        Optimizer::Rmsprop => run.beta2 = RACE_RMSPROP_ALPHA,
        Optimizer::Adamw => run.weight_decay = RACE_ADAMW_DECAY,
        _ => {}
    }
    run
}

/// The exercise's steps that train a network, first to last (steps 1 and 2 load the data and
/// build the model).
pub const CIFAR_STEPS: std::ops::RangeInclusive<u32> = 3..=7;

/// Step `step` of the exercise as the chapter runs it: full data, its epochs and patience.
/// The widget shortens the epochs; the runner keeps them. `None` outside [`CIFAR_STEPS`].
pub fn cifar_step(step: u32) -> Option<RunSettings> {
    if !CIFAR_STEPS.contains(&step) {
        return None;
    }
    // ANCHOR: cifar_step3
    // Step 3: 20 hidden layers of 100 SiLU units, He (Kaiming-uniform) init, NAdam 2e-3, early
    // stopping with patience 10. The lesson's loader reshuffles every epoch.
    let mut s = RunSettings {
        data: DataSet::Cifar10,
        size: DataSize::Full,
        depth: 20,
        width: 100,
        activation: Activation::Swish,
        init: Init::HeUniform,
        optimizer: Optimizer::Nadam,
        lr: 2e-3,
        batch_size: 128,
        epochs: 100,
        patience: 10,
        shuffle: true,
        probe_every: 0,
        ..RunSettings::default()
    };
    // ANCHOR_END: cifar_step3
    // ANCHOR: cifar_steps
    let selu = |s: &mut RunSettings| {
        s.activation = Activation::Selu;
        s.init = Init::LecunNormal;
        s.standardize = true;
    };
    match step {
        4 => s.norm = Norm::BnBefore,
        5 => {
            selu(&mut s);
            s.optimizer = Optimizer::Sgd;
            s.lr = 1e-3;
        }
        6 | 7 => {
            selu(&mut s);
            s.dropout = 0.1;
            s.dropout_kind = DropoutKind::Alpha;
            s.lr = 1e-3;
            if step == 7 {
                // OneCycleLR(max_lr=1e-2) with PyTorch's default pct_start of 0.3, 60 epochs.
                s.schedule = Schedule::OneCycle;
                s.lr = 1e-2;
                s.schedule_factor = 0.3;
                s.epochs = 60;
                s.patience = 20;
            }
        }
        _ => {}
    }
    // ANCHOR_END: cifar_steps
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_is_valid_and_changes_something() {
        let steps: Vec<RunSettings> = CIFAR_STEPS.filter_map(cifar_step).collect();
        assert_eq!(steps.len(), 5);
        for (i, s) in steps.iter().enumerate() {
            assert_eq!(s.check(), Ok(()), "step {}", i + 3);
            assert!(s.shuffle, "the lesson's loader shuffles (step {})", i + 3);
        }
        for pair in steps.windows(2) {
            assert_ne!(pair[0], pair[1]);
        }
        assert_eq!(cifar_step(2), None);
        assert_eq!(cifar_step(8), None);
    }

    #[test]
    fn the_chapter_numbers() {
        let step = |n| cifar_step(n).unwrap_or_default();
        assert_eq!(step(3).init, Init::HeUniform);
        assert_eq!(step(4).norm, Norm::BnBefore);
        assert_eq!((step(5).optimizer, step(5).lr), (Optimizer::Sgd, 1e-3));
        let one_cycle = step(7);
        assert_eq!(one_cycle.schedule, Schedule::OneCycle);
        assert_eq!(one_cycle.schedule_factor, 0.3, "PyTorch's pct_start");
        assert_eq!(
            (one_cycle.lr, one_cycle.epochs, one_cycle.patience),
            (1e-2, 60, 20)
        );
    }
}
