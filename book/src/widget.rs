//! Typed widget specs: what a `{{#widget NAME key=value …}}` directive asks for, checked against
//! the allowed parameters, ranges and names of each widget.

use std::fmt;

use dl101_protocol::field::Value;
use dl101_protocol::settings::Field;
use dl101_protocol::vocab::{
    Activation, ClipMode, Init, Named, Norm, Optimizer, Schedule, Surface,
};
use serde::{Deserialize, Serialize};

dl101_protocol::names!(
    /// The widgets a lesson can embed.
    WidgetKind {
        SigmoidSaturation = "sigmoid-saturation", SignalPropagation = "signal-propagation",
        ActivationExplorer = "activation-explorer", Normalization = "normalization",
        GradientClipping = "gradient-clipping", TransferLearning = "transfer-learning",
        OptimizerRace = "optimizer-race", LossSurface = "loss-surface", LrSchedules = "lr-schedules",
        Regularization = "regularization", McDropout = "mc-dropout", CifarPractice = "cifar-practice",
    }
);

impl WidgetKind {
    /// The settings the widget shows to the reader, in the order of its controls. The same
    /// list bounds what its guided experiments may set.
    pub fn fields(self) -> &'static [Field] {
        use Field as F;
        match self {
            WidgetKind::SigmoidSaturation => &[F::Depth],
            WidgetKind::SignalPropagation => &[
                F::Depth,
                F::Width,
                F::Activation,
                F::Init,
                F::Norm,
                F::Lr,
                F::Epochs,
            ],
            WidgetKind::ActivationExplorer => &[
                F::Activation,
                F::ActivationParam,
                F::Depth,
                F::Init,
                F::Lr,
                F::Epochs,
            ],
            WidgetKind::Normalization => &[
                F::Norm,
                F::Depth,
                F::Activation,
                F::Init,
                F::Lr,
                F::Epochs,
                F::FullData,
            ],
            WidgetKind::GradientClipping => &[
                F::Clip,
                F::ClipThreshold,
                F::Lr,
                F::Depth,
                F::Init,
                F::Epochs,
            ],
            WidgetKind::TransferLearning => &[F::Lr, F::Epochs],
            WidgetKind::OptimizerRace => &[F::Lr, F::BatchSize, F::Epochs, F::FullData, F::Seed],
            WidgetKind::LossSurface => &[F::Lr, F::Momentum],
            WidgetKind::LrSchedules => &[
                F::Schedule,
                F::ScheduleFactor,
                F::SchedulePeriod,
                F::Lr,
                F::Optimizer,
                F::Epochs,
            ],
            WidgetKind::Regularization => &[
                F::L1,
                F::L2,
                F::Dropout,
                F::MaxNorm,
                F::WeightDecay,
                F::Epochs,
                F::FullData,
            ],
            WidgetKind::McDropout => &[F::Dropout, F::Epochs, F::Lr],
            WidgetKind::CifarPractice => &[F::Epochs, F::Lr, F::Patience, F::Shuffle, F::FullData],
        }
    }

    /// The key of the widget's own list of runs, when it has one besides its settings: the raced
    /// optimizers, the optimizers on a surface, the exercise's step, the sigmoid's depth.
    pub fn runs_key(self) -> Option<&'static str> {
        match self {
            WidgetKind::OptimizerRace | WidgetKind::LossSurface => Some("optimizer"),
            WidgetKind::CifarPractice => Some("step"),
            WidgetKind::SigmoidSaturation => Some("depth"),
            _ => None,
        }
    }

    /// Whether the widget trains a network (all but the sigmoid curves and the surfaces).
    pub fn trains(self) -> bool {
        !matches!(
            self,
            WidgetKind::SigmoidSaturation | WidgetKind::LossSurface
        )
    }
}

/// A widget with every parameter checked and defaulted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "widget", rename_all = "kebab-case")]
pub enum WidgetSpec {
    /// σ and σ′, and the product of derivatives through `depth` layers.
    SigmoidSaturation { depth: u32 },
    /// Activation and gradient statistics per layer at initialization.
    SignalPropagation {
        depth: u32,
        width: u32,
        activation: Activation,
        init: Init,
    },
    /// Every activation and its derivative, and a short training run.
    ActivationExplorer { activation: Activation },
    /// A deep net with and without batch/layer normalization.
    Normalization { norm: Norm },
    /// Exploding gradients and clipping.
    GradientClipping { clip: ClipMode, threshold: f64 },
    /// Task A → task B with frozen then unfrozen layers.
    TransferLearning { freeze_epochs: u32 },
    /// Optimizers racing on Fashion-MNIST.
    OptimizerRace { optimizers: Vec<Optimizer>, lr: f64 },
    /// Optimizer paths on a 2-D surface.
    LossSurface {
        surface: Surface,
        optimizers: Vec<Optimizer>,
        lr: f64,
    },
    /// Learning-rate schedules: curves and training.
    LrSchedules { schedule: Schedule },
    /// L1, L2, dropout and max-norm.
    Regularization {
        l1: f64,
        l2: f64,
        dropout: f64,
        max_norm: f64,
    },
    /// Monte-Carlo dropout on test images.
    McDropout { samples: u32 },
    /// The CIFAR-10 exercise, one step at a time.
    CifarPractice { step: u32 },
}

/// A directive parameter that is unknown, malformed or out of range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamError(pub String);

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParamError {}

impl WidgetSpec {
    /// Which widget this is.
    pub fn kind(&self) -> WidgetKind {
        match self {
            WidgetSpec::SigmoidSaturation { .. } => WidgetKind::SigmoidSaturation,
            WidgetSpec::SignalPropagation { .. } => WidgetKind::SignalPropagation,
            WidgetSpec::ActivationExplorer { .. } => WidgetKind::ActivationExplorer,
            WidgetSpec::Normalization { .. } => WidgetKind::Normalization,
            WidgetSpec::GradientClipping { .. } => WidgetKind::GradientClipping,
            WidgetSpec::TransferLearning { .. } => WidgetKind::TransferLearning,
            WidgetSpec::OptimizerRace { .. } => WidgetKind::OptimizerRace,
            WidgetSpec::LossSurface { .. } => WidgetKind::LossSurface,
            WidgetSpec::LrSchedules { .. } => WidgetKind::LrSchedules,
            WidgetSpec::Regularization { .. } => WidgetKind::Regularization,
            WidgetSpec::McDropout { .. } => WidgetKind::McDropout,
            WidgetSpec::CifarPractice { .. } => WidgetKind::CifarPractice,
        }
    }

    /// Builds a spec from a widget name and `key=value` pairs, as written in a directive or a URL.
    ///
    /// # Errors
    /// An unknown widget, an unknown or repeated key, a malformed value, or a value out of range;
    /// the message lists what is allowed.
    pub fn parse(name: &str, pairs: &[(String, String)]) -> Result<WidgetSpec, ParamError> {
        let kind = WidgetKind::from_name(name).ok_or_else(|| {
            ParamError(format!(
                "unknown widget \"{name}\"; expected one of: {}",
                WidgetKind::all_names().join(", ")
            ))
        })?;
        let mut params = Params::new(name, pairs)?;
        let spec = match kind {
            WidgetKind::SigmoidSaturation => WidgetSpec::SigmoidSaturation {
                depth: params.field(Field::Depth, 10)?,
            },
            WidgetKind::SignalPropagation => WidgetSpec::SignalPropagation {
                depth: params.field(Field::Depth, 50)?,
                width: params.field(Field::Width, 100)?,
                activation: params.field(Field::Activation, Activation::Sigmoid)?,
                init: params.field(Field::Init, Init::Normal)?,
            },
            WidgetKind::ActivationExplorer => WidgetSpec::ActivationExplorer {
                activation: params.field(Field::Activation, Activation::Relu)?,
            },
            WidgetKind::Normalization => WidgetSpec::Normalization {
                norm: params.field(Field::Norm, Norm::BnAfter)?,
            },
            WidgetKind::GradientClipping => WidgetSpec::GradientClipping {
                clip: params.field(Field::Clip, ClipMode::Norm)?,
                threshold: params.field(Field::ClipThreshold, 1.0)?,
            },
            WidgetKind::TransferLearning => WidgetSpec::TransferLearning {
                freeze_epochs: params.int("freeze-epochs", 0, 20, 4)?,
            },
            WidgetKind::OptimizerRace => WidgetSpec::OptimizerRace {
                optimizers: params.list("optimizers", Optimizer::ALL)?,
                lr: params.field(Field::Lr, 0.05)?,
            },
            WidgetKind::LossSurface => WidgetSpec::LossSurface {
                surface: params.named("surface", Surface::Ravine)?,
                optimizers: params.list(
                    "optimizers",
                    &[Optimizer::Sgd, Optimizer::Momentum, Optimizer::Adam],
                )?,
                lr: params.field(Field::Lr, 0.01)?,
            },
            WidgetKind::LrSchedules => WidgetSpec::LrSchedules {
                schedule: params.field(Field::Schedule, Schedule::Exponential)?,
            },
            WidgetKind::Regularization => WidgetSpec::Regularization {
                l1: params.field(Field::L1, 0.0)?,
                l2: params.field(Field::L2, 0.0)?,
                dropout: params.field(Field::Dropout, 0.0)?,
                max_norm: params.field(Field::MaxNorm, 0.0)?,
            },
            WidgetKind::McDropout => WidgetSpec::McDropout {
                samples: params.int("samples", 1, 1000, 100)?,
            },
            WidgetKind::CifarPractice => WidgetSpec::CifarPractice {
                step: params.int("step", 3, 7, 3)?,
            },
        };
        params.finish()?;
        Ok(spec)
    }
}

/// The `key=value` pairs of one directive, consumed parameter by parameter.
struct Params<'a> {
    widget: &'a str,
    pairs: Vec<(&'a str, &'a str)>,
    known: Vec<&'static str>,
}

impl<'a> Params<'a> {
    fn new(widget: &'a str, pairs: &'a [(String, String)]) -> Result<Self, ParamError> {
        let mut seen: Vec<&str> = Vec::new();
        for (key, _) in pairs {
            if seen.contains(&key.as_str()) {
                return Err(ParamError(format!(
                    "parameter \"{key}\" of widget \"{widget}\" is given twice"
                )));
            }
            seen.push(key);
        }
        Ok(Params {
            widget,
            pairs: pairs
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect(),
            known: Vec::new(),
        })
    }

    fn raw(&mut self, key: &'static str) -> Option<&'a str> {
        self.known.push(key);
        self.pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }

    fn error(&self, key: &str, value: &str, expected: &str) -> ParamError {
        ParamError(format!(
            "parameter \"{key}\" of widget \"{}\": \"{value}\" is not {expected}",
            self.widget
        ))
    }

    fn int(
        &mut self,
        key: &'static str,
        min: u32,
        max: u32,
        default: u32,
    ) -> Result<u32, ParamError> {
        let Some(text) = self.raw(key) else {
            return Ok(default);
        };
        match text.parse::<u32>() {
            Ok(value) if (min..=max).contains(&value) => Ok(value),
            _ => Err(self.error(key, text, &format!("a whole number from {min} to {max}"))),
        }
    }

    /// A parameter that is a setting of the run: its key, range and names are the setting's.
    fn field<T: Value>(&mut self, field: Field, default: T) -> Result<T, ParamError> {
        let Some(text) = self.raw(field.key()) else {
            return Ok(default);
        };
        let expected = field.input().expected().to_string();
        T::parse(text, field.input()).ok_or_else(|| self.error(field.key(), text, &expected))
    }

    fn named<T: Named>(&mut self, key: &'static str, default: T) -> Result<T, ParamError> {
        let Some(text) = self.raw(key) else {
            return Ok(default);
        };
        T::parse(text)
            .ok_or_else(|| self.error(key, text, &format!("one of: {}", T::all_names().join(", "))))
    }

    fn list<T: Named + PartialEq>(
        &mut self,
        key: &'static str,
        default: &[T],
    ) -> Result<Vec<T>, ParamError> {
        let Some(text) = self.raw(key) else {
            return Ok(default.to_vec());
        };
        let mut values = Vec::new();
        for item in text.split(',') {
            let value = T::parse(item.trim()).ok_or_else(|| {
                self.error(
                    key,
                    item,
                    &format!("one of: {} (comma-separated)", T::all_names().join(", ")),
                )
            })?;
            if !values.contains(&value) {
                values.push(value);
            }
        }
        Ok(values)
    }

    fn finish(self) -> Result<(), ParamError> {
        match self.pairs.iter().find(|(key, _)| !self.known.contains(key)) {
            None => Ok(()),
            Some((key, _)) if self.known.is_empty() => Err(ParamError(format!(
                "widget \"{}\" takes no parameters, got \"{key}\"",
                self.widget
            ))),
            Some((key, _)) => Err(ParamError(format!(
                "unknown parameter \"{key}\" for widget \"{}\"; expected one of: {}",
                self.widget,
                self.known.join(", ")
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_fill_missing_parameters() {
        let spec = WidgetSpec::parse("signal-propagation", &pairs(&[("depth", "20")])).unwrap();
        assert_eq!(
            spec,
            WidgetSpec::SignalPropagation {
                depth: 20,
                width: 100,
                activation: Activation::Sigmoid,
                init: Init::Normal
            }
        );
    }

    #[test]
    fn unknown_widget_lists_the_widgets() {
        let err = WidgetSpec::parse("optimiser-race", &[]).unwrap_err().0;
        assert!(err.contains("unknown widget \"optimiser-race\""), "{err}");
        assert!(err.contains("optimizer-race"), "{err}");
    }

    #[test]
    fn out_of_range_value_names_the_range() {
        let err = WidgetSpec::parse("sigmoid-saturation", &pairs(&[("depth", "101")]))
            .unwrap_err()
            .0;
        assert!(err.contains("from 1 to 100"), "{err}");
    }

    #[test]
    fn bad_name_lists_allowed_names() {
        let err = WidgetSpec::parse("activation-explorer", &pairs(&[("activation", "sigmod")]))
            .unwrap_err()
            .0;
        assert!(err.contains("\"sigmod\""), "{err}");
        assert!(err.contains("sigmoid, tanh, relu"), "{err}");
    }

    #[test]
    fn unknown_parameter_lists_known_ones() {
        let err = WidgetSpec::parse("regularization", &pairs(&[("l3", "0.1")]))
            .unwrap_err()
            .0;
        assert!(err.contains("unknown parameter \"l3\""), "{err}");
        assert!(err.contains("l1, l2, dropout, max-norm"), "{err}");
    }

    #[test]
    fn repeated_parameter_is_refused() {
        let err = WidgetSpec::parse("mc-dropout", &pairs(&[("samples", "3"), ("samples", "4")]))
            .unwrap_err()
            .0;
        assert!(err.contains("given twice"), "{err}");
    }

    #[test]
    fn optimizer_lists_parse_in_order() {
        let spec = WidgetSpec::parse(
            "optimizer-race",
            &pairs(&[("optimizers", "adam,sgd"), ("lr", "1e-3")]),
        )
        .unwrap();
        assert_eq!(
            spec,
            WidgetSpec::OptimizerRace {
                optimizers: vec![Optimizer::Adam, Optimizer::Sgd],
                lr: 1e-3
            }
        );
        let err = WidgetSpec::parse("optimizer-race", &pairs(&[("optimizers", "adam,lion")]))
            .unwrap_err()
            .0;
        assert!(err.contains("\"lion\""), "{err}");
    }

    #[test]
    fn specs_round_trip_through_json() {
        for kind in WidgetKind::ALL {
            let spec = WidgetSpec::parse(kind.name(), &[]).unwrap();
            assert_eq!(spec.kind(), *kind);
            let json = serde_json::to_string(&spec).unwrap();
            assert_eq!(serde_json::from_str::<WidgetSpec>(&json).unwrap(), spec);
        }
    }
}
