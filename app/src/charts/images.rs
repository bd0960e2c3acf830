//! The image grid: pixels blitted crisp (nearest neighbour) from a small offscreen canvas, a
//! caption under each image, and optional per-class probability bars with ± std whiskers.

use dl101_charts::geom::grid_layout;
use dl101_charts::render::{Area, Painter};
use dl101_charts::spec::{ImageCell, ImageGrid};
use dl101_charts::style::Rgb;
use plotters_canvas::CanvasBackend;

use super::canvas::CanvasTarget;

/// The painter on a canvas.
type CanvasPainter<'a> = Painter<'a, CanvasTarget>;

/// Extra height under each image for its caption, in CSS pixels.
const CAPTION: f64 = 18.0;
/// Bar chart height as a share of the image size.
const BARS: f64 = 0.45;

/// The cell's pixels as RGBA, or `None` if the buffer does not match its size and channels.
fn rgba(cell: &ImageCell) -> Option<Vec<u8>> {
    let (w, h) = (cell.width as usize, cell.height as usize);
    let ch = usize::from(cell.channels);
    let n = w.checked_mul(h)?;
    if n == 0 || !(ch == 1 || ch == 3 || ch == 4) || cell.pixels.len() < n.checked_mul(ch)? {
        return None;
    }
    let mut out = Vec::with_capacity(n * 4);
    for px in cell.pixels.chunks_exact(ch).take(n) {
        match px {
            [g] => out.extend_from_slice(&[*g, *g, *g, 255]),
            [r, g, b] => out.extend_from_slice(&[*r, *g, *b, 255]),
            [r, g, b, a] => out.extend_from_slice(&[*r, *g, *b, *a]),
            _ => return None,
        }
    }
    Some(out)
}

/// An image grid.
pub(super) fn images(
    p: &CanvasPainter<'_>,
    area: &Area<CanvasBackend>,
    g: &ImageGrid,
) -> Result<(), String> {
    let area = p.title(area, &g.title)?;
    if g.cells.is_empty() {
        return p.message(&area, "—");
    }
    let (xr, yr) = area.get_pixel_range();
    let pad = f64::from(p.px(8.0));
    let (left, top) = (f64::from(xr.start) + pad, f64::from(yr.start) + pad / 2.0);
    let width = f64::from(xr.end - xr.start) - 2.0 * pad;
    let height = f64::from(yr.end - yr.start) - pad;
    let gap = f64::from(p.px(10.0));
    let below = f64::from(p.px(CAPTION));
    let bars = if g.cells.iter().any(|c| c.bars.is_some()) {
        BARS
    } else {
        0.0
    };
    let layout = grid_layout(
        g.cells.len(),
        width,
        height,
        below,
        bars,
        gap,
        f64::from(p.px(112.0)),
    );
    let size = layout.size.floor();
    if size < 2.0 {
        return p.message(&area, "…");
    }
    let used = layout.cols as f64 * size + (layout.cols as f64 - 1.0) * gap;
    let x_off = left + ((width - used) / 2.0).max(0.0);
    let row_h = size * (1.0 + bars) + below + gap;
    for (k, cell) in g.cells.iter().enumerate() {
        let x = x_off + (k % layout.cols) as f64 * (size + gap);
        let y = top + (k / layout.cols) as f64 * row_h;
        image_cell(p, cell, x, y, size, gap)?;
        if let Some((means, stds)) = &cell.bars {
            let region = (
                x,
                y + size + below,
                size,
                size * bars - f64::from(p.px(2.0)),
            );
            prob_bars(p, means, stds, cell.correct, region);
        }
    }
    Ok(())
}

/// One image (fitted into a `size` box at `x`, `y`), its frame and caption.
fn image_cell(
    p: &CanvasPainter<'_>,
    cell: &ImageCell,
    x: f64,
    y: f64,
    size: f64,
    gap: f64,
) -> Result<(), String> {
    let t = p.theme;
    let verdict = match cell.correct {
        Some(true) => Some(t.tip),
        Some(false) => Some(t.caution),
        None => None,
    };
    let ctx = &p.target.ctx;
    match rgba(cell) {
        Some(pixels) => {
            let (w, h) = (f64::from(cell.width), f64::from(cell.height));
            let mut scale = (size / w).min(size / h);
            if scale >= 2.0 {
                scale = scale.floor();
            }
            let (dw, dh) = ((w * scale).round(), (h * scale).round());
            let (dx, dy) = (
                (x + (size - dw) / 2.0).round(),
                (y + (size - dh) / 2.0).round(),
            );
            p.blit(
                &pixels,
                (cell.width, cell.height),
                (dx, dy, dw, dh),
                false,
                None,
            )?;
            let lw = f64::from(p.px(if verdict.is_some() { 2.0 } else { 1.0 }));
            ctx.set_stroke_style_str(&verdict.unwrap_or(t.border).css(1.0));
            ctx.set_line_width(lw);
            ctx.stroke_rect(dx - lw / 2.0, dy - lw / 2.0, dw + lw, dh + lw);
        }
        None => {
            ctx.set_stroke_style_str(&t.border.css(1.0));
            ctx.set_line_width(f64::from(p.px(1.0)));
            ctx.stroke_rect(x, y, size, size);
            let font = p.css_font(12.0, false);
            let cy = y + size / 2.0 - f64::from(p.px(7.0));
            centred_text(p, "?", x + size / 2.0, cy, t.muted, &font)?;
        }
    }
    let (mark, color) = match cell.correct {
        Some(true) => ("✓ ", t.tip),
        Some(false) => ("✗ ", t.caution),
        None => ("", t.text),
    };
    let font = p.css_font(11.0, cell.correct.is_some());
    let max_w = size + gap * 0.8;
    let mut caption = format!("{mark}{}", cell.caption);
    // Drop characters until the caption fits (at most a few dozen tries).
    let mut chars: Vec<char> = caption.chars().collect();
    let mut tries = 0;
    while chars.len() > 1 && p.measure(&caption, &font) > max_w && tries < 64 {
        chars.pop();
        caption = chars.iter().collect::<String>() + "…";
        tries += 1;
    }
    let cy = y + size + f64::from(p.px(3.0));
    centred_text(p, &caption, x + size / 2.0, cy, color, &font)
}

/// Draws `text` in `font` centred on `cx`, its top at `y`.
fn centred_text(
    p: &CanvasPainter<'_>,
    text: &str,
    cx: f64,
    y: f64,
    color: Rgb,
    font: &str,
) -> Result<(), String> {
    let ctx = &p.target.ctx;
    ctx.set_font(font);
    ctx.set_text_align("center");
    ctx.set_text_baseline("top");
    ctx.set_fill_style_str(&color.css(1.0));
    ctx.fill_text(text, cx, y)
        .map_err(|_| "fillText failed".to_string())
}

/// Per-class probability bars (mean, with ± std whiskers) in `(x, y, w, h)`; the most likely
/// class is coloured by the verdict.
fn prob_bars(
    p: &CanvasPainter<'_>,
    means: &[f64],
    stds: &[f64],
    correct: Option<bool>,
    (x, y, w, h): (f64, f64, f64, f64),
) {
    let n = means.len();
    if n == 0 || w.is_nan() || h.is_nan() || w <= 0.0 || h <= 0.0 {
        return;
    }
    let t = p.theme;
    let ctx = &p.target.ctx;
    let slot = w / n as f64;
    let bar_w = (slot * 0.75).max(1.0);
    let top_class = means
        .iter()
        .enumerate()
        .filter(|(_, m)| m.is_finite())
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(i, _)| i);
    let strong = match correct {
        Some(true) => t.tip,
        Some(false) => t.caution,
        None => t.accent,
    };
    let base = y + h;
    ctx.set_stroke_style_str(&t.border.css(1.0));
    ctx.set_line_width(f64::from(p.px(1.0)));
    ctx.begin_path();
    ctx.move_to(x, base);
    ctx.line_to(x + w, base);
    ctx.stroke();
    let whisker = t.text.css(0.6);
    for (i, m) in means.iter().enumerate() {
        if !m.is_finite() {
            continue;
        }
        let m = m.clamp(0.0, 1.0);
        let bx = x + i as f64 * slot + (slot - bar_w) / 2.0;
        let color = if Some(i) == top_class {
            strong.css(1.0)
        } else {
            t.link.css(0.55)
        };
        ctx.set_fill_style_str(&color);
        ctx.fill_rect(bx, base - m * h, bar_w, m * h);
        let Some(sd) = stds.get(i).copied().filter(|s| s.is_finite() && *s > 0.0) else {
            continue;
        };
        let (lo, hi) = ((m - sd).max(0.0), (m + sd).min(1.0));
        let cx = bx + bar_w / 2.0;
        ctx.set_stroke_style_str(&whisker);
        ctx.begin_path();
        ctx.move_to(cx, base - lo * h);
        ctx.line_to(cx, base - hi * h);
        if bar_w >= f64::from(p.px(4.0)) {
            let cap = bar_w * 0.3;
            for v in [lo, hi] {
                ctx.move_to(cx - cap, base - v * h);
                ctx.line_to(cx + cap, base - v * h);
            }
        }
        ctx.stroke();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn cell(w: u32, h: u32, channels: u8, len: usize) -> ImageCell {
        ImageCell {
            width: w,
            height: h,
            channels,
            pixels: (0..len).map(|i| i as u8).collect(),
            ..ImageCell::default()
        }
    }

    #[test]
    fn pixels_become_rgba_or_nothing() {
        assert_eq!(
            rgba(&cell(2, 1, 1, 2)),
            Some(vec![0, 0, 0, 255, 1, 1, 1, 255])
        );
        assert_eq!(rgba(&cell(1, 1, 3, 3)), Some(vec![0, 1, 2, 255]));
        assert_eq!(rgba(&cell(2, 2, 3, 11)), None);
        assert_eq!(rgba(&cell(2, 2, 2, 8)), None);
        assert_eq!(rgba(&cell(0, 2, 1, 0)), None);
        assert_eq!(rgba(&cell(u32::MAX, u32::MAX, 3, 4)), None);
        // Extra bytes are ignored.
        assert_eq!(rgba(&cell(1, 1, 1, 5)), Some(vec![0, 0, 0, 255]));
    }
}
