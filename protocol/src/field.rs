//! What a setting is: how it is edited and within which range ([`Input`]), how its value reads
//! and writes as text ([`Value`]), what a refused value breaks ([`Invalid`]), and its label in
//! each language. The table of every setting is [`crate::settings`]'s `settings!` invocation:
//! each row declares a member of `RunSettings` and, when a reader can set it, its `Field`.

use serde::{Deserialize, Serialize};

use crate::settings::{DataSize, trim_float};
use crate::vocab::Named;

/// How a field is edited, with its range. The range is the only one: directives, the page's
/// controls, URLs, stored runs and the runner's presets are all held to it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Input {
    /// A slider on a log10 scale (learning rates, penalties); 0 allowed when `zero` is set.
    Log {
        /// Smallest positive value.
        min: f64,
        /// Largest value.
        max: f64,
        /// Whether 0 (off) is allowed below `min`.
        zero: bool,
    },
    /// A linear slider.
    Linear {
        /// Smallest value.
        min: f64,
        /// Largest value.
        max: f64,
        /// Slider step.
        step: f64,
    },
    /// A whole-number slider.
    Int {
        /// Smallest value.
        min: u32,
        /// Largest value.
        max: u32,
    },
    /// One of these names.
    Choice(&'static [&'static str]),
    /// On or off.
    Switch,
}

/// What a field takes, for a message about a value it refused.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Expected {
    /// A whole number in a range.
    WholeNumber {
        /// Smallest allowed.
        min: u32,
        /// Largest allowed.
        max: u32,
    },
    /// A number in a range (or 0 when `zero`).
    Number {
        /// Smallest allowed (positive when `zero`).
        min: f64,
        /// Largest allowed.
        max: f64,
        /// Whether 0 is allowed too.
        zero: bool,
    },
    /// One of these names.
    OneOf(&'static [&'static str]),
    /// On or off.
    Switch,
}

impl Input {
    /// What this input takes.
    pub fn expected(self) -> Expected {
        match self {
            Input::Log { min, max, zero } => Expected::Number { min, max, zero },
            Input::Linear { min, max, .. } => Expected::Number {
                min,
                max,
                zero: false,
            },
            Input::Int { min, max } => Expected::WholeNumber { min, max },
            Input::Choice(names) => Expected::OneOf(names),
            Input::Switch => Expected::Switch,
        }
    }
}

impl std::fmt::Display for Expected {
    /// The English of the runner, the worker's logs and the build's directive errors.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Expected::WholeNumber { min, max } => write!(f, "a whole number from {min} to {max}"),
            Expected::Number { min, max, zero } => {
                let (min, max) = (trim_float(min), trim_float(max));
                if zero {
                    write!(f, "0 or a number from {min} to {max}")
                } else {
                    write!(f, "a number from {min} to {max}")
                }
            }
            Expected::OneOf(names) => write!(f, "one of: {}", names.join(", ")),
            Expected::Switch => f.write_str("true or false"),
        }
    }
}

/// A value a field holds, read and written as text within its [`Input`].
pub trait Value: Sized {
    /// The value as text (URL form).
    fn text(&self) -> String;
    /// The value `text` spells, if `input` allows it.
    fn parse(text: &str, input: Input) -> Option<Self>;
    /// Whether `input` allows this value.
    fn within(&self, input: Input) -> bool;
}

impl Value for u32 {
    fn text(&self) -> String {
        self.to_string()
    }
    fn parse(text: &str, input: Input) -> Option<Self> {
        text.parse::<u32>().ok().filter(|v| v.within(input))
    }
    fn within(&self, input: Input) -> bool {
        match input {
            Input::Int { min, max } => (min..=max).contains(self),
            _ => false,
        }
    }
}

impl Value for u64 {
    fn text(&self) -> String {
        self.to_string()
    }
    fn parse(text: &str, input: Input) -> Option<Self> {
        text.parse::<u64>().ok().filter(|v| v.within(input))
    }
    fn within(&self, input: Input) -> bool {
        match input {
            Input::Int { min, max } => (u64::from(min)..=u64::from(max)).contains(self),
            _ => false,
        }
    }
}

impl Value for f64 {
    fn text(&self) -> String {
        trim_float(*self)
    }
    fn parse(text: &str, input: Input) -> Option<Self> {
        text.parse::<f64>().ok().filter(|v| v.within(input))
    }
    fn within(&self, input: Input) -> bool {
        let v = *self;
        v.is_finite()
            && match input {
                Input::Log { min, max, zero } => (min..=max).contains(&v) || (zero && v == 0.0),
                Input::Linear { min, max, .. } => (min..=max).contains(&v),
                _ => false,
            }
    }
}

impl Value for bool {
    fn text(&self) -> String {
        self.to_string()
    }
    fn parse(text: &str, _: Input) -> Option<Self> {
        match text {
            "true" | "1" | "on" => Some(true),
            "false" | "0" | "off" => Some(false),
            _ => None,
        }
    }
    fn within(&self, _: Input) -> bool {
        true
    }
}

/// The full split is a switch ("full"): on is [`DataSize::Full`].
impl Value for DataSize {
    fn text(&self) -> String {
        (*self == DataSize::Full).to_string()
    }
    fn parse(text: &str, input: Input) -> Option<Self> {
        bool::parse(text, input).map(|full| {
            if full {
                DataSize::Full
            } else {
                DataSize::Quick
            }
        })
    }
    fn within(&self, _: Input) -> bool {
        true
    }
}

impl<T: Named> Value for T {
    fn text(&self) -> String {
        self.name().to_string()
    }
    fn parse(text: &str, _: Input) -> Option<Self> {
        <T as Named>::parse(text)
    }
    fn within(&self, _: Input) -> bool {
        true
    }
}

/// A field's label in each language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Label {
    /// Vietnamese.
    pub vi: &'static str,
    /// English.
    pub en: &'static str,
}

/// A value a field refused: from a control, an address, a stored run or a directive. Pages
/// word it in the reader's language; `Display` is the English of the runner and the logs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invalid {
    /// The setting.
    pub field: crate::settings::Field,
    /// What it was, as text (clipped to 40 characters: a hostile address can be kilobytes).
    pub value: String,
}

impl Invalid {
    /// `field` refused `text`.
    pub fn new(field: crate::settings::Field, text: &str) -> Self {
        Invalid {
            field,
            value: clip(text),
        }
    }

    /// What the field takes.
    pub fn expected(&self) -> Expected {
        self.field.input().expected()
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: \"{}\" is not {}",
            self.field.key(),
            self.value,
            self.expected()
        )
    }
}

impl std::error::Error for Invalid {}

/// At most 40 characters of `text`, with an ellipsis when cut.
pub fn clip(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    }
}

/// Declares `RunSettings` (every member with its default) and `Field` (the members a reader can
/// set: URL key, input and range, label in each language, and the live change it makes on a
/// running job). One row per member; a new setting is one row.
macro_rules! settings {
    ($(
        $(#[doc = $doc:literal])*
        $member:ident: $ty:ty = $default:expr
        $(=> $variant:ident $key:literal, $input:expr, ($vi:literal, $en:literal) $(, live $tune:expr)?)?
        ;
    )+) => {
        /// Everything a reader can set for one run. Zero turns an optional technique off
        /// (`l1`, `l2`, `dropout`, `max_norm`, `patience`).
        #[derive(Clone, Debug, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(default)]
        pub struct RunSettings {
            $($(#[doc = $doc])* pub $member: $ty,)+
        }

        impl Default for RunSettings {
            /// The chapter's baseline: Fashion-MNIST MLP 784-100-100-100-10, ReLU, He init, SGD 0.01.
            fn default() -> Self {
                RunSettings { $($member: $default,)+ }
            }
        }

        /// One setting a reader can change, named in URLs by its key.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        pub enum Field {
            $($( #[doc = concat!("`", $key, "`: ", $en, ".")] #[serde(rename = $key)] $variant, )?)+
        }

        impl Field {
            /// Every field, in the order controls are laid out.
            pub const ALL: &'static [Field] = &[$($(Field::$variant,)?)+];

            /// Name in the URL, in directives and in element ids.
            pub fn key(self) -> &'static str {
                match self { $($(Field::$variant => $key,)?)+ }
            }

            /// The field with this key.
            pub fn from_key(key: &str) -> Option<Field> {
                Self::ALL.iter().copied().find(|field| field.key() == key)
            }

            /// How it is edited, with its range.
            pub fn input(self) -> $crate::field::Input {
                use $crate::field::Input;
                match self { $($(Field::$variant => $input,)?)+ }
            }

            /// The label next to its control.
            pub fn label(self) -> $crate::field::Label {
                match self { $($(Field::$variant => $crate::field::Label { vi: $vi, en: $en },)?)+ }
            }

            /// The field's value as text (URL form).
            pub fn get(self, s: &RunSettings) -> String {
                match self { $($(Field::$variant => $crate::field::Value::text(&s.$member),)?)+ }
            }

            /// Sets the field from text (a control or the URL), within its range.
            ///
            /// # Errors
            /// The field and what the reader typed, when the field does not take it.
            pub fn set(self, s: &mut RunSettings, text: &str) -> Result<(), $crate::field::Invalid> {
                let input = self.input();
                match self {
                    $($(Field::$variant => {
                        s.$member = $crate::field::Value::parse(text, input)
                            .ok_or_else(|| $crate::field::Invalid::new(self, text))?;
                    })?)+
                }
                Ok(())
            }

            /// Whether the value in `s` is within this field's range.
            pub fn holds(self, s: &RunSettings) -> bool {
                let input = self.input();
                match self { $($(Field::$variant => $crate::field::Value::within(&s.$member, input),)?)+ }
            }

            /// Whether a running job can take this field's changes without restarting.
            pub fn is_live(self) -> bool {
                match self { $($(Field::$variant => false $(|| !stringify!($tune).is_empty())?,)?)+ }
            }

            /// The live change this field makes on a running job, if the math allows one.
            pub fn tune(self, s: &RunSettings) -> Option<$crate::message::Tune> {
                #[allow(unused_imports)]
                use $crate::message::Tune;
                match self {
                    $($(Field::$variant => {
                        let off: Option<Tune> = None;
                        off $(.or(($tune)(s)))?
                    })?)+
                }
            }
        }
    };
}

pub(crate) use settings;
