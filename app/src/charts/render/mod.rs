//! Drawing each kind of [`ChartSpec`](super::ChartSpec) with plotters on a canvas. Sizes are given
//! in CSS pixels and scaled by the device pixel ratio. Ranges reach plotters only through
//! [`geom`](super::geom), so they are always finite and non-degenerate.
//!
//! This module holds the [`Painter`] and what every chart kind shares (text, strokes, title,
//! message, blitting); [`axes`] builds the plot frame, [`marks`] draws lines, markers and the
//! legend, and each chart kind has its own file.

mod axes;
mod bars;
mod heatmap;
mod histograms;
mod line;
mod marks;
mod surface;

use std::ops::Range;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

use crate::charts::style::{Rgb, Theme};

/// The whole canvas as a plotters drawing area.
pub(super) type Area = DrawingArea<CanvasBackend, Shift>;

/// A pixel rectangle of the canvas: `(x range, y range)`.
type PixelRect = (Range<i32>, Range<i32>);

/// Turns any error into the message `draw` returns.
pub(super) fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

/// A theme colour as a plotters colour.
fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

/// Draws on one canvas with one theme.
pub(super) struct Painter<'a> {
    /// The colours and font.
    pub theme: &'a Theme,
    /// Device pixels per CSS pixel.
    pub dpr: f64,
    /// The canvas's 2D context (plotters draws through the same one).
    pub ctx: CanvasRenderingContext2d,
    /// The whole canvas, in device pixels.
    pub root: Area,
}

impl<'a> Painter<'a> {
    /// CSS pixels to device pixels.
    pub fn px(&self, css: f64) -> i32 {
        (css * self.dpr).round() as i32
    }

    /// CSS pixels to device pixels, at least 1.
    fn upx(&self, css: f64) -> u32 {
        self.px(css).max(1) as u32
    }

    /// The theme font at `css` pixels.
    fn font(&self, css: f64, style: FontStyle) -> FontDesc<'a> {
        FontDesc::new(FontFamily::Name(&self.theme.font), css * self.dpr, style)
    }

    /// A text style: the theme font at `css` pixels in `color`.
    fn text(&self, css: f64, color: Rgb) -> TextStyle<'a> {
        self.font(css, FontStyle::Normal).color(&rgb(color))
    }

    /// The CSS font shorthand for drawing straight on the context.
    pub fn css_font(&self, css: f64, bold: bool) -> String {
        format!(
            "{}{}px {}",
            if bold { "600 " } else { "" },
            (css * self.dpr).round(),
            self.theme.font
        )
    }

    /// A line style.
    fn stroke(&self, color: Rgb, alpha: f64, css_width: f64) -> ShapeStyle {
        ShapeStyle {
            color: rgb(color).mix(alpha),
            filled: false,
            stroke_width: self.upx(css_width),
        }
    }

    /// Text width in device pixels, measured by the canvas (no layout pass).
    pub fn measure(&self, text: &str, font: &str) -> f64 {
        self.ctx.set_font(font);
        self.ctx
            .measure_text(text)
            .map(|m| m.width())
            .ok()
            .filter(|w| w.is_finite())
            .unwrap_or(0.0)
    }

    /// Draws `title` at the top left and returns the area below it.
    pub fn title(&self, area: &Area, title: &str) -> Result<Area, String> {
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
    pub fn message(&self, area: &Area, message: &str) -> Result<(), String> {
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

    /// Copies an RGBA image (`w` × `h`) onto the canvas rectangle `dest` (device pixels), crisp or
    /// smoothed, clipped to `clip`.
    pub fn blit(
        &self,
        rgba: &[u8],
        (w, h): (u32, u32),
        dest: (f64, f64, f64, f64),
        smooth: bool,
        clip: Option<&PixelRect>,
    ) -> Result<(), String> {
        if w == 0 || h == 0 || rgba.len() != (w as usize) * (h as usize) * 4 {
            return Ok(());
        }
        let off = offscreen(w, h)?;
        let off_ctx = context_2d(&off)?;
        let data = ImageData::new_with_u8_clamped_array_and_sh(Clamped(rgba), w, h)
            .map_err(|_| "ImageData failed".to_string())?;
        off_ctx
            .put_image_data(&data, 0.0, 0.0)
            .map_err(|_| "putImageData failed".to_string())?;
        self.ctx.save();
        if let Some((xr, yr)) = clip {
            self.ctx.begin_path();
            self.ctx.rect(
                f64::from(xr.start),
                f64::from(yr.start),
                f64::from(xr.end - xr.start),
                f64::from(yr.end - yr.start),
            );
            self.ctx.clip();
        }
        self.ctx.set_image_smoothing_enabled(smooth);
        let drawn = self
            .ctx
            .draw_image_with_html_canvas_element_and_dw_and_dh(&off, dest.0, dest.1, dest.2, dest.3)
            .map_err(|_| "drawImage failed".to_string());
        self.ctx.restore();
        drawn
    }
}

/// `(x, y, width, height)` of a pixel rectangle.
fn rect_f64((xr, yr): &PixelRect) -> (f64, f64, f64, f64) {
    (
        f64::from(xr.start),
        f64::from(yr.start),
        f64::from(xr.end - xr.start),
        f64::from(yr.end - yr.start),
    )
}

/// `s` cut to `max` characters, with "…" when cut.
pub(super) fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let keep: String = s.chars().take(max.saturating_sub(1)).collect();
    format!("{keep}…")
}

/// A detached canvas of `w` × `h` pixels.
pub(super) fn offscreen(w: u32, h: u32) -> Result<HtmlCanvasElement, String> {
    let canvas: HtmlCanvasElement = web_sys::window()
        .and_then(|win| win.document())
        .ok_or("no document")?
        .create_element("canvas")
        .map_err(|_| "createElement failed".to_string())?
        .dyn_into()
        .map_err(|_| "not a canvas".to_string())?;
    canvas.set_width(w);
    canvas.set_height(h);
    Ok(canvas)
}

/// The 2D context of `canvas`.
pub(super) fn context_2d(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, String> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
        .ok_or_else(|| "no 2D context".to_string())
}
