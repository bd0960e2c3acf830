//! The settings a widget exposes, as the page edits them. What each setting is (key, range,
//! default, live or not, label) is the one table in `dl101_protocol::settings`; here are the
//! page's parts: log-slider positions, and reading a widget's settings from the address with a
//! notice for each value it refuses. Pure code, tested natively.

pub use dl101_protocol::field::{Expected, Input, Invalid, clip};
pub use dl101_protocol::settings::Field;
use dl101_protocol::settings::RunSettings;

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
}

impl From<Invalid> for Notice {
    fn from(invalid: Invalid) -> Self {
        Notice::BadValue {
            key: invalid.field.key(),
            expected: invalid.expected(),
            text: invalid.value,
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
                    notices.push(e.into());
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
        notices.push(e.into());
        settings = base.clone();
    }
    (settings, notices)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dl101_protocol::vocab::Optimizer;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
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
}
