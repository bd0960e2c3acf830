//! What a drawing backend must offer beyond plotters: text measurement, RGBA images and bundles of
//! line segments. The canvas in the app does these natively; other backends get plotters fallbacks.

use plotters::prelude::*;

use super::{Area, PixelRect, err, rgb};
use crate::style::Rgb;

/// A line segment between two points, in device pixels.
pub type Segment = ((i32, i32), (i32, i32));

/// A plotters backend plus the few things the painter needs that plotters does not provide.
pub trait Target {
    /// The plotters backend charts are drawn on.
    type Backend: DrawingBackend;

    /// Font sizes are multiplied by this before they reach plotters: 1 where the backend sets
    /// text at the size it is given (the canvas), 1.24 for plotters' SVG backend, which writes
    /// `font-size` as the size divided by 1.24.
    const FONT_SCALE: f64 = 1.0;

    /// Width in device pixels of `text` set in `font`, a CSS font shorthand such as
    /// `600 22px system-ui, sans-serif`. Must be finite and non-negative.
    fn measure(&self, text: &str, font: &str) -> f64;

    /// Copies an RGBA image (`size` = `w` × `h`, rows top to bottom) onto the rectangle `dest`
    /// (`x, y, width, height` in device pixels), smoothed or crisp, clipped to `clip`. A buffer
    /// whose length does not match `size` draws nothing.
    ///
    /// The default draws one filled rectangle per run of equal pixels ([`blit_as_rects`]), always
    /// crisp: right for vector output of small images such as heatmaps.
    fn blit(
        &self,
        root: &Area<Self::Backend>,
        rgba: &[u8],
        size: (u32, u32),
        dest: (f64, f64, f64, f64),
        smooth: bool,
        clip: Option<&PixelRect>,
    ) -> Result<(), String> {
        let _ = smooth;
        blit_as_rects(root, rgba, size, dest, clip)
    }

    /// Strokes line segments (device pixels) in `color` at `alpha` and `width` device pixels, as
    /// one path where the backend can. The default draws one plotters path per segment.
    fn stroke_segments(
        &self,
        root: &Area<Self::Backend>,
        segments: &[Segment],
        color: Rgb,
        alpha: f64,
        width: u32,
    ) -> Result<(), String> {
        let style = ShapeStyle {
            color: rgb(color).mix(alpha),
            filled: false,
            stroke_width: width,
        };
        for (p, q) in segments {
            root.draw(&PathElement::new(vec![*p, *q], style))
                .map_err(err)?;
        }
        Ok(())
    }
}

/// Draws an RGBA image as filled rectangles, one per horizontal run of equal pixels, nearest
/// neighbour; fully transparent pixels are skipped. See [`Target::blit`] for the arguments.
pub fn blit_as_rects<DB: DrawingBackend>(
    root: &Area<DB>,
    rgba: &[u8],
    (w, h): (u32, u32),
    (x, y, dw, dh): (f64, f64, f64, f64),
    clip: Option<&PixelRect>,
) -> Result<(), String> {
    let (wu, hu) = (w as usize, h as usize);
    if w == 0
        || h == 0
        || rgba.len() != wu * hu * 4
        || ![x, y, dw, dh].iter().all(|v| v.is_finite())
    {
        return Ok(());
    }
    let (cx, cy) = clip.cloned().unwrap_or_else(|| root.get_pixel_range());
    // Pixel edge `k` of `n` along a side starting at `start`, `len` long, kept inside `lim`.
    let edge = |start: f64, len: f64, n: u32, k: usize, lim: &std::ops::Range<i32>| {
        let p = (start + len * k as f64 / f64::from(n)).round();
        p.clamp(f64::from(lim.start), f64::from(lim.end)) as i32
    };
    for row in 0..hu {
        let (a, b) = (edge(y, dh, h, row, &cy), edge(y, dh, h, row + 1, &cy));
        let (y0, y1) = (a.min(b), a.max(b));
        if y1 == y0 {
            continue;
        }
        let pixel = |col: usize| &rgba[(row * wu + col) * 4..(row * wu + col) * 4 + 4];
        let mut col = 0;
        while col < wu {
            let px = pixel(col);
            let end = (col + 1..wu).find(|&c| pixel(c) != px).unwrap_or(wu);
            let (a, b) = (edge(x, dw, w, col, &cx), edge(x, dw, w, end, &cx));
            let (x0, x1) = (a.min(b), a.max(b));
            if x1 > x0 && px[3] > 0 {
                let color = RGBColor(px[0], px[1], px[2]).mix(f64::from(px[3]) / 255.0);
                root.draw(&Rectangle::new([(x0, y0), (x1, y1)], color.filled()))
                    .map_err(err)?;
            }
            col = end;
        }
    }
    Ok(())
}
