//! The canvas [`Target`]: text measured by the 2D context, images blitted through an offscreen
//! canvas, contour segments stroked as one path, all on the context plotters draws through.

use dl101_charts::render::{Area, PixelRect, Segment, Target};
use dl101_charts::style::Rgb;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

/// Draws on a canvas through its 2D context, beside plotters' [`CanvasBackend`].
pub(super) struct CanvasTarget {
    /// The canvas's 2D context (plotters draws through the same one).
    pub ctx: CanvasRenderingContext2d,
}

impl Target for CanvasTarget {
    type Backend = CanvasBackend;

    /// Text width in device pixels, measured by the canvas (no layout pass).
    fn measure(&self, text: &str, font: &str) -> f64 {
        self.ctx.set_font(font);
        self.ctx
            .measure_text(text)
            .map(|m| m.width())
            .ok()
            .filter(|w| w.is_finite())
            .unwrap_or(0.0)
    }

    /// Copies the image through an offscreen canvas with `drawImage`, smoothed or crisp.
    fn blit(
        &self,
        _root: &Area<CanvasBackend>,
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

    /// Strokes all segments as one path, straight on the context.
    fn stroke_segments(
        &self,
        _root: &Area<CanvasBackend>,
        segments: &[Segment],
        color: Rgb,
        alpha: f64,
        width: u32,
    ) -> Result<(), String> {
        self.ctx.save();
        self.ctx.set_stroke_style_str(&color.css(alpha));
        self.ctx.set_line_width(f64::from(width));
        self.ctx.begin_path();
        for (p, q) in segments {
            self.ctx.move_to(f64::from(p.0), f64::from(p.1));
            self.ctx.line_to(f64::from(q.0), f64::from(q.1));
        }
        self.ctx.stroke();
        self.ctx.restore();
        Ok(())
    }
}

/// A detached canvas of `w` × `h` pixels.
fn offscreen(w: u32, h: u32) -> Result<HtmlCanvasElement, String> {
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
