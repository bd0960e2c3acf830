//! What each widget directive trains: its starting settings, the fields it exposes and the
//! panels it draws. Pure data, tested in the browser's test run.

use book::WidgetSpec;
use dl101_protocol::chapter::{CIFAR_STEPS, cifar_step};
use dl101_protocol::settings::{DataSize, RunSettings};
use dl101_protocol::vocab::DropoutKind;
use dl101_protocol::vocab::Optimizer;

use super::fields::Field;

/// What a training widget shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Panel {
    Loss,
    Accuracy,
    GradBars,
    GradHeatmap,
    Activations,
    Lr,
    LrPreview,
    Clip,
    WeightHistograms,
    Curves,
    /// MC-dropout predictions, with the directive's number of dropout samples.
    Predictions {
        samples: u32,
    },
    Results,
}

/// A training widget's starting point: settings, the fields it exposes and what it draws.
pub(super) struct Setup {
    pub(super) base: RunSettings,
    pub(super) fields: Vec<Field>,
    pub(super) views: Vec<Panel>,
    /// What the widget adds to the fields.
    pub(super) extra: Extra,
}

/// What a training widget adds to its fields, one kind at most.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Extra {
    /// Nothing.
    None,
    /// Optimizers raced side by side (one run each), picked by checkboxes.
    Race(Vec<Optimizer>),
    /// Transfer learning, with its frozen epochs on a slider.
    Transfer { freeze_epochs: u32 },
    /// The CIFAR-10 exercise, with its step in a list.
    Practice { step: u32 },
}

/// A step of the CIFAR-10 exercise as the chapter defines it, shortened to the widget's 10
/// epochs on the quick subset (the reader can switch to full data).
pub(super) fn practice_step(step: u32) -> RunSettings {
    let chapter =
        cifar_step(step).unwrap_or_else(|| cifar_step(*CIFAR_STEPS.start()).unwrap_or_default());
    RunSettings {
        size: DataSize::Quick,
        epochs: 10,
        ..chapter
    }
}

pub(super) fn setup(spec: &WidgetSpec) -> Setup {
    use Panel as V;
    let base = RunSettings::default();
    let fields = spec.kind().fields().to_vec();
    let plain = |views: Vec<Panel>, base: RunSettings| Setup {
        base,
        fields: fields.clone(),
        views,
        extra: Extra::None,
    };
    match spec {
        WidgetSpec::SignalPropagation {
            depth,
            width,
            activation,
            init,
        } => plain(
            vec![V::Activations, V::GradBars, V::GradHeatmap, V::Loss],
            RunSettings {
                depth: *depth,
                width: *width,
                activation: *activation,
                init: *init,
                probe_every: 10,
                epochs: 1,
                ..base
            },
        ),
        WidgetSpec::ActivationExplorer { activation } => plain(
            vec![V::Curves, V::Loss, V::Accuracy],
            RunSettings {
                activation: *activation,
                depth: 5,
                epochs: 3,
                ..base
            },
        ),
        WidgetSpec::Normalization { norm } => plain(
            vec![V::Loss, V::Accuracy, V::GradBars],
            RunSettings {
                norm: *norm,
                depth: 10,
                lr: 0.05,
                epochs: 3,
                probe_every: 25,
                ..base
            },
        ),
        WidgetSpec::GradientClipping { clip, threshold } => plain(
            vec![V::Clip, V::Loss, V::GradBars],
            RunSettings {
                clip: *clip,
                clip_threshold: *threshold,
                depth: 10,
                init: dl101_protocol::vocab::Init::Normal,
                lr: 0.01,
                epochs: 2,
                probe_every: 5,
                ..base
            },
        ),
        WidgetSpec::TransferLearning { freeze_epochs } => Setup {
            base: RunSettings {
                lr: 0.005,
                epochs: 3,
                ..base
            },
            fields: fields.clone(),
            views: vec![V::Results, V::Loss, V::Accuracy],
            extra: Extra::Transfer {
                freeze_epochs: *freeze_epochs,
            },
        },
        WidgetSpec::OptimizerRace { optimizers, lr } => Setup {
            base: RunSettings {
                lr: *lr,
                epochs: 3,
                ..base
            },
            fields: fields.clone(),
            views: vec![V::Loss, V::Accuracy, V::Results],
            extra: Extra::Race(optimizers.clone()),
        },
        WidgetSpec::LrSchedules { schedule } => plain(
            vec![V::LrPreview, V::Lr, V::Loss, V::Accuracy],
            RunSettings {
                schedule: *schedule,
                optimizer: Optimizer::Momentum,
                lr: 0.05,
                epochs: 6,
                ..base
            },
        ),
        WidgetSpec::Regularization {
            l1,
            l2,
            dropout,
            max_norm,
        } => plain(
            vec![V::Accuracy, V::Loss, V::WeightHistograms],
            RunSettings {
                l1: *l1,
                l2: *l2,
                dropout: *dropout,
                max_norm: *max_norm,
                epochs: 5,
                probe_every: 50,
                ..base
            },
        ),
        WidgetSpec::McDropout { samples } => plain(
            vec![V::Predictions { samples: *samples }, V::Loss, V::Accuracy],
            RunSettings {
                dropout: 0.2,
                dropout_kind: DropoutKind::Mc,
                epochs: 3,
                ..base
            },
        ),
        WidgetSpec::CifarPractice { step } => Setup {
            extra: Extra::Practice { step: *step },
            ..plain(vec![V::Results, V::Loss, V::Accuracy], practice_step(*step))
        },
        // Drawn by their own components.
        WidgetSpec::SigmoidSaturation { .. } | WidgetSpec::LossSurface { .. } => {
            plain(vec![], base)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn each_widget_brings_its_own_extra_and_only_it() {
        let parse = |name: &str, pairs: &[(&str, &str)]| {
            let pairs: Vec<(String, String)> = pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            setup(&WidgetSpec::parse(name, &pairs).expect("valid directive")).extra
        };
        assert_eq!(
            parse("optimizer-race", &[("optimizers", "adam,sgd")]),
            Extra::Race(vec![Optimizer::Adam, Optimizer::Sgd])
        );
        assert_eq!(
            parse("transfer-learning", &[("freeze-epochs", "7")]),
            Extra::Transfer { freeze_epochs: 7 }
        );
        assert_eq!(
            parse("cifar-practice", &[("step", "6")]),
            Extra::Practice { step: 6 }
        );
        for name in [
            "regularization",
            "normalization",
            "lr-schedules",
            "mc-dropout",
        ] {
            assert_eq!(parse(name, &[]), Extra::None, "{name}");
        }
    }

    #[test]
    fn mc_dropout_uses_the_directives_number_of_samples() {
        let setup = setup(&WidgetSpec::McDropout { samples: 30 });
        assert!(
            setup.views.contains(&Panel::Predictions { samples: 30 }),
            "{:?}",
            setup.views
        );
    }

    #[test]
    fn the_practice_steps_are_the_chapters_with_fewer_epochs() {
        for step in CIFAR_STEPS {
            let widget = practice_step(step);
            let chapter = cifar_step(step).unwrap_or_default();
            assert_eq!(widget.epochs, 10);
            assert_eq!(widget.size, DataSize::Quick);
            let same = RunSettings {
                epochs: chapter.epochs,
                size: chapter.size,
                ..widget
            };
            assert_eq!(same, chapter, "step {step}");
        }
        let one_cycle = practice_step(7);
        assert_eq!(one_cycle.schedule_factor, 0.3, "1cycle's pct_start");
        assert!(practice_step(3).shuffle, "lesson 09's loader shuffles");
        assert_eq!(
            practice_step(3).init,
            dl101_protocol::vocab::Init::HeUniform
        );
    }
}
