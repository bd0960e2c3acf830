//! Drawing each kind of [`ChartSpec`] with plotters on any backend. Sizes are given in CSS pixels
//! and scaled by the device pixel ratio. Ranges reach plotters only through [`geom`](crate::geom),
//! so they are always finite and non-degenerate.
//!
//! This module holds the [`Painter`] and what every chart kind shares (text, strokes, title,
//! message, blitting); [`Target`] is what a backend adds beyond plotters (text measurement,
//! images); `axes` builds the plot frame, `marks` draws lines, markers and the legend, and
//! each chart kind has its own file.

mod axes;
mod bars;
mod heatmap;
mod histograms;
mod line;
mod marks;
mod surface;
mod target;

use std::ops::Range;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub use target::{Segment, Target, blit_as_rects};

use crate::spec::ChartSpec;
use crate::style::{Rgb, Theme};

/// A whole drawing surface as a plotters drawing area.
pub type Area<DB> = DrawingArea<DB, Shift>;

/// A pixel rectangle of the drawing surface: `(x range, y range)`.
pub type PixelRect = (Range<i32>, Range<i32>);

/// Turns any error into the message drawing returns.
pub(crate) fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

/// A theme colour as a plotters colour.
pub(crate) fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

/// Draws on one surface with one theme.
pub struct Painter<'a, T: Target> {
    /// The colours and font.
    pub theme: &'a Theme,
    /// Device pixels per CSS pixel.
    pub dpr: f64,
    /// What the backend offers beyond plotters: text measurement and images.
    pub target: T,
    /// The whole surface, in device pixels.
    pub root: Area<T::Backend>,
}

impl<'a, T: Target> Painter<'a, T> {
    /// Draws `spec` on the whole surface. Image grids are left to the caller (they need the
    /// canvas); for them this returns an error.
    pub fn draw(&self, spec: &ChartSpec) -> Result<(), String> {
        let root = &self.root;
        match spec {
            ChartSpec::Empty(message) => self.message(root, message),
            ChartSpec::Line(c) => self.line(root, c),
            ChartSpec::Bars(c) => self.bars(root, c),
            ChartSpec::Heatmap(c) => self.heatmap(root, c),
            ChartSpec::Histograms(c) => self.histograms(root, c),
            ChartSpec::Surface(c) => self.surface(root, c),
            ChartSpec::Images(_) => Err("image grids are drawn only on a canvas".to_string()),
        }
    }

    /// CSS pixels to device pixels.
    pub fn px(&self, css: f64) -> i32 {
        (css * self.dpr).round() as i32
    }

    /// CSS pixels to device pixels, at least 1.
    pub(crate) fn upx(&self, css: f64) -> u32 {
        self.px(css).max(1) as u32
    }

    /// The theme font at `css` pixels.
    pub(crate) fn font(&self, css: f64, style: FontStyle) -> FontDesc<'a> {
        FontDesc::new(
            FontFamily::Name(&self.theme.font),
            css * self.dpr * T::FONT_SCALE,
            style,
        )
    }

    /// A text style: the theme font at `css` pixels in `color`.
    pub(crate) fn text(&self, css: f64, color: Rgb) -> TextStyle<'a> {
        self.font(css, FontStyle::Normal).color(&rgb(color))
    }

    /// The CSS font shorthand (e.g. `600 22px system-ui`) of the theme font at `css` pixels.
    pub fn css_font(&self, css: f64, bold: bool) -> String {
        format!(
            "{}{}px {}",
            if bold { "600 " } else { "" },
            (css * self.dpr).round(),
            self.theme.font
        )
    }

    /// A line style.
    pub(crate) fn stroke(&self, color: Rgb, alpha: f64, css_width: f64) -> ShapeStyle {
        ShapeStyle {
            color: rgb(color).mix(alpha),
            filled: false,
            stroke_width: self.upx(css_width),
        }
    }

    /// Text width in device pixels of `text` in the CSS font shorthand `font`
    /// ([`Target::measure`]).
    pub fn measure(&self, text: &str, font: &str) -> f64 {
        self.target.measure(text, font)
    }

    /// Copies an RGBA image (`w` × `h`) onto the rectangle `dest` (`x, y, width, height` in device
    /// pixels), crisp or smoothed, clipped to `clip` ([`Target::blit`]).
    pub fn blit(
        &self,
        rgba: &[u8],
        size: (u32, u32),
        dest: (f64, f64, f64, f64),
        smooth: bool,
        clip: Option<&PixelRect>,
    ) -> Result<(), String> {
        self.target.blit(&self.root, rgba, size, dest, smooth, clip)
    }

    /// Draws `title` at the top left and returns the area below it.
    pub fn title(&self, area: &Area<T::Backend>, title: &str) -> Result<Area<T::Backend>, String> {
        if title.trim().is_empty() {
            let (_, rest) = area.split_vertically(self.px(6.0));
            return Ok(rest);
        }
        let h = self.px(26.0);
        let (top, rest) = area.split_vertically(h);
        let style = self
            .font(14.0, FontStyle::Bold)
            .color(&rgb(self.theme.text))
            .pos(Pos::new(HPos::Left, VPos::Center));
        top.draw(&Text::new(title.to_string(), (self.px(10.0), h / 2), style))
            .map_err(err)?;
        Ok(rest)
    }

    /// Draws `message` centred on `area`, wrapped to its width.
    pub fn message(&self, area: &Area<T::Backend>, message: &str) -> Result<(), String> {
        let (w, h) = area.dim_in_pixel();
        let font = self.css_font(14.0, false);
        let max_w = f64::from(w) * 0.9;
        let mut lines: Vec<String> = Vec::new();
        for word in message.split_whitespace() {
            match lines.last_mut() {
                Some(line) if self.measure(&format!("{line} {word}"), &font) <= max_w => {
                    line.push(' ');
                    line.push_str(word);
                }
                _ => lines.push(word.to_string()),
            }
        }
        let line_h = self.px(20.0);
        let top = h as i32 / 2 - line_h * (lines.len() as i32 - 1) / 2;
        let style = self
            .text(14.0, self.theme.muted)
            .pos(Pos::new(HPos::Center, VPos::Center));
        for (k, line) in lines.into_iter().enumerate() {
            area.draw(&Text::new(
                line,
                (w as i32 / 2, top + k as i32 * line_h),
                style.clone(),
            ))
            .map_err(err)?;
        }
        Ok(())
    }
}

/// `(x, y, width, height)` of a pixel rectangle.
pub(crate) fn rect_f64((xr, yr): &PixelRect) -> (f64, f64, f64, f64) {
    (
        f64::from(xr.start),
        f64::from(yr.start),
        f64::from(xr.end - xr.start),
        f64::from(yr.end - yr.start),
    )
}

/// `s` cut to `max` characters, with "…" when cut.
pub(crate) fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let keep: String = s.chars().take(max.saturating_sub(1)).collect();
    format!("{keep}…")
}
