//! Charts as SVG text, drawn natively with plotters' SVG backend: static figures for print and for
//! pages read without JavaScript.

use std::marker::PhantomData;

use plotters::prelude::*;

use crate::render::{Painter, Target, err, rgb};
use crate::spec::ChartSpec;
use crate::style::Theme;

/// Width of an average character as a share of the font size, for [`SvgTarget::measure`]. Errs
/// wide for proportional sans-serif faces, so labels get room rather than overlap.
const CHAR_WIDTH: f64 = 0.62;

/// The [`Target`] for plotters' [`SVGBackend`]. Text is measured by a deterministic estimate
/// (there is no font at build time; the viewer shapes the text); images are drawn as rectangles,
/// one per run of equal pixels, always crisp.
#[derive(Clone, Copy, Debug, Default)]
pub struct SvgTarget<'a>(PhantomData<&'a ()>);

impl<'a> Target for SvgTarget<'a> {
    type Backend = SVGBackend<'a>;

    /// plotters' SVG backend divides font sizes by 1.24; this undoes it, so SVG text has the
    /// canvas's sizes.
    const FONT_SCALE: f64 = 1.24;

    /// Characters × 0.62 × the font's pixel size (16 px when `font` names none).
    fn measure(&self, text: &str, font: &str) -> f64 {
        let size = font
            .split_whitespace()
            .find_map(|w| w.strip_suffix("px")?.parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s > 0.0)
            .unwrap_or(16.0);
        text.chars().count() as f64 * CHAR_WIDTH * size
    }
}

/// `spec` drawn as an SVG document of `width` × `height` pixels on `theme`'s panel colour.
///
/// Supported: empty charts (the message), line charts, bar charts and histogram ridgelines as
/// vector paths and text; heatmaps and surfaces too, their colour fields as rectangles (crisp,
/// never smoothed) and surface contours as separate segments.
///
/// # Errors
///
/// A size under 2 × 2 pixels, an image grid (drawn only on a canvas), or a plotters failure.
pub fn svg(spec: &ChartSpec, width: u32, height: u32, theme: &Theme) -> Result<String, String> {
    if width < 2 || height < 2 {
        return Err(format!(
            "an SVG chart needs at least 2 × 2 pixels, not {width} × {height}"
        ));
    }
    if let ChartSpec::Images(_) = spec {
        return Err("image grids are drawn only on a canvas, not in SVG".to_string());
    }
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        root.fill(&rgb(theme.panel)).map_err(err)?;
        let painter = Painter {
            theme,
            dpr: 1.0,
            target: SvgTarget::default(),
            root: root.clone(),
        };
        painter.draw(spec)?;
        root.present().map_err(err)?;
    }
    Ok(out)
}
