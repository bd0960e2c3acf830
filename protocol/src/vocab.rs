//! The chapter's vocabulary: every closed set of names a reader, a lesson or the runner can pick
//! (activations, inits, optimizers, schedules, …), defined once. The lesson pipeline parses
//! directives into these, the page and the worker exchange them, and the training core matches
//! on them exhaustively; nothing between crates travels as a name string.

/// A closed set of names a parameter may take: listed, parsed and printed the same way in
/// directives, URLs, JSON and the runner's command line.
pub trait Named: Sized + Copy + 'static {
    /// Every value, in the order the book lists them.
    fn all() -> &'static [Self];
    /// The kebab-case name used in directives, URLs and JSON.
    fn name(self) -> &'static str;
    /// Every name, for "expected one of" messages.
    fn all_names() -> Vec<&'static str> {
        Self::all().iter().map(|value| value.name()).collect()
    }
    /// Parses a name.
    fn parse(text: &str) -> Option<Self> {
        Self::all()
            .iter()
            .copied()
            .find(|value| value.name() == text)
    }
}

/// Declares a closed set of kebab-case names with serde, listing and parsing ([`Named`]).
#[macro_export]
macro_rules! names {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        pub enum $name { $($(#[$vmeta])* #[serde(rename = $text)] $variant),+ }

        impl $name {
            /// Every value, in the order the book lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Every name, in the same order.
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            /// The name used in directives, URLs and JSON.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses a directive or URL name.
            pub fn from_name(text: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|value| value.name() == text)
            }
        }

        impl $crate::vocab::Named for $name {
            fn all() -> &'static [Self] {
                Self::ALL
            }
            fn name(self) -> &'static str {
                $name::name(self)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

names!(
    /// An activation function of the chapter.
    Activation {
        Sigmoid = "sigmoid", Tanh = "tanh", Relu = "relu", LeakyRelu = "leaky-relu", Elu = "elu",
        Selu = "selu", Gelu = "gelu", GeluTanh = "gelu-tanh", Swish = "swish", Mish = "mish",
        Softplus = "softplus", Relu2 = "relu2", Swiglu = "swiglu",
    }
);

names!(
    /// A weight initialization scheme (torch.nn.init semantics).
    Init {
        /// PyTorch's `nn.Linear` default: weights and biases U(−1/√fan_in, 1/√fan_in).
        Default = "default",
        /// Glorot/Xavier uniform: U(±√(6/(fan_in+fan_out))).
        GlorotUniform = "glorot-uniform",
        /// Glorot/Xavier normal: N(0, 2/(fan_in+fan_out)).
        GlorotNormal = "glorot-normal",
        /// He/Kaiming uniform (fan_in), gain √(2/(1+a²)) with a the leaky slope.
        HeUniform = "he-uniform",
        /// He/Kaiming normal (fan_in), gain √(2/(1+a²)).
        HeNormal = "he-normal",
        /// LeCun normal: N(0, 1/fan_in), for SELU.
        LecunNormal = "lecun-normal",
        /// N(0, 1) regardless of fan-in: deliberately bad, to show exploding activations.
        Normal = "normal",
    }
);

names!(
    /// Where (and which) normalization sits in each hidden block.
    Norm {
        /// Linear → activation.
        None = "none",
        /// Linear → activation → BatchNorm (the "classic" order).
        BnAfter = "bn-after",
        /// Linear → BatchNorm → activation (the recommended order; the linear bias is redundant).
        BnBefore = "bn-before",
        /// Linear → LayerNorm → activation.
        Ln = "ln",
    }
);

names!(
    /// How gradients are clipped.
    ClipMode { None = "none", Norm = "norm", Value = "value" }
);

names!(
    /// Which dropout a run uses (when its rate is above zero).
    DropoutKind {
        /// Standard (inverted) dropout, off at inference.
        Standard = "standard",
        /// Alpha dropout, for SELU networks.
        Alpha = "alpha",
        /// Dropout kept on at inference (Monte-Carlo dropout).
        Mc = "mc",
    }
);

names!(
    /// An optimizer of the chapter.
    Optimizer {
        Sgd = "sgd", Momentum = "momentum", Nesterov = "nesterov", Adagrad = "adagrad",
        Rmsprop = "rmsprop", Adam = "adam", Adamax = "adamax", Nadam = "nadam", Adamw = "adamw",
    }
);

names!(
    /// A 2-D loss surface for the optimizer paths.
    Surface { Ravine = "ravine", Saddle = "saddle", Rosenbrock = "rosenbrock" }
);

names!(
    /// A learning-rate schedule.
    Schedule {
        Constant = "constant", Exponential = "exponential", Step = "step", Plateau = "plateau",
        Warmup = "warmup", WarmupPlateau = "warmup-plateau", OneCycle = "one-cycle",
        Cosine = "cosine", CosineRestarts = "cosine-restarts",
    }
);

macro_rules! default_is {
    ($($name:ident::$variant:ident),+ $(,)?) => {
        $(impl Default for $name {
            fn default() -> Self {
                $name::$variant
            }
        })+
    };
}

default_is!(
    Init::Default,
    Norm::None,
    ClipMode::None,
    DropoutKind::Standard,
);

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};

    fn round_trip<
        T: Named + PartialEq + std::fmt::Debug + Serialize + for<'de> Deserialize<'de>,
    >() {
        for &value in T::all() {
            let json = serde_json::to_string(&value).unwrap();
            assert_eq!(json, format!("\"{}\"", value.name()));
            assert_eq!(serde_json::from_str::<T>(&json).unwrap(), value);
            assert_eq!(T::parse(value.name()), Some(value));
        }
        assert_eq!(T::parse("no-such-name"), None);
    }

    #[test]
    fn every_name_round_trips_through_json_and_text() {
        round_trip::<Activation>();
        round_trip::<Init>();
        round_trip::<Norm>();
        round_trip::<ClipMode>();
        round_trip::<DropoutKind>();
        round_trip::<Optimizer>();
        round_trip::<Surface>();
        round_trip::<Schedule>();
    }
}
