//! Guided experiments: a question the reader answers before a run, the runs that answer it, what
//! is measured in each, and the chapter's own numbers to show beside the reader's. The answer is
//! read from the reader's run ([`Pick::chosen`]), never written in the lesson.

use dl101_protocol::reference::{EpochRow, Reference};
use dl101_protocol::settings::{Field, RunSettings};
use serde::{Deserialize, Serialize};

use crate::widget::{ParamError, WidgetKind};

dl101_protocol::names!(
    /// What an experiment reads from each run when it ends.
    Measure {
        /// Accuracy on the test split.
        TestAccuracy = "test-accuracy",
        /// Accuracy on the validation split, last epoch.
        ValidAccuracy = "valid-accuracy",
        /// Mean training loss of the last epoch (a diverged run: infinite).
        TrainLoss = "train-loss",
        /// 1 when the loss stopped being finite, else 0.
        Diverged = "diverged",
        /// Train minus validation accuracy, last epoch.
        OverfitGap = "overfit-gap",
        /// ‖∂L/∂W‖ of the first layer ÷ that of the output layer, at the first probe.
        GradRatio = "grad-ratio",
        /// 0.25^depth: the most a gradient keeps through `depth` sigmoid layers.
        GradientBound = "gradient-bound",
        /// f at the end of an optimizer's path on a 2-D surface.
        SurfaceLoss = "surface-loss",
    }
);

impl Measure {
    /// Whether `widget` can report this measure.
    pub fn fits(self, widget: WidgetKind) -> bool {
        use WidgetKind as W;
        match self {
            Measure::GradientBound => widget == W::SigmoidSaturation,
            Measure::SurfaceLoss => widget == W::LossSurface,
            Measure::GradRatio => matches!(
                widget,
                W::SignalPropagation | W::Normalization | W::GradientClipping | W::Regularization
            ),
            Measure::TestAccuracy
            | Measure::ValidAccuracy
            | Measure::TrainLoss
            | Measure::Diverged
            | Measure::OverfitGap => widget.trains(),
        }
    }

    /// Whether the measure is a fraction, shown as a percentage.
    pub fn is_fraction(self) -> bool {
        matches!(
            self,
            Measure::TestAccuracy | Measure::ValidAccuracy | Measure::OverfitGap
        )
    }
}

/// Which runs answer the question.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pick {
    /// The measure is below the value.
    Below(f64),
    /// The measure is above the value.
    Above(f64),
    /// The run(s) with the highest measure.
    Highest,
    /// The run(s) with the lowest measure.
    Lowest,
}

impl Pick {
    fn parse(text: &str) -> Option<Pick> {
        match text {
            "highest" => Some(Pick::Highest),
            "lowest" => Some(Pick::Lowest),
            _ => {
                let (kind, value) = text.split_once(':')?;
                let value: f64 = value.parse().ok().filter(|v: &f64| v.is_finite())?;
                match kind {
                    "below" => Some(Pick::Below(value)),
                    "above" => Some(Pick::Above(value)),
                    _ => None,
                }
            }
        }
    }

    /// Which of the measured runs meet the condition (`None`: the run gave no number). NaN
    /// counts as no number; a tie at the extreme picks every run that reaches it.
    pub fn chosen(self, values: &[Option<f64>]) -> Vec<bool> {
        let finite = |v: &Option<f64>| v.filter(|x| !x.is_nan());
        let extreme = |better: fn(f64, f64) -> bool| {
            values
                .iter()
                .filter_map(finite)
                .reduce(|a, b| if better(b, a) { b } else { a })
        };
        let target = match self {
            Pick::Highest => extreme(|b, a| b > a),
            Pick::Lowest => extreme(|b, a| b < a),
            _ => None,
        };
        values
            .iter()
            .map(|v| match (self, finite(v)) {
                (_, None) => false,
                (Pick::Below(x), Some(v)) => v < x,
                (Pick::Above(x), Some(v)) => v > x,
                (Pick::Highest | Pick::Lowest, Some(v)) => target == Some(v),
            })
            .collect()
    }
}

/// The runs of an experiment: one per value of one setting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Vary {
    /// The setting's key (a settings-table key, or `step` for the CIFAR exercise).
    pub key: String,
    /// Its values, one run each, as written.
    pub values: Vec<String>,
}

/// One guided experiment of a widget.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Experiment {
    /// The widget it drives (the one just before it in the lesson).
    pub widget: WidgetKind,
    /// The runs (none for transfer learning, whose runs are fixed).
    pub vary: Option<Vary>,
    /// Settings shared by every run, `key=value` as written (checked against the table).
    pub settings: Vec<(String, String)>,
    /// What is read from each run.
    pub measure: Measure,
    /// Which runs answer the question.
    pub pick: Pick,
    /// The chapter's number per run, if it has one.
    pub chapter: Vec<Option<f64>>,
    /// The runner's preset that reproduces each run at the chapter's settings, if any
    /// (`reference=`); the lesson compiler fills [`Experiment::references`] from them.
    pub reference_names: Vec<Option<String>>,
    /// The chapter's run of each choice, drawn faded under the reader's.
    pub references: Vec<Option<Reference>>,
    /// The site path of the static figure of those runs (SVG, written with the site), if any.
    #[serde(default)]
    pub figure: Option<String>,
    /// The question (HTML), asked before the run.
    pub question: String,
    /// Why (HTML), shown after the run.
    pub answer: String,
}

/// The runs of the transfer-learning widget an experiment compares: reused layers, from scratch.
pub const TRANSFER_RUNS: [&str; 2] = ["B ← A", "B"];

/// Most runs in one experiment.
pub const MAX_RUNS: usize = 9;

impl Experiment {
    /// The reader's choices: one per run, labelled by the varied value.
    pub fn choices(&self) -> Vec<String> {
        match &self.vary {
            Some(vary) => vary.values.clone(),
            None => TRANSFER_RUNS.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// The shared settings applied to `base` (checked when the lesson was built).
    pub fn apply_shared(&self, base: &RunSettings) -> RunSettings {
        let mut settings = base.clone();
        for (key, value) in &self.settings {
            if let Some(field) = Field::from_key(key) {
                let _ = field.set(&mut settings, value);
            }
        }
        settings
    }

    /// The settings of each run from `base`: shared settings, then the varied value when it is a
    /// setting of the table (the CIFAR step and the sigmoid depth are the widget's to apply).
    pub fn runs(&self, base: &RunSettings) -> Vec<RunSettings> {
        let shared = self.apply_shared(base);
        match &self.vary {
            Some(vary) => vary
                .values
                .iter()
                .map(|value| {
                    let mut run = shared.clone();
                    if let Some(field) = Field::from_key(&vary.key) {
                        let _ = field.set(&mut run, value);
                    }
                    run
                })
                .collect(),
            None => vec![shared],
        }
    }

    /// The chapter's runs as (choice, epochs), for charts and figures.
    pub fn reference_runs(&self) -> Vec<(String, &[EpochRow])> {
        self.choices()
            .into_iter()
            .zip(&self.references)
            .filter_map(|(choice, r)| r.as_ref().map(|r| (choice, r.epochs.as_slice())))
            .collect()
    }

    /// Parses the `key=value` pairs of an `{{#experiment}}` for `widget`; the question and the
    /// answer are filled in by the lesson compiler.
    ///
    /// # Errors
    /// A missing or unknown parameter, a setting the widget does not show, a value out of its
    /// range, a measure the widget cannot report, or a `chapter` list of the wrong length.
    pub fn parse(widget: WidgetKind, pairs: &[(String, String)]) -> Result<Experiment, ParamError> {
        let fail = |message: String| Err(ParamError(message));
        let mut vary = None;
        let mut measure = None;
        let mut pick = None;
        let mut chapter_text = None;
        let mut reference_text = None;
        let mut settings = Vec::new();
        for (key, value) in pairs {
            if pairs.iter().filter(|(k, _)| k == key).count() > 1 {
                return fail(format!("experiment parameter \"{key}\" is given twice"));
            }
            match key.as_str() {
                "vary" => vary = Some(parse_vary(widget, value)?),
                "measure" => {
                    let m = Measure::from_name(value).ok_or_else(|| {
                        ParamError(format!(
                            "measure \"{value}\" is not one of: {}",
                            Measure::NAMES.join(", ")
                        ))
                    })?;
                    if !m.fits(widget) {
                        return fail(format!(
                            "widget \"{widget}\" cannot measure \"{value}\"; it can: {}",
                            Measure::ALL
                                .iter()
                                .filter(|m| m.fits(widget))
                                .map(|m| m.name())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ));
                    }
                    measure = Some(m);
                }
                "pick" => {
                    pick = Some(Pick::parse(value).ok_or_else(|| {
                        ParamError(format!(
                            "pick \"{value}\" is not below:NUMBER, above:NUMBER, highest or lowest"
                        ))
                    })?);
                }
                "chapter" => chapter_text = Some(value.clone()),
                "reference" => reference_text = Some(value.clone()),
                _ => {
                    let field = shown_field(widget, key)?;
                    let mut probe = RunSettings::default();
                    field.set(&mut probe, value).map_err(|invalid| {
                        ParamError(format!(
                            "experiment setting \"{key}\": \"{value}\" is not {}",
                            invalid.expected()
                        ))
                    })?;
                    settings.push((key.clone(), value.clone()));
                }
            }
        }
        let measure = measure.ok_or_else(|| ParamError("an experiment needs measure=…".into()))?;
        let pick = pick.ok_or_else(|| ParamError("an experiment needs pick=…".into()))?;
        match (&vary, widget) {
            (Some(_), WidgetKind::TransferLearning) => {
                return fail(format!(
                    "a transfer-learning experiment takes no vary: its runs are {}",
                    TRANSFER_RUNS.join(" and ")
                ));
            }
            (None, kind) if kind != WidgetKind::TransferLearning => {
                return fail("an experiment needs vary=KEY:V1,V2,… (its runs)".into());
            }
            _ => {}
        }
        if let Some(vary) = &vary
            && settings.iter().any(|(k, _)| *k == vary.key)
        {
            return fail(format!(
                "\"{}\" is varied and cannot also be set for every run",
                vary.key
            ));
        }
        let mut experiment = Experiment {
            widget,
            vary,
            settings,
            measure,
            pick,
            chapter: Vec::new(),
            reference_names: Vec::new(),
            references: Vec::new(),
            figure: None,
            question: String::new(),
            answer: String::new(),
        };
        let runs = experiment.choices().len();
        let per_run = |name: &str, text: &Option<String>| -> Result<Vec<String>, ParamError> {
            match text {
                None => Ok(vec!["-".into(); runs]),
                Some(text) => {
                    let list: Vec<String> = text.split(',').map(str::to_string).collect();
                    if list.len() == runs {
                        Ok(list)
                    } else {
                        Err(ParamError(format!(
                            "{name} has {} entries for {runs} runs (use - where there is none)",
                            list.len()
                        )))
                    }
                }
            }
        };
        experiment.reference_names = per_run("reference", &reference_text)?
            .into_iter()
            .map(|name| (name != "-").then_some(name))
            .collect();
        experiment.chapter = match chapter_text {
            None => vec![None; runs],
            Some(_) => {
                let list = per_run("chapter", &chapter_text)?;
                let mut numbers = Vec::new();
                for item in list {
                    numbers.push(match item.as_str() {
                        "-" => None,
                        _ => Some(
                            item.parse::<f64>()
                                .ok()
                                .filter(|v| v.is_finite())
                                .ok_or_else(|| {
                                    ParamError(format!("chapter number \"{item}\" is not a number"))
                                })?,
                        ),
                    });
                }
                numbers
            }
        };
        Ok(experiment)
    }
}

/// A setting `widget` shows to the reader (its controls), by key.
fn shown_field(widget: WidgetKind, key: &str) -> Result<Field, ParamError> {
    Field::from_key(key)
        .filter(|field| widget.fields().contains(field))
        .ok_or_else(|| {
            ParamError(format!(
                "widget \"{widget}\" has no setting \"{key}\"; it shows: {}",
                widget
                    .fields()
                    .iter()
                    .map(|f| f.key())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
}

fn parse_vary(widget: WidgetKind, text: &str) -> Result<Vary, ParamError> {
    let (key, values) = text
        .split_once(':')
        .ok_or_else(|| ParamError(format!("vary \"{text}\" is not KEY:V1,V2,…")))?;
    let values: Vec<String> = values.split(',').map(str::to_string).collect();
    if !(2..=MAX_RUNS).contains(&values.len()) {
        return Err(ParamError(format!(
            "vary needs 2 to {MAX_RUNS} values, got {}",
            values.len()
        )));
    }
    if values
        .iter()
        .enumerate()
        .any(|(i, v)| values[..i].contains(v))
    {
        return Err(ParamError(format!("vary \"{text}\" repeats a value")));
    }
    if widget.runs_key() == Some(key) && key == "step" {
        for value in &values {
            match value.parse::<u32>() {
                Ok(step) if dl101_protocol::chapter::CIFAR_STEPS.contains(&step) => {}
                _ => {
                    return Err(ParamError(format!(
                        "vary step \"{value}\" is not a step of the exercise (3 to 7)"
                    )));
                }
            }
        }
    } else {
        let field = match Field::from_key(key) {
            Some(field) if widget.runs_key() == Some(key) => field,
            _ => shown_field(widget, key)?,
        };
        for value in &values {
            let mut probe = RunSettings::default();
            field.set(&mut probe, value).map_err(|invalid| {
                ParamError(format!(
                    "vary {key}: \"{value}\" is not {}",
                    invalid.expected()
                ))
            })?;
        }
    }
    Ok(Vary {
        key: key.to_string(),
        values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(String, String)> {
        text.split_whitespace()
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn parse(widget: WidgetKind, text: &str) -> Result<Experiment, String> {
        Experiment::parse(widget, &pairs(text)).map_err(|e| e.0)
    }

    #[test]
    fn a_race_experiment_makes_one_run_per_optimizer_with_the_shared_settings() {
        let e = parse(
            WidgetKind::OptimizerRace,
            "vary=optimizer:sgd,adam measure=test-accuracy pick=below:0.5 chapter=0.871,- lr=0.05 epochs=2",
        )
        .unwrap();
        assert_eq!(e.choices(), vec!["sgd", "adam"]);
        assert_eq!(e.chapter, vec![Some(0.871), None]);
        let runs = e.runs(&RunSettings::default());
        assert_eq!(runs.len(), 2);
        assert_eq!(
            runs[1].optimizer,
            dl101_protocol::vocab::Optimizer::Adam,
            "varied"
        );
        assert!(runs.iter().all(|r| r.lr == 0.05 && r.epochs == 2), "shared");
    }

    #[test]
    fn settings_are_held_to_the_widget_and_the_table() {
        let cases = [
            (
                WidgetKind::Normalization,
                "vary=norm:none,ln measure=test-accuracy pick=highest clip=norm",
                "has no setting \"clip\"",
            ),
            (
                WidgetKind::Normalization,
                "vary=norm:none,layer measure=test-accuracy pick=highest",
                "\"layer\"",
            ),
            (
                WidgetKind::OptimizerRace,
                "vary=optimizer:sgd,adam measure=test-accuracy pick=highest lr=3",
                "\"lr\"",
            ),
            (
                WidgetKind::OptimizerRace,
                "vary=optimizer:sgd measure=test-accuracy pick=highest",
                "2 to 9 values",
            ),
            (
                WidgetKind::OptimizerRace,
                "vary=optimizer:sgd,adam measure=grad-ratio pick=highest",
                "cannot measure",
            ),
            (
                WidgetKind::OptimizerRace,
                "vary=optimizer:sgd,adam measure=test-accuracy pick=best",
                "highest or lowest",
            ),
            (
                WidgetKind::OptimizerRace,
                "vary=optimizer:sgd,adam measure=test-accuracy pick=highest chapter=0.8",
                "1 entries for 2 runs",
            ),
            (
                WidgetKind::TransferLearning,
                "vary=lr:0.1,0.01 measure=test-accuracy pick=highest",
                "takes no vary",
            ),
            (
                WidgetKind::Regularization,
                "measure=test-accuracy pick=highest",
                "needs vary",
            ),
            (
                WidgetKind::CifarPractice,
                "vary=step:3,9 measure=valid-accuracy pick=highest",
                "3 to 7",
            ),
            (
                WidgetKind::LrSchedules,
                "vary=schedule:constant,cosine measure=test-accuracy pick=highest schedule=step",
                "cannot also be set",
            ),
        ];
        for (widget, text, expected) in cases {
            let err = parse(widget, text).unwrap_err();
            assert!(err.contains(expected), "{text}: {err}");
        }
        assert!(
            parse(
                WidgetKind::TransferLearning,
                "measure=test-accuracy pick=highest"
            )
            .is_ok()
        );
        assert!(
            parse(
                WidgetKind::SigmoidSaturation,
                "vary=depth:5,50 measure=gradient-bound pick=below:1e-6"
            )
            .is_ok()
        );
        assert!(
            parse(
                WidgetKind::LossSurface,
                "vary=optimizer:sgd,adam measure=surface-loss pick=lowest lr=0.01"
            )
            .is_ok()
        );
    }

    #[test]
    fn the_answer_is_read_from_the_values() {
        let values = [Some(0.9), Some(0.2), None, Some(f64::NAN), Some(0.9)];
        assert_eq!(
            Pick::Below(0.5).chosen(&values),
            vec![false, true, false, false, false]
        );
        assert_eq!(
            Pick::Above(0.5).chosen(&values),
            vec![true, false, false, false, true]
        );
        assert_eq!(
            Pick::Highest.chosen(&values),
            vec![true, false, false, false, true]
        );
        assert_eq!(
            Pick::Lowest.chosen(&values),
            vec![false, true, false, false, false]
        );
        assert_eq!(
            Pick::Below(f64::INFINITY).chosen(&[Some(f64::INFINITY)]),
            vec![false]
        );
    }
}
