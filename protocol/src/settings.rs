//! The settings of one training run, flat and named the way the widgets' controls and the URL
//! name them. The worker turns them into the training core's experiment config.

use crate::field::{Invalid, settings};
use crate::vocab::{Activation, ClipMode, DropoutKind, Init, Norm, Optimizer, Schedule};
use serde::{Deserialize, Serialize};

/// Which images a run trains on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DataSet {
    /// Fashion-MNIST, 10 classes.
    #[default]
    Fashion,
    /// CIFAR-10, 10 classes.
    Cifar10,
}

/// How much of the data a run uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DataSize {
    /// A small subset that downloads fast and trains in seconds.
    #[default]
    Quick,
    /// The chapter's full training split.
    Full,
}

impl DataSize {
    /// Training images used (the first of the training split).
    pub fn train_images(self, data: DataSet) -> usize {
        match (self, data) {
            (DataSize::Quick, DataSet::Fashion) => 5_000,
            (DataSize::Full, DataSet::Fashion) => 55_000,
            (DataSize::Quick, DataSet::Cifar10) => 5_000,
            (DataSize::Full, DataSet::Cifar10) => 45_000,
        }
    }
}

settings! {
    /// The images.
    data: DataSet = DataSet::Fashion;
    /// Hidden layers.
    depth: u32 = 3
        => Depth "depth", Input::Int { min: 1, max: 100 },
        ("Độ sâu (số tầng ẩn)", "Depth (hidden layers)");
    /// Units per hidden layer.
    width: u32 = 100
        => Width "width", Input::Int { min: 10, max: 500 },
        ("Độ rộng (nơ-ron mỗi tầng)", "Width (units per layer)");
    /// Hidden activation.
    activation: Activation = Activation::Relu
        => Activation "activation", Input::Choice(Activation::NAMES),
        ("Hàm kích hoạt", "Activation");
    /// Leaky ReLU/ELU α or Swish β; 0 takes the activation's default.
    activation_param: f64 = 0.0
        => ActivationParam "alpha", Input::Linear { min: 0.0, max: 3.0, step: 0.01 },
        ("Tham số α/β (0: mặc định)", "α/β parameter (0: default)");
    /// Weight initialization.
    init: Init = Init::HeNormal
        => Init "init", Input::Choice(Init::NAMES), ("Khởi tạo trọng số", "Weight init");
    /// Normalization in the hidden blocks.
    norm: Norm = Norm::None
        => Norm "norm", Input::Choice(Norm::NAMES), ("Chuẩn hóa", "Normalization");
    /// Standardize the inputs with the training set's statistics (the SELU recipe).
    standardize: bool = false
        => Standardize "standardize", Input::Switch, ("Chuẩn hóa đầu vào", "Standardize inputs");
    /// The optimizer.
    optimizer: Optimizer = Optimizer::Sgd
        => Optimizer "optimizer", Input::Choice(Optimizer::NAMES), ("Bộ tối ưu", "Optimizer");
    /// Base learning rate.
    lr: f64 = 0.01
        => Lr "lr", Input::Log { min: 1e-5, max: 1.0, zero: false },
        ("Tốc độ học", "Learning rate"), live |s: &RunSettings| Some(Tune::Lr(s.lr));
    /// Momentum (SGD family) or β₁ (Adam family); RMSProp's momentum term.
    momentum: f64 = 0.9
        => Momentum "momentum", Input::Linear { min: 0.0, max: 0.99, step: 0.01 },
        ("Momentum / β₁", "Momentum / β₁"), live |s: &RunSettings| Some(Tune::Momentum(s.momentum));
    /// β₂ of the Adam family, RMSProp's α.
    beta2: f64 = 0.999
        => Beta2 "beta2", Input::Linear { min: 0.0, max: 0.9999, step: 0.0001 },
        ("β₂ (Adam) / α (RMSProp)", "β₂ (Adam) / α (RMSProp)");
    /// Weight decay of the optimizer (coupled, or decoupled for AdamW).
    weight_decay: f64 = 0.0
        => WeightDecay "weight-decay", Input::Log { min: 1e-6, max: 0.1, zero: true },
        ("Weight decay", "Weight decay");
    /// ℓ1 penalty λ₁.
    l1: f64 = 0.0
        => L1 "l1", Input::Log { min: 1e-6, max: 0.1, zero: true },
        ("Phạt ℓ1 (λ₁)", "ℓ1 penalty (λ₁)");
    /// ℓ2 penalty λ₂.
    l2: f64 = 0.0
        => L2 "l2", Input::Log { min: 1e-6, max: 0.1, zero: true },
        ("Phạt ℓ2 (λ₂)", "ℓ2 penalty (λ₂)");
    /// Dropout rate.
    dropout: f64 = 0.0
        => Dropout "dropout", Input::Linear { min: 0.0, max: 0.9, step: 0.05 },
        ("Tỉ lệ dropout", "Dropout rate"),
        live |s: &RunSettings| (s.dropout > 0.0).then_some(Tune::Dropout(s.dropout));
    /// Which dropout.
    dropout_kind: DropoutKind = DropoutKind::Standard
        => DropoutKind "dropout-kind", Input::Choice(DropoutKind::NAMES),
        ("Loại dropout", "Dropout kind");
    /// Max-norm radius r.
    max_norm: f64 = 0.0
        => MaxNorm "max-norm", Input::Linear { min: 0.0, max: 10.0, step: 0.1 },
        ("Max-norm r (0: tắt)", "Max-norm r (0: off)");
    /// Gradient clipping mode.
    clip: ClipMode = ClipMode::None
        => Clip "clip", Input::Choice(ClipMode::NAMES), ("Cắt gradient", "Gradient clipping");
    /// Clipping threshold (global norm, or value).
    clip_threshold: f64 = 1.0
        => ClipThreshold "threshold", Input::Log { min: 0.01, max: 100.0, zero: false },
        ("Ngưỡng cắt", "Clipping threshold"),
        live |s: &RunSettings| Some(Tune::ClipThreshold(s.clip_threshold));
    /// Mini-batch size.
    batch_size: u32 = 32
        => BatchSize "batch", Input::Int { min: 8, max: 512 }, ("Kích thước batch", "Batch size");
    /// Epochs.
    epochs: u32 = 5
        => Epochs "epochs", Input::Int { min: 1, max: 100 }, ("Số epoch", "Epochs");
    /// Learning-rate schedule.
    schedule: Schedule = Schedule::Constant
        => Schedule "schedule", Input::Choice(Schedule::NAMES), ("Lịch tốc độ học", "LR schedule");
    /// The schedule's factor: γ (exponential, step), the plateau factor, warmup's start factor,
    /// 1cycle's fraction of rising steps.
    schedule_factor: f64 = 0.5
        => ScheduleFactor "factor", Input::Linear { min: 0.05, max: 0.99, step: 0.01 },
        ("Hệ số lịch (γ, factor, pct)", "Schedule factor (γ, factor, pct)");
    /// The schedule's period in epochs: step size, plateau patience, warmup length, cosine T_max,
    /// the first restart period T₀.
    schedule_period: u32 = 2
        => SchedulePeriod "period", Input::Int { min: 1, max: 20 },
        ("Chu kỳ lịch (epoch)", "Schedule period (epochs)");
    /// Early-stopping patience in epochs.
    patience: u32 = 0
        => Patience "patience", Input::Int { min: 0, max: 20 },
        ("Dừng sớm: patience (0: tắt)", "Early stopping patience (0: off)");
    /// Seed of initialization, shuffling and dropout.
    seed: u64 = 42
        => Seed "seed", Input::Int { min: 0, max: 9999 }, ("Hạt giống ngẫu nhiên", "Random seed");
    /// Reshuffle the training images every epoch (off: the same order each epoch).
    shuffle: bool = true
        => Shuffle "shuffle", Input::Switch, ("Xáo trộn lại mỗi epoch", "Reshuffle every epoch");
    /// Quick subset or the full split (the switch "full").
    size: DataSize = DataSize::Quick
        => FullData "full", Input::Switch, ("Toàn bộ dữ liệu", "Full data");
    /// Take per-layer probes every this many steps (0: never).
    probe_every: u32 = 0;
}

impl RunSettings {
    /// Checks every field against its range (a stored run or a preset can hold anything).
    ///
    /// # Errors
    /// The first field out of its range, with its value.
    pub fn check(&self) -> Result<(), Invalid> {
        match Field::ALL.iter().find(|field| !field.holds(self)) {
            Some(&field) => Err(Invalid::new(field, &field.get(self))),
            None => Ok(()),
        }
    }

    /// A short label for legends and run lists, e.g. "adam · lr 0.001".
    pub fn label(&self) -> String {
        format!("{} · lr {}", self.optimizer.name(), trim_float(self.lr))
    }
}

/// A number without trailing zeros (0.0010 → "0.001", 1e-5 stays readable).
pub fn trim_float(value: f64) -> String {
    if value != 0.0 && (value.abs() < 1e-3 || value.abs() >= 1e5) {
        return format!("{value:e}");
    }
    let text = format!("{value:.6}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Tune;

    #[test]
    fn defaults_pass_their_own_check() {
        assert_eq!(RunSettings::default().check(), Ok(()));
    }

    #[test]
    fn check_names_the_bad_setting() {
        let bad = RunSettings {
            dropout: 1.0,
            ..RunSettings::default()
        };
        assert_eq!(
            bad.check(),
            Err(Invalid {
                field: Field::Dropout,
                value: "1".into()
            })
        );
        let nan = RunSettings {
            lr: f64::NAN,
            ..RunSettings::default()
        };
        assert!(nan.check().is_err_and(|e| e.field == Field::Lr));
        let deep = RunSettings {
            depth: 0,
            ..RunSettings::default()
        };
        assert_eq!(
            deep.check().map_err(|e| e.to_string()),
            Err("depth: \"0\" is not a whole number from 1 to 100".into())
        );
    }

    #[test]
    fn every_field_round_trips_through_text_and_holds_its_default() {
        let base = RunSettings::default();
        for &field in Field::ALL {
            let mut copy = base.clone();
            let text = field.get(&base);
            assert_eq!(field.set(&mut copy, &text), Ok(()), "{}", field.key());
            assert_eq!(copy, base, "{}", field.key());
            assert!(field.holds(&base), "{}", field.key());
            assert_eq!(Field::from_key(field.key()), Some(field));
            let json = serde_json::to_string(&field).unwrap();
            assert_eq!(json, format!("\"{}\"", field.key()));
        }
    }

    #[test]
    fn set_refuses_what_the_range_refuses() {
        let mut s = RunSettings::default();
        let refused = |field: Field, text: &str| {
            let mut s = RunSettings::default();
            field.set(&mut s, text) == Err(Invalid::new(field, text))
        };
        assert!(refused(Field::Lr, "0"), "lr has no zero");
        assert!(refused(Field::Lr, "abc"));
        assert!(refused(Field::Depth, "101"));
        assert!(refused(Field::Optimizer, "lion"));
        assert!(refused(Field::Shuffle, "maybe"));
        assert_eq!(Field::L2.set(&mut s, "0"), Ok(()), "l2 may be off");
        assert_eq!(Field::FullData.set(&mut s, "on"), Ok(()));
        assert_eq!(s.size, DataSize::Full);
        let long = "9".repeat(10_000);
        let clipped = Invalid::new(Field::Lr, &long).value;
        assert_eq!(clipped.chars().count(), 41);
    }

    #[test]
    fn only_live_fields_tune() {
        let s = RunSettings::default();
        let live: Vec<Field> = Field::ALL.iter().copied().filter(|f| f.is_live()).collect();
        assert_eq!(
            live,
            [
                Field::Lr,
                Field::Momentum,
                Field::Dropout,
                Field::ClipThreshold
            ]
        );
        assert_eq!(Field::Lr.tune(&s), Some(Tune::Lr(s.lr)));
        assert_eq!(Field::Depth.tune(&s), None);
        assert_eq!(
            Field::Dropout.tune(&s),
            None,
            "no dropout to tune at rate 0"
        );
    }

    #[test]
    fn missing_fields_take_defaults() {
        let parsed: RunSettings =
            serde_json::from_str(r#"{"optimizer":"adam","lr":0.001}"#).expect("parses");
        assert_eq!(parsed.optimizer, Optimizer::Adam);
        assert_eq!(parsed.depth, RunSettings::default().depth);
        assert_eq!(parsed.label(), "adam · lr 0.001");
    }

    #[test]
    fn floats_print_short() {
        assert_eq!(trim_float(0.05), "0.05");
        assert_eq!(trim_float(1.0), "1");
        assert_eq!(trim_float(0.0001), "1e-4");
    }
}
