//! What a run is called in legends, tables and the list of earlier runs: by what sets it apart.
//! A guided experiment's runs by the setting it varies ([`run_labels`]); a run the reader starts
//! with Train by the widget's subject and the settings they moved ([`train_label`]).

use book::{Experiment, Language};
use dl101_protocol::field::Input;
use dl101_protocol::settings::{Field, RunSettings};

use super::experiment::experiment_words;

/// At most this many settings in a Train run's label; more are cut with "…".
const MAX_PARTS: usize = 3;

/// One setting as a label part: a named choice stands alone ("adam", "bn-after"), a number
/// goes with its key ("dropout 0.2"), a switch says on or off ("shuffle off").
fn part(language: Language, key: &str, value: &str) -> String {
    let w = experiment_words(language);
    let input = Field::from_key(key).map(Field::input);
    match (key, input) {
        ("step", _) => w.step_run.replace("{step}", value),
        (_, Some(Input::Choice(_))) => value.to_owned(),
        (_, Some(Input::Switch)) => {
            let state = if value == "true" {
                w.switch_on
            } else {
                w.switch_off
            };
            format!("{key} {state}")
        }
        _ => format!("{key} {value}"),
    }
}

/// What a run of `experiment` is called in legends and tables: by what the experiment varies
/// ("dropout 0.2", "bn-after", "cosine", "step 4"); the transfer runs keep their names ("B ← A").
pub fn run_labels(language: Language, experiment: &Experiment) -> Vec<String> {
    let Some(vary) = &experiment.vary else {
        return experiment.choices();
    };
    vary.values
        .iter()
        .map(|value| part(language, &vary.key, value))
        .collect()
}

/// The settings that tell two curves apart: all the widget shows but epochs and data size,
/// which only make a curve longer.
fn telling(fields: &[Field]) -> impl Iterator<Item = &Field> {
    fields
        .iter()
        .filter(|f| !matches!(f, Field::Epochs | Field::FullData))
}

/// The shown settings of `run` that the reader moved away from `base`, as label parts in the
/// order of the controls, the widget's subject first when `subject` is set and it is a named
/// choice (the schedule, the normalization, the clipping mode, the activation). Epochs and data
/// size only make a curve longer, so they are left out.
fn moved(
    language: Language,
    fields: &[Field],
    base: &RunSettings,
    run: &RunSettings,
    subject: bool,
) -> Vec<String> {
    telling(fields)
        .enumerate()
        .filter(|&(i, f)| {
            let named_subject = subject && i == 0 && matches!(f.input(), Input::Choice(_));
            named_subject || f.get(run) != f.get(base)
        })
        .map(|(_, f)| part(language, f.key(), &f.get(run)))
        .collect()
}

/// Label parts joined, at most [`MAX_PARTS`] of them and "…".
fn join(mut parts: Vec<String>) -> String {
    if parts.len() > MAX_PARTS {
        parts.truncate(MAX_PARTS);
        parts.push("…".into());
    }
    parts.join(" · ")
}

/// What a run started with Train is called: the widget's subject when it is a named choice,
/// then what the reader moved away from the widget's start (`base`), e.g. "one-cycle · lr 0.05".
/// A run with nothing moved is named by the widget's first setting ("l1 0", "dropout 0.5").
pub fn train_label(
    language: Language,
    fields: &[Field],
    base: &RunSettings,
    run: &RunSettings,
) -> String {
    let mut parts = moved(language, fields, base, run, true);
    if parts.is_empty()
        && let Some(first) = telling(fields).next()
    {
        parts.push(part(language, first.key(), &first.get(run)));
    }
    join(parts)
}

/// What a run of the CIFAR exercise started with Train is called: its step, then what the
/// reader moved away from that step's recipe ("step 4 · lr 0.003").
pub fn practice_label(
    language: Language,
    step: u32,
    fields: &[Field],
    recipe: &RunSettings,
    run: &RunSettings,
) -> String {
    let mut parts = vec![part(language, "step", &step.to_string())];
    parts.extend(moved(language, fields, recipe, run, false));
    join(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use book::{TRANSFER_RUNS, WidgetKind};
    use dl101_protocol::vocab::{Norm, Schedule};
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn runs_are_named_by_what_the_experiment_varies() {
        let labels = |widget, vary: &str, language| {
            let experiment = Experiment::parse(
                widget,
                &[
                    ("vary".into(), vary.into()),
                    ("measure".into(), "test-accuracy".into()),
                    ("pick".into(), "highest".into()),
                ],
            )
            .expect("valid");
            run_labels(language, &experiment)
        };
        assert_eq!(
            labels(WidgetKind::Regularization, "dropout:0,0.2", Language::Vi),
            ["dropout 0", "dropout 0.2"]
        );
        assert_eq!(
            labels(
                WidgetKind::Normalization,
                "norm:none,bn-after",
                Language::En
            ),
            ["none", "bn-after"]
        );
        assert_eq!(
            labels(WidgetKind::CifarPractice, "step:3,4", Language::Vi),
            ["bước 3", "bước 4"]
        );
        let transfer = Experiment::parse(
            WidgetKind::TransferLearning,
            &[
                ("measure".into(), "test-accuracy".into()),
                ("pick".into(), "highest".into()),
            ],
        )
        .expect("valid");
        assert_eq!(run_labels(Language::En, &transfer), TRANSFER_RUNS);
    }

    #[test]
    fn a_train_run_is_named_by_its_subject_and_what_the_reader_moved() {
        let base = RunSettings::default();
        let label = |kind: WidgetKind, run: &RunSettings, language| {
            train_label(language, kind.fields(), &base, run)
        };
        // The schedule widget's subject leads even when it was not moved.
        let one_cycle = RunSettings {
            schedule: Schedule::OneCycle,
            lr: 0.05,
            epochs: 9,
            ..base.clone()
        };
        assert_eq!(
            label(WidgetKind::LrSchedules, &one_cycle, Language::En),
            "one-cycle · lr 0.05"
        );
        assert_eq!(
            label(WidgetKind::LrSchedules, &base, Language::En),
            "constant"
        );
        // A number subject appears when moved, or alone when nothing was.
        let dropout = RunSettings {
            dropout: 0.2,
            ..base.clone()
        };
        assert_eq!(
            label(WidgetKind::Regularization, &dropout, Language::Vi),
            "dropout 0.2"
        );
        assert_eq!(
            label(WidgetKind::Regularization, &base, Language::Vi),
            "l1 0"
        );
        // Epochs and data size are not what tells two curves apart.
        let longer = RunSettings {
            epochs: 20,
            size: dl101_protocol::settings::DataSize::Full,
            ..base.clone()
        };
        assert_eq!(
            label(WidgetKind::Regularization, &longer, Language::En),
            "l1 0"
        );
        // Many moved settings are cut after three.
        let many = RunSettings {
            norm: Norm::BnAfter,
            depth: 20,
            activation: dl101_protocol::vocab::Activation::Tanh,
            lr: 0.1,
            ..base.clone()
        };
        assert_eq!(
            label(WidgetKind::Normalization, &many, Language::En),
            "bn-after · depth 20 · tanh · …"
        );
    }

    #[test]
    fn a_practice_run_is_named_by_its_step_and_what_moved_from_the_recipe() {
        let fields = WidgetKind::CifarPractice.fields();
        let recipe = RunSettings::default();
        assert_eq!(
            practice_label(Language::Vi, 4, fields, &recipe, &recipe),
            "bước 4"
        );
        let moved = RunSettings {
            lr: 0.003,
            shuffle: false,
            epochs: 30,
            ..recipe.clone()
        };
        assert_eq!(
            practice_label(Language::Vi, 4, fields, &recipe, &moved),
            "bước 4 · lr 0.003 · shuffle tắt"
        );
    }
}
