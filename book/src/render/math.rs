//! LaTeX math to MathML with pulldown-latex, refusing anything it cannot parse.

use pulldown_latex::config::DisplayMode;
use pulldown_latex::{Parser, RenderConfig, Storage, push_mathml};

/// Renders `latex` as a `<math>` element; `display` for `$$…$$` blocks.
pub(crate) fn to_mathml(latex: &str, display: bool) -> Result<String, String> {
    let storage = Storage::new();
    let events: Vec<_> = Parser::new(latex, &storage).collect();
    if let Some(Err(error)) = events.iter().find(|event| event.is_err()) {
        return Err(format!("bad math \"{}\": {error}", latex.trim()));
    }
    let config = RenderConfig {
        display_mode: if display {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        annotation: Some(latex.trim()),
        ..RenderConfig::default()
    };
    let mut out = String::new();
    push_mathml(&mut out, events.into_iter(), config)
        .map_err(|error| format!("cannot render math \"{}\": {error}", latex.trim()))?;
    if out.contains("<merror") {
        return Err(format!("math \"{}\" renders as an error", latex.trim()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_fractions_to_mathml() {
        let html = to_mathml(r"\frac{2}{n_\text{in} + n_\text{out}}", false).unwrap();
        assert!(html.starts_with("<math"), "{html}");
        assert!(html.contains("<mfrac>"), "{html}");
        assert!(!html.contains("merror"), "{html}");
    }

    #[test]
    fn display_math_is_a_block() {
        let html = to_mathml(r"\sigma(z) = \frac{1}{1 + e^{-z}}", true).unwrap();
        assert!(html.contains("display=\"block\""), "{html}");
    }

    #[test]
    fn unbalanced_braces_are_refused() {
        let err = to_mathml(r"\frac{1}{2", false).unwrap_err();
        assert!(err.contains("bad math"), "{err}");
    }

    #[test]
    fn unknown_commands_are_refused() {
        assert!(to_mathml(r"\notacommand x", false).is_err());
    }
}
