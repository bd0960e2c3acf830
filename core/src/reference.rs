//! Reference runs: a chapter preset trained to the end by the native runner, written compact
//! (`dl101 GROUP --reference content/reference`) with the preset's config beside it. The book
//! reads the compact part ([`Reference`]) and draws it in the widgets; the test below holds each
//! committed file to the preset of its name, so a changed preset cannot leave a stale curve.

use serde::{Deserialize, Serialize};

pub use dl101_protocol::reference::{REFERENCE_DIR, Reference};

use crate::ExperimentConfig;
use crate::report::{Event, History};

/// A reference run as committed: the compact run and the config it was trained with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReferenceFile {
    /// What the widgets draw.
    #[serde(flatten)]
    pub run: Reference,
    /// The preset's config at the time of the run.
    pub config: ExperimentConfig,
}

/// Rounds to 4 significant digits: the files stay small and diffs readable.
fn round(value: f64) -> f64 {
    if value == 0.0 || !value.is_finite() {
        return value;
    }
    let scale = 10f64.powi(3 - value.abs().log10().floor() as i32);
    (value * scale).round() / scale
}

impl ReferenceFile {
    /// The reference of a finished run of `config`.
    pub fn of(config: &ExperimentConfig, history: &History, train_images: usize) -> ReferenceFile {
        ReferenceFile {
            run: Reference {
                preset: config.name.clone(),
                train_images,
                epochs: history
                    .epochs
                    .iter()
                    .map(|e| {
                        (
                            round(e.train_loss),
                            round(e.train_accuracy),
                            e.valid.map(|v| round(v.accuracy)),
                        )
                    })
                    .collect(),
                test: history.test.map(|t| round(t.accuracy)),
                diverged: history
                    .events
                    .iter()
                    .any(|e| matches!(e, Event::Diverged { .. })),
            },
            config: config.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets;

    #[test]
    fn rounding_keeps_four_significant_digits() {
        assert_eq!(round(0.871_234), 0.8712);
        assert_eq!(round(12.345_67), 12.35);
        assert_eq!(round(0.000_123_456), 0.000_123_5);
        assert!(round(f64::NAN).is_nan());
    }

    /// Every committed reference run was trained with its preset as the preset is now.
    #[test]
    fn each_reference_file_holds_its_presets_settings() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(REFERENCE_DIR);
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .collect::<Vec<_>>();
        assert!(
            !entries.is_empty(),
            "no reference runs in {}",
            dir.display()
        );
        for entry in entries {
            let path = entry.path();
            let text = std::fs::read_to_string(&path).expect("readable");
            let file: ReferenceFile =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            assert_eq!(file.run.preset, stem, "{}", path.display());
            let preset = presets::preset(stem)
                .unwrap_or_else(|| panic!("{}: no preset {stem}", path.display()));
            assert_eq!(
                file.config,
                preset,
                "{}: the preset changed since this run; run scripts/reference.sh",
                path.display()
            );
            let epochs = file.run.epochs.len();
            assert!(epochs > 0 && epochs <= preset.epochs, "{}", path.display());
            assert!(file.run.test.is_some(), "{}", path.display());
        }
    }
}
