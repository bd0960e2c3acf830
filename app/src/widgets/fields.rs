//! The settings a widget exposes: how each is shown (slider, log slider, list, switch), its
//! range, its name in the URL, and how it reads and writes [`RunSettings`]. Pure code: the URL
//! parsing and range checks are tested natively.

use dl101_protocol::message::Tune;
use dl101_protocol::settings::{DataSize, Invalid, RunSettings, trim_float};
use dl101_protocol::vocab::{Activation, ClipMode, Init, Norm, Optimizer, Schedule};

use super::words::Words;

/// One setting a reader can change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Depth,
    Width,
    Activation,
    ActivationParam,
    Init,
    Norm,
    Standardize,
    Optimizer,
    Lr,
    Momentum,
    WeightDecay,
    L1,
    L2,
    Dropout,
    MaxNorm,
    Clip,
    ClipThreshold,
    BatchSize,
    Epochs,
    Schedule,
    ScheduleFactor,
    SchedulePeriod,
    Patience,
    Seed,
    Shuffle,
    FullData,
}

/// How a field is edited.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Input {
    /// A slider on a log10 scale (learning rates, penalties); 0 allowed when `zero` is set.
    Log { min: f64, max: f64, zero: bool },
    /// A linear slider.
    Linear { min: f64, max: f64, step: f64 },
    /// A whole-number slider.
    Int { min: u32, max: u32 },
    /// A list of names.
    Choice(&'static [&'static str]),
    /// On or off.
    Switch,
}

/// What a field takes, for a notice about a value it refused.
#[derive(Clone, Debug, PartialEq)]
pub enum Expected {
    /// A whole number in a range.
    WholeNumber { min: u32, max: u32 },
    /// A number in a range.
    Number { min: f64, max: f64 },
    /// One of these names.
    OneOf(Vec<&'static str>),
    /// On or off.
    Switch,
}

/// Why a setting in the page address was ignored. The page words it in the reader's language
/// (`Words::url_problem`); what the reader typed is kept, clipped to 40 characters.
#[derive(Clone, Debug, PartialEq)]
pub enum Notice {
    /// `key` is a setting of the widget, `text` is not a value it takes.
    BadValue {
        key: &'static str,
        text: String,
        expected: Expected,
    },
    /// `key` is not a setting of this widget.
    Unknown { key: String },
    /// The settings together break a rule; the lesson's settings are kept.
    Invalid(Invalid),
}

fn names<T: Copy>(all: &'static [T], name: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|&v| name(v)).collect()
}

macro_rules! choice {
    ($ty:ident) => {{
        static NAMES: std::sync::LazyLock<Vec<&'static str>> =
            std::sync::LazyLock::new(|| names($ty::ALL, $ty::name));
        Input::Choice(NAMES.as_slice())
    }};
}

impl Field {
    /// Every field, in the order controls are laid out.
    pub const ALL: &'static [Field] = &[
        Field::Depth,
        Field::Width,
        Field::Activation,
        Field::ActivationParam,
        Field::Init,
        Field::Norm,
        Field::Standardize,
        Field::Optimizer,
        Field::Lr,
        Field::Momentum,
        Field::WeightDecay,
        Field::L1,
        Field::L2,
        Field::Dropout,
        Field::MaxNorm,
        Field::Clip,
        Field::ClipThreshold,
        Field::BatchSize,
        Field::Epochs,
        Field::Schedule,
        Field::ScheduleFactor,
        Field::SchedulePeriod,
        Field::Patience,
        Field::Seed,
        Field::Shuffle,
        Field::FullData,
    ];

    /// Name in the URL and in element ids.
    pub fn key(self) -> &'static str {
        match self {
            Field::Depth => "depth",
            Field::Width => "width",
            Field::Activation => "activation",
            Field::ActivationParam => "alpha",
            Field::Init => "init",
            Field::Norm => "norm",
            Field::Standardize => "standardize",
            Field::Optimizer => "optimizer",
            Field::Lr => "lr",
            Field::Momentum => "momentum",
            Field::WeightDecay => "weight-decay",
            Field::L1 => "l1",
            Field::L2 => "l2",
            Field::Dropout => "dropout",
            Field::MaxNorm => "max-norm",
            Field::Clip => "clip",
            Field::ClipThreshold => "threshold",
            Field::BatchSize => "batch",
            Field::Epochs => "epochs",
            Field::Schedule => "schedule",
            Field::ScheduleFactor => "factor",
            Field::SchedulePeriod => "period",
            Field::Patience => "patience",
            Field::Seed => "seed",
            Field::Shuffle => "shuffle",
            Field::FullData => "full",
        }
    }

    /// The label shown next to the control.
    pub fn label(self, w: &Words) -> &'static str {
        match self {
            Field::Depth => w.depth_label,
            Field::Width => w.width_label,
            Field::Activation => w.activation_label,
            Field::ActivationParam => w.activation_param_label,
            Field::Init => w.init_label,
            Field::Norm => w.norm_label,
            Field::Standardize => w.standardize_label,
            Field::Optimizer => w.optimizer_label,
            Field::Lr => w.lr_label,
            Field::Momentum => w.momentum_label,
            Field::WeightDecay => w.weight_decay_label,
            Field::L1 => w.l1_label,
            Field::L2 => w.l2_label,
            Field::Dropout => w.dropout_label,
            Field::MaxNorm => w.max_norm_label,
            Field::Clip => w.clip_label,
            Field::ClipThreshold => w.clip_threshold_label,
            Field::BatchSize => w.batch_label,
            Field::Epochs => w.epochs_label,
            Field::Schedule => w.schedule_label,
            Field::ScheduleFactor => w.schedule_factor_label,
            Field::SchedulePeriod => w.schedule_period_label,
            Field::Patience => w.patience_label,
            Field::Seed => w.seed_label,
            Field::Shuffle => w.shuffle_label,
            Field::FullData => w.full_data,
        }
    }

    /// How it is edited, with its range.
    pub fn input(self) -> Input {
        match self {
            Field::Depth => Input::Int { min: 1, max: 100 },
            Field::Width => Input::Int { min: 10, max: 500 },
            Field::Activation => choice!(Activation),
            Field::ActivationParam => Input::Linear {
                min: 0.0,
                max: 3.0,
                step: 0.01,
            },
            Field::Init => choice!(Init),
            Field::Norm => choice!(Norm),
            Field::Optimizer => choice!(Optimizer),
            Field::Clip => choice!(ClipMode),
            Field::Schedule => choice!(Schedule),
            Field::Standardize | Field::Shuffle | Field::FullData => Input::Switch,
            Field::Lr => Input::Log {
                min: 1e-5,
                max: 1.0,
                zero: false,
            },
            Field::Momentum => Input::Linear {
                min: 0.0,
                max: 0.99,
                step: 0.01,
            },
            Field::WeightDecay | Field::L1 | Field::L2 => Input::Log {
                min: 1e-6,
                max: 0.1,
                zero: true,
            },
            Field::Dropout => Input::Linear {
                min: 0.0,
                max: 0.9,
                step: 0.05,
            },
            Field::MaxNorm => Input::Linear {
                min: 0.0,
                max: 10.0,
                step: 0.1,
            },
            Field::ClipThreshold => Input::Log {
                min: 0.01,
                max: 100.0,
                zero: false,
            },
            Field::BatchSize => Input::Int { min: 8, max: 512 },
            Field::Epochs => Input::Int { min: 1, max: 50 },
            Field::ScheduleFactor => Input::Linear {
                min: 0.05,
                max: 0.99,
                step: 0.01,
            },
            Field::SchedulePeriod => Input::Int { min: 1, max: 20 },
            Field::Patience => Input::Int { min: 0, max: 20 },
            Field::Seed => Input::Int { min: 0, max: 9999 },
        }
    }

    /// The field's value as text (URL form).
    pub fn get(self, s: &RunSettings) -> String {
        match self {
            Field::Depth => s.depth.to_string(),
            Field::Width => s.width.to_string(),
            Field::Activation => s.activation.name().into(),
            Field::ActivationParam => trim_float(s.activation_param),
            Field::Init => s.init.name().into(),
            Field::Norm => s.norm.name().into(),
            Field::Standardize => s.standardize.to_string(),
            Field::Optimizer => s.optimizer.name().into(),
            Field::Lr => trim_float(s.lr),
            Field::Momentum => trim_float(s.momentum),
            Field::WeightDecay => trim_float(s.weight_decay),
            Field::L1 => trim_float(s.l1),
            Field::L2 => trim_float(s.l2),
            Field::Dropout => trim_float(s.dropout),
            Field::MaxNorm => trim_float(s.max_norm),
            Field::Clip => s.clip.name().into(),
            Field::ClipThreshold => trim_float(s.clip_threshold),
            Field::BatchSize => s.batch_size.to_string(),
            Field::Epochs => s.epochs.to_string(),
            Field::Schedule => s.schedule.name().into(),
            Field::ScheduleFactor => trim_float(s.schedule_factor),
            Field::SchedulePeriod => s.schedule_period.to_string(),
            Field::Patience => s.patience.to_string(),
            Field::Seed => s.seed.to_string(),
            Field::Shuffle => s.shuffle.to_string(),
            Field::FullData => (s.size == DataSize::Full).to_string(),
        }
    }

    /// Sets the field from text (a control or the URL), checking the range.
    ///
    /// # Errors
    /// What is wrong with `text`: the value and what the field takes.
    pub fn set(self, s: &mut RunSettings, text: &str) -> Result<(), Notice> {
        let bad = |expected: Expected| Notice::BadValue {
            key: self.key(),
            text: clip(text),
            expected,
        };
        match self.input() {
            Input::Int { min, max } => {
                let value = text
                    .parse::<u32>()
                    .ok()
                    .filter(|v| (min..=max).contains(v))
                    .ok_or_else(|| bad(Expected::WholeNumber { min, max }))?;
                match self {
                    Field::Depth => s.depth = value,
                    Field::Width => s.width = value,
                    Field::BatchSize => s.batch_size = value,
                    Field::Epochs => s.epochs = value,
                    Field::SchedulePeriod => s.schedule_period = value,
                    Field::Patience => s.patience = value,
                    Field::Seed => s.seed = u64::from(value),
                    _ => {}
                }
            }
            Input::Linear { min, max, .. } | Input::Log { min, max, .. } => {
                let zero_ok = matches!(self.input(), Input::Log { zero: true, .. });
                let value = text
                    .parse::<f64>()
                    .ok()
                    .filter(|v| {
                        v.is_finite() && ((*v >= min && *v <= max) || (zero_ok && *v == 0.0))
                    })
                    .ok_or_else(|| bad(Expected::Number { min, max }))?;
                match self {
                    Field::ActivationParam => s.activation_param = value,
                    Field::Lr => s.lr = value,
                    Field::Momentum => s.momentum = value,
                    Field::WeightDecay => s.weight_decay = value,
                    Field::L1 => s.l1 = value,
                    Field::L2 => s.l2 = value,
                    Field::Dropout => s.dropout = value,
                    Field::MaxNorm => s.max_norm = value,
                    Field::ClipThreshold => s.clip_threshold = value,
                    Field::ScheduleFactor => s.schedule_factor = value,
                    _ => {}
                }
            }
            Input::Choice(options) => {
                if !options.contains(&text) {
                    return Err(bad(Expected::OneOf(options.to_vec())));
                }
                match self {
                    Field::Activation => {
                        s.activation = Activation::from_name(text).unwrap_or(s.activation)
                    }
                    Field::Init => s.init = Init::from_name(text).unwrap_or(s.init),
                    Field::Norm => s.norm = Norm::from_name(text).unwrap_or(s.norm),
                    Field::Optimizer => {
                        s.optimizer = Optimizer::from_name(text).unwrap_or(s.optimizer)
                    }
                    Field::Clip => s.clip = ClipMode::from_name(text).unwrap_or(s.clip),
                    Field::Schedule => s.schedule = Schedule::from_name(text).unwrap_or(s.schedule),
                    _ => {}
                }
            }
            Input::Switch => {
                let on = match text {
                    "true" | "1" | "on" => true,
                    "false" | "0" | "off" => false,
                    _ => return Err(bad(Expected::Switch)),
                };
                match self {
                    Field::Standardize => s.standardize = on,
                    Field::Shuffle => s.shuffle = on,
                    Field::FullData => {
                        s.size = if on { DataSize::Full } else { DataSize::Quick };
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }

    /// Whether a running job can take this field's changes without restarting.
    pub fn is_live(self) -> bool {
        matches!(
            self,
            Field::Lr | Field::Momentum | Field::ClipThreshold | Field::Dropout
        )
    }

    /// The live change this field makes on a running job, if the math allows one.
    pub fn tune(self, s: &RunSettings) -> Option<Tune> {
        match self {
            Field::Lr => Some(Tune::Lr(s.lr)),
            Field::Momentum => Some(Tune::Momentum(s.momentum)),
            Field::ClipThreshold => Some(Tune::ClipThreshold(s.clip_threshold)),
            Field::Dropout if s.dropout > 0.0 => Some(Tune::Dropout(s.dropout)),
            _ => None,
        }
    }
}

/// Slider position (0…1000) of a log-scale value, and back. Zero sits at position 0.
pub fn log_position(value: f64, min: f64, max: f64) -> f64 {
    if value <= 0.0 {
        return 0.0;
    }
    let t = (value.log10() - min.log10()) / (max.log10() - min.log10());
    (t.clamp(0.0, 1.0) * 1000.0).round()
}

/// The value at a log slider position, rounded to two significant digits.
pub fn log_value(position: f64, min: f64, max: f64, zero: bool) -> f64 {
    if zero && position <= 0.0 {
        return 0.0;
    }
    let exponent = min.log10() + (position / 1000.0) * (max.log10() - min.log10());
    let value = 10f64.powf(exponent);
    let magnitude = 10f64.powf(value.log10().floor() - 1.0);
    ((value / magnitude).round() * magnitude).clamp(min, max)
}

/// At most 40 characters of what the reader's address said, for a notice (a hostile or
/// mistyped value can be kilobytes long).
pub fn clip(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    }
}

/// Reads the fields of one widget from URL query pairs `kind.key=value`. Returns the settings
/// and one message per ignored pair.
pub fn from_query(
    kind: &str,
    fields: &[Field],
    base: &RunSettings,
    query: &[(String, String)],
) -> (RunSettings, Vec<Notice>) {
    let mut settings = base.clone();
    let mut notices = Vec::new();
    let prefix = format!("{kind}.");
    for (key, value) in query {
        let Some(name) = key.strip_prefix(&prefix) else {
            continue;
        };
        match fields.iter().find(|f| f.key() == name) {
            Some(field) => {
                if let Err(e) = field.set(&mut settings, value) {
                    notices.push(e);
                }
            }
            None if name == "optimizers"
                || name == "surface"
                || name == "samples"
                || name == "step"
                || name == "freeze-epochs" => {}
            None => notices.push(Notice::Unknown { key: clip(name) }),
        }
    }
    if let Err(e) = settings.check() {
        notices.push(Notice::Invalid(e));
        settings = base.clone();
    }
    (settings, notices)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn every_field_round_trips_through_text() {
        let base = RunSettings::default();
        for &field in Field::ALL {
            let mut copy = base.clone();
            let text = field.get(&base);
            assert_eq!(field.set(&mut copy, &text), Ok(()), "{}", field.key());
            assert_eq!(copy, base, "{}", field.key());
        }
    }

    #[test]
    fn bad_url_values_fall_back_with_a_notice() {
        let base = RunSettings::default();
        let fields = [Field::Lr, Field::Depth, Field::Optimizer];
        let query = pairs(&[
            ("optimizer-race.lr", "abc"),
            ("optimizer-race.depth", "500"),
            ("optimizer-race.optimizer", "adam"),
            ("optimizer-race.colour", "red"),
            ("other-widget.lr", "0.5"),
        ]);
        let (settings, notices) = from_query("optimizer-race", &fields, &base, &query);
        assert_eq!(settings.lr, base.lr);
        assert_eq!(settings.depth, base.depth);
        assert_eq!(settings.optimizer, Optimizer::Adam);
        assert_eq!(notices.len(), 3, "{notices:?}");
        assert!(matches!(&notices[0], Notice::BadValue { key: "lr", text, .. } if text == "abc"));
        assert!(matches!(&notices[1], Notice::BadValue { key: "depth", .. }));
        assert_eq!(
            notices[2],
            Notice::Unknown {
                key: "colour".into()
            }
        );
    }

    #[test]
    fn long_url_values_are_clipped_in_notices() {
        let base = RunSettings::default();
        let long = "9".repeat(10_000);
        let query = pairs(&[
            ("optimizer-race.lr", long.as_str()),
            ("optimizer-race.x".repeat(100).as_str(), "1"),
        ]);
        let (settings, notices) = from_query("optimizer-race", &[Field::Lr], &base, &query);
        assert_eq!(settings.lr, base.lr);
        assert_eq!(notices.len(), 2, "{notices:?}");
        let kept = |n: &Notice| match n {
            Notice::BadValue { text, .. } => text.clone(),
            Notice::Unknown { key } => key.clone(),
            Notice::Invalid(e) => e.to_string(),
        };
        assert!(
            notices.iter().all(|n| kept(n).chars().count() <= 41),
            "{notices:?}"
        );
        assert!(kept(&notices[0]).ends_with("9999…"));
    }

    #[test]
    fn log_sliders_cover_their_range() {
        assert_eq!(log_position(1e-5, 1e-5, 1.0), 0.0);
        assert_eq!(log_position(1.0, 1e-5, 1.0), 1000.0);
        assert_eq!(log_value(1000.0, 1e-5, 1.0, false), 1.0);
        assert_eq!(log_value(0.0, 1e-6, 0.1, true), 0.0);
        let v = log_value(log_position(0.05, 1e-5, 1.0), 1e-5, 1.0, false);
        assert!((v - 0.05).abs() < 0.002, "{v}");
    }

    #[test]
    fn only_live_fields_tune() {
        let s = RunSettings::default();
        assert_eq!(Field::Lr.tune(&s), Some(Tune::Lr(s.lr)));
        assert_eq!(Field::Depth.tune(&s), None);
    }
}
