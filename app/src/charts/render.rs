//! Drawing each kind of [`ChartSpec`](super::ChartSpec) with plotters on a canvas. Sizes are given
//! in CSS pixels and scaled by the device pixel ratio. Ranges reach plotters only through
//! [`geom`](super::geom), so they are always finite and non-degenerate.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

use super::geom::{
    axis_label, clip_polyline, contour_segments, extent, fixed_range, format_value, from_axis,
    levels, normalised, segments, settle, tick_step, ticks, to_axis, unit,
};
use super::spec::{BarChart, Heatmap, Histograms, LineChart, Scale, Series, SurfacePlot};
use super::style::{Rgb, Theme, colormap};

/// The whole canvas as a plotters drawing area.
pub(super) type Area = DrawingArea<CanvasBackend, Shift>;

/// A linear `f64` axis with hand-picked ticks (labels come from [`Axis::label`]).
#[derive(Clone)]
struct Ticked {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        let span = self.hi - self.lo;
        let t = if span > 0.0 {
            (v - self.lo) / span
        } else {
            0.5
        };
        let p = f64::from(limit.0) + t * f64::from(limit.1 - limit.0);
        // Far-off points saturate well inside i32 so that later pixel arithmetic cannot overflow.
        if p.is_finite() {
            p.round().clamp(-1e8, 1e8) as i32
        } else {
            limit.0
        }
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

/// A 2D chart with hand-picked ticks on both axes.
type Chart2d<'b> = ChartContext<'b, CanvasBackend, Cartesian2d<Ticked, Ticked>>;

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

/// What every axis needs: range and ticks in axis units, tick labels, name.
struct Axis<'s> {
    range: (f64, f64),
    ticks: Vec<f64>,
    label: Box<dyn Fn(&f64) -> String + 's>,
    name: &'s str,
    grid: bool,
}

impl<'s> Axis<'s> {
    /// A numeric axis over `range` (axis units) with about `target` ticks.
    fn numeric(range: (f64, f64), target: usize, scale: Scale, name: &'s str) -> Self {
        let ticks = ticks(range.0, range.1, target, scale);
        let step = tick_step(&ticks);
        Axis {
            range,
            ticks,
            label: Box::new(move |v: &f64| axis_label(*v, step, scale)),
            name,
            grid: true,
        }
    }
}

/// One legend row.
struct LegendEntry {
    label: String,
    color: Rgb,
    dashed: bool,
    faded: bool,
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

    /// Builds a chart on `area` with the given axes and draws its grid, axes and labels.
    /// `right` is extra room (CSS px) on the right, e.g. for a colour bar.
    fn chart<'b>(
        &self,
        area: &'b Area,
        x: &Axis<'_>,
        y: &Axis<'_>,
        right: f64,
        mesh_now: bool,
    ) -> Result<Chart2d<'b>, String> {
        let tick_font = self.css_font(11.0, false);
        let widest = y
            .ticks
            .iter()
            .map(|t| self.measure(&(y.label)(t), &tick_font))
            .fold(0.0, f64::max);
        let desc = if y.name.is_empty() { 0.0 } else { 20.0 };
        let y_area = (widest / self.dpr + 12.0 + desc).ceil();
        let x_area = 24.0 + if x.name.is_empty() { 0.0 } else { 18.0 };
        let mut chart = ChartBuilder::on(area)
            .margin_top(self.px(6.0))
            .margin_left(self.px(4.0))
            .margin_bottom(self.px(4.0))
            .margin_right(self.px(14.0 + right))
            .x_label_area_size(self.px(x_area))
            .y_label_area_size(self.px(y_area))
            .build_cartesian_2d(
                Ticked {
                    lo: x.range.0,
                    hi: x.range.1,
                    ticks: x.ticks.clone(),
                },
                Ticked {
                    lo: y.range.0,
                    hi: y.range.1,
                    ticks: y.ticks.clone(),
                },
            )
            .map_err(err)?;
        if mesh_now {
            self.mesh(&mut chart, x, y)?;
        }
        Ok(chart)
    }

    /// Draws grid, axes and tick labels of `chart`.
    fn mesh(&self, chart: &mut Chart2d<'_>, x: &Axis<'_>, y: &Axis<'_>) -> Result<(), String> {
        let t = self.theme;
        let mut mesh = chart.configure_mesh();
        mesh.x_label_formatter(&*x.label)
            .y_label_formatter(&*y.label)
            .label_style(self.text(11.0, t.muted))
            .axis_desc_style(self.text(12.0, t.text))
            .axis_style(self.stroke(t.muted, 0.55, 1.0))
            .bold_line_style(self.stroke(t.border, 0.6, 1.0))
            .light_line_style(TRANSPARENT)
            .set_all_tick_mark_size(self.px(4.0));
        if !x.name.is_empty() {
            mesh.x_desc(x.name);
        }
        if !y.name.is_empty() {
            mesh.y_desc(y.name);
        }
        if !x.grid {
            mesh.disable_x_mesh();
        }
        if !y.grid {
            mesh.disable_y_mesh();
        }
        mesh.draw().map_err(err)
    }

    /// The tick count that fits `len` device pixels at one tick per `css_gap` CSS pixels.
    fn tick_target(&self, len: u32, css_gap: f64) -> usize {
        ((f64::from(len) / self.dpr / css_gap).floor() as usize).clamp(2, 12)
    }

    /// Draws lines (already split into drawable runs, in axis units), clipped to the chart.
    fn lines(
        &self,
        chart: &mut Chart2d<'_>,
        runs: &[Vec<(f64, f64)>],
        s: &Series,
        x: (f64, f64),
        y: (f64, f64),
    ) -> Result<(), String> {
        let color = self.theme.series(s.color);
        let style = if s.faded {
            self.stroke(color, 0.35, 1.25)
        } else {
            self.stroke(color, 1.0, 2.0)
        };
        for run in runs {
            for piece in clip_polyline(run, x, y) {
                match piece.as_slice() {
                    [p] => {
                        chart
                            .draw_series(std::iter::once(Circle::new(
                                *p,
                                self.px(2.5),
                                style.filled(),
                            )))
                            .map_err(err)?;
                    }
                    _ if s.dashed => {
                        chart
                            .draw_series(DashedLineSeries::new(
                                piece,
                                self.px(6.0),
                                self.px(4.0),
                                style,
                            ))
                            .map_err(err)?;
                    }
                    _ => {
                        chart
                            .draw_series(LineSeries::new(piece, style))
                            .map_err(err)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Draws a red ✕ with "NaN" at `at` (axis units, clamped into the chart).
    fn diverged(
        &self,
        chart: &mut Chart2d<'_>,
        at: (f64, f64),
        x: (f64, f64),
        y: (f64, f64),
    ) -> Result<(), String> {
        let at = (at.0.clamp(x.0, x.1), at.1.clamp(y.0, y.1));
        let caution = self.theme.caution;
        let right_side = at.0 > x.0 + (x.1 - x.0) * 0.85;
        let (dx, h) = if right_side {
            (-self.px(8.0), HPos::Right)
        } else {
            (self.px(8.0), HPos::Left)
        };
        let dy = if at.1 > y.0 + (y.1 - y.0) * 0.85 {
            self.px(8.0)
        } else {
            -self.px(8.0)
        };
        let v = if dy > 0 { VPos::Top } else { VPos::Bottom };
        let label = self
            .font(11.0, FontStyle::Bold)
            .color(&rgb(caution))
            .pos(Pos::new(h, v));
        let marker = EmptyElement::at(at)
            + Circle::new(
                (0, 0),
                self.px(7.0),
                rgb(self.theme.panel).mix(0.8).filled(),
            )
            + Cross::new((0, 0), self.px(5.0), self.stroke(caution, 1.0, 2.5))
            + Text::new("NaN", (dx, dy), label);
        chart.draw_series(std::iter::once(marker)).map_err(err)?;
        Ok(())
    }

    /// Draws a legend in the top right corner of `plot` when there are two or more entries.
    fn legend(&self, plot: &PixelRect, entries: &[LegendEntry]) -> Result<(), String> {
        if entries.len() < 2 {
            return Ok(());
        }
        const MAX_ROWS: usize = 8;
        let shown = if entries.len() > MAX_ROWS {
            &entries[..MAX_ROWS - 1]
        } else {
            entries
        };
        let more = entries.len() - shown.len();
        let font = self.css_font(11.0, false);
        let more_label = format!("+{more}");
        let text_w = shown
            .iter()
            .map(|e| self.measure(&e.label, &font))
            .chain((more > 0).then(|| self.measure(&more_label, &font)))
            .fold(0.0, f64::max)
            .ceil() as i32;
        let (pad, row, sample, gap) = (self.px(6.0), self.px(16.0), self.px(18.0), self.px(6.0));
        let rows = shown.len() as i32 + i32::from(more > 0);
        let max_w = (plot.0.end - plot.0.start) - self.px(16.0);
        let w = (pad * 2 + sample + gap + text_w).min(max_w.max(pad * 4));
        let h = pad * 2 + rows * row;
        let x1 = plot.0.end - self.px(8.0);
        let x0 = x1 - w;
        let y0 = plot.1.start + self.px(8.0);
        let t = self.theme;
        self.root
            .draw(&Rectangle::new(
                [(x0, y0), (x1, y0 + h)],
                rgb(t.panel).mix(0.85).filled(),
            ))
            .map_err(err)?;
        self.root
            .draw(&Rectangle::new(
                [(x0, y0), (x1, y0 + h)],
                self.stroke(t.border, 1.0, 1.0),
            ))
            .map_err(err)?;
        let label_style = self
            .text(11.0, t.text)
            .pos(Pos::new(HPos::Left, VPos::Center));
        for (k, e) in shown.iter().enumerate() {
            let cy = y0 + pad + k as i32 * row + row / 2;
            let line = vec![(x0 + pad, cy), (x0 + pad + sample, cy)];
            let style = if e.faded {
                self.stroke(e.color, 0.45, 1.5)
            } else {
                self.stroke(e.color, 1.0, 2.0)
            };
            if e.dashed {
                self.root
                    .draw(&DashedPathElement::new(
                        line,
                        self.px(5.0),
                        self.px(3.0),
                        style,
                    ))
                    .map_err(err)?;
            } else {
                self.root
                    .draw(&PathElement::new(line, style))
                    .map_err(err)?;
            }
            self.root
                .draw(&Text::new(
                    e.label.clone(),
                    (x0 + pad + sample + gap, cy),
                    label_style.clone(),
                ))
                .map_err(err)?;
        }
        if more > 0 {
            let cy = y0 + pad + shown.len() as i32 * row + row / 2;
            self.root
                .draw(&Text::new(
                    more_label,
                    (x0 + pad + sample + gap, cy),
                    self.text(11.0, t.muted)
                        .pos(Pos::new(HPos::Left, VPos::Center)),
                ))
                .map_err(err)?;
        }
        Ok(())
    }

    /// Legend rows for the labelled series, one per distinct label.
    fn legend_entries(&self, series: &[Series]) -> Vec<LegendEntry> {
        let mut out: Vec<LegendEntry> = Vec::new();
        for s in series {
            if s.label.trim().is_empty() || out.iter().any(|e| e.label == s.label) {
                continue;
            }
            out.push(LegendEntry {
                label: s.label.clone(),
                color: self.theme.series(s.color),
                dashed: s.dashed,
                faded: s.faded,
            });
        }
        out
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

    /// A line chart.
    pub fn line(&self, area: &Area, c: &LineChart) -> Result<(), String> {
        let area = self.title(area, &c.title)?;
        let scale = c.y_scale;
        let runs: Vec<Vec<Vec<(f64, f64)>>> = c
            .series
            .iter()
            .map(|s| segments(&s.points, scale))
            .collect();
        let xs = extent(
            runs.iter()
                .flatten()
                .flatten()
                .map(|p| p.0)
                .chain(c.series.iter().filter_map(|s| s.diverged_at)),
        );
        let ys = extent(runs.iter().flatten().flatten().map(|p| p.1));
        let xr = fixed_range(c.x_range, Scale::Linear)
            .unwrap_or_else(|| xs.map_or((0.0, 1.0), |(a, b)| settle(a, b, 0.0, Scale::Linear)));
        let yr = fixed_range(c.y_range, scale)
            .unwrap_or_else(|| ys.map_or((0.0, 1.0), |(a, b)| settle(a, b, 0.06, scale)));
        let (w, h) = area.dim_in_pixel();
        let x = Axis::numeric(xr, self.tick_target(w, 90.0), Scale::Linear, &c.x_label);
        let y = Axis::numeric(yr, self.tick_target(h, 42.0), scale, &c.y_label);
        let mut chart = self.chart(&area, &x, &y, 0.0, true)?;
        // Faded runs first, under the others.
        for faded in [true, false] {
            for (s, r) in c.series.iter().zip(&runs) {
                if s.faded == faded {
                    self.lines(&mut chart, r, s, xr, yr)?;
                }
            }
        }
        for (s, r) in c.series.iter().zip(&runs) {
            let Some(xd) = s.diverged_at.filter(|v| v.is_finite()) else {
                continue;
            };
            let yd = r
                .iter()
                .flatten()
                .rev()
                .find(|p| p.0 <= xd)
                .map_or(yr.1, |p| p.1);
            self.diverged(&mut chart, (xd, yd), xr, yr)?;
        }
        let plot = chart.plotting_area().get_pixel_range();
        self.legend(&plot, &self.legend_entries(&c.series))
    }

    /// A bar chart.
    pub fn bars(&self, area: &Area, c: &BarChart) -> Result<(), String> {
        let area = self.title(area, &c.title)?;
        let scale = c.y_scale;
        let n = c.labels.len().max(c.values.len());
        let vals: Vec<Option<f64>> = (0..n)
            .map(|i| c.values.get(i).and_then(|v| to_axis(*v, scale)))
            .collect();
        let reference = c
            .reference
            .as_ref()
            .and_then(|(v, name)| Some((to_axis(*v, scale)?, name.as_str())));
        let ext = extent(vals.iter().flatten().copied().chain(reference.map(|r| r.0)));
        let yr = match (ext, scale) {
            (None, _) => (0.0, 1.0),
            (Some((lo, hi)), Scale::Linear) => {
                let (lo, hi) = settle(lo.min(0.0), hi.max(0.0), 0.0, scale);
                let span = hi - lo;
                (
                    if lo < 0.0 { lo - span * 0.08 } else { lo },
                    hi + span * 0.08,
                )
            }
            (Some((lo, hi)), Scale::Log) => settle(lo, hi, 0.08, scale),
        };
        let base = match scale {
            Scale::Linear => 0.0f64.clamp(yr.0, yr.1),
            Scale::Log => yr.0,
        };
        let (w, h) = area.dim_in_pixel();
        let slot_css = f64::from(w) / self.dpr / n.max(1) as f64;
        // Show every k-th label so that labels get about 44 CSS px each.
        let every = ((44.0 / slot_css).ceil() as usize).max(1);
        let max_chars = ((slot_css * every as f64) / 6.5).floor().max(2.0) as usize;
        let labels: Vec<String> = (0..n)
            .map(|i| {
                c.labels
                    .get(i)
                    .map_or_else(String::new, |l| truncate(l, max_chars))
            })
            .collect();
        let x = Axis {
            range: (0.0, n.max(1) as f64),
            ticks: (0..n).step_by(every).map(|i| i as f64 + 0.5).collect(),
            label: Box::new(|v: &f64| {
                let i = v.floor();
                if i >= 0.0 {
                    labels.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            }),
            name: "",
            grid: false,
        };
        let y = Axis::numeric(yr, self.tick_target(h, 42.0), scale, &c.y_label);
        let mut chart = self.chart(&area, &x, &y, 0.0, true)?;
        let t = self.theme;
        let fill = rgb(t.series(0)).mix(0.85).filled();
        chart
            .draw_series(vals.iter().enumerate().filter_map(|(i, v)| {
                let v = (*v)?.clamp(yr.0, yr.1);
                let i = i as f64;
                Some(Rectangle::new([(i + 0.15, base), (i + 0.85, v)], fill))
            }))
            .map_err(err)?;
        let value_style = self
            .text(10.0, t.muted)
            .pos(Pos::new(HPos::Center, VPos::Bottom));
        let bad_style = self
            .font(10.0, FontStyle::Bold)
            .color(&rgb(t.caution))
            .pos(Pos::new(HPos::Center, VPos::Bottom));
        let show_values = slot_css >= 34.0;
        for (i, axis_value) in vals.iter().enumerate() {
            let raw = c.values.get(i).copied();
            let centre = i as f64 + 0.5;
            match (raw, *axis_value) {
                (Some(raw), Some(v)) if show_values => {
                    let top = v.clamp(yr.0, yr.1).max(base);
                    chart
                        .draw_series(std::iter::once(
                            EmptyElement::at((centre, top))
                                + Text::new(
                                    format_value(raw),
                                    (0, -self.px(2.0)),
                                    value_style.clone(),
                                ),
                        ))
                        .map_err(err)?;
                }
                (Some(raw), None) if !raw.is_finite() => {
                    chart
                        .draw_series(std::iter::once(
                            EmptyElement::at((centre, base))
                                + Text::new(
                                    format_value(raw),
                                    (0, -self.px(3.0)),
                                    bad_style.clone(),
                                ),
                        ))
                        .map_err(err)?;
                }
                _ => {}
            }
        }
        if let Some((r, name)) = reference.filter(|r| r.0 >= yr.0 && r.0 <= yr.1) {
            let right = n.max(1) as f64;
            chart
                .draw_series(std::iter::once(DashedPathElement::new(
                    vec![(0.0, r), (right, r)],
                    self.px(6.0),
                    self.px(4.0),
                    self.stroke(t.caution, 1.0, 1.5),
                )))
                .map_err(err)?;
            if !name.is_empty() {
                let style = self
                    .font(11.0, FontStyle::Bold)
                    .color(&rgb(t.caution))
                    .pos(Pos::new(HPos::Right, VPos::Bottom));
                chart
                    .draw_series(std::iter::once(
                        EmptyElement::at((right, r))
                            + Text::new(name.to_string(), (-self.px(4.0), -self.px(3.0)), style),
                    ))
                    .map_err(err)?;
            }
        }
        Ok(())
    }

    /// A heatmap with a colour bar.
    pub fn heatmap(&self, area: &Area, hm: &Heatmap) -> Result<(), String> {
        let area = self.title(area, &hm.title)?;
        let nrows = hm.rows.len();
        let ncols = hm.rows.iter().map(Vec::len).max().unwrap_or(0);
        if nrows == 0 || ncols == 0 {
            return self.message(&area, "—");
        }
        let scale = if hm.log { Scale::Log } else { Scale::Linear };
        let ext = extent(hm.rows.iter().flatten().filter_map(|v| to_axis(*v, scale)));
        let (w, h) = area.dim_in_pixel();
        let x = Axis {
            range: (0.0, ncols as f64),
            ticks: ticks(0.0, ncols as f64, self.tick_target(w, 90.0), Scale::Linear)
                .into_iter()
                .filter(|v| v.fract() == 0.0)
                .collect(),
            label: Box::new(|v: &f64| format_value(*v)),
            name: &hm.x_label,
            grid: false,
        };
        let row_css = f64::from(h) / self.dpr / nrows as f64;
        let every = ((14.0 / row_css).ceil() as usize).max(1);
        let names: Vec<String> = (0..nrows)
            .map(|r| {
                hm.row_labels
                    .get(r)
                    .map_or_else(String::new, |l| truncate(l, 14))
            })
            .collect();
        let y = Axis {
            range: (0.0, nrows as f64),
            ticks: (0..nrows)
                .step_by(every)
                .map(|r| (nrows - 1 - r) as f64 + 0.5)
                .collect(),
            label: Box::new(|v: &f64| {
                let k = v.floor();
                if k >= 0.0 && (k as usize) < nrows {
                    names[nrows - 1 - k as usize].clone()
                } else {
                    String::new()
                }
            }),
            name: &hm.y_label,
            grid: false,
        };
        let bar = if ext.is_some() { 58.0 } else { 0.0 };
        let mut chart = self.chart(&area, &x, &y, bar, false)?;
        let plot = chart.plotting_area().get_pixel_range();
        let (lo, hi) = ext.unwrap_or((0.0, 1.0));
        let t = self.theme;
        let mut rgba = Vec::with_capacity(nrows * ncols * 4);
        for row in &hm.rows {
            for c in 0..ncols {
                let color = match row.get(c) {
                    None => t.panel,
                    Some(v) if !v.is_finite() => t.caution,
                    Some(v) => match to_axis(*v, scale) {
                        Some(a) => colormap(unit(a, lo, hi)),
                        None => t.border,
                    },
                };
                rgba.extend_from_slice(&[color.0, color.1, color.2, 255]);
            }
        }
        let dest = rect_f64(&plot);
        self.blit(&rgba, (ncols as u32, nrows as u32), dest, false, None)?;
        self.mesh(&mut chart, &x, &y)?;
        if let Some((lo, hi)) = ext {
            self.colour_bar(&plot, lo, hi, scale)?;
        }
        Ok(())
    }

    /// A vertical colour bar right of `plot`, labelled at both ends and the middle.
    fn colour_bar(&self, plot: &PixelRect, lo: f64, hi: f64, scale: Scale) -> Result<(), String> {
        let steps = 64u32;
        let mut rgba = Vec::with_capacity(steps as usize * 4);
        for k in 0..steps {
            let c = colormap(1.0 - f64::from(k) / f64::from(steps - 1));
            rgba.extend_from_slice(&[c.0, c.1, c.2, 255]);
        }
        let x0 = f64::from(plot.0.end + self.px(12.0));
        let (y0, y1) = (f64::from(plot.1.start), f64::from(plot.1.end));
        let bw = f64::from(self.px(10.0));
        self.blit(&rgba, (1, steps), (x0, y0, bw, y1 - y0), true, None)?;
        let style = self
            .text(10.0, self.theme.muted)
            .pos(Pos::new(HPos::Left, VPos::Center));
        let tx = (x0 + bw) as i32 + self.px(4.0);
        let mid = (lo + hi) / 2.0;
        for (a, py) in [(hi, y0), (mid, (y0 + y1) / 2.0), (lo, y1)] {
            let label = format_value(from_axis(a, scale));
            self.root
                .draw(&Text::new(label, (tx, py as i32), style.clone()))
                .map_err(err)?;
        }
        Ok(())
    }

    /// Histograms as a ridgeline: one filled curve per row, each normalised to its peak.
    pub fn histograms(&self, area: &Area, hs: &Histograms) -> Result<(), String> {
        let area = self.title(area, &hs.title)?;
        let n = hs.rows.len();
        if n == 0 || hs.rows.iter().all(|(_, bins)| bins.is_empty()) {
            return self.message(&area, "—");
        }
        let xr = if hs.lo.is_finite() && hs.hi.is_finite() && hs.hi > hs.lo {
            (hs.lo, hs.hi)
        } else {
            settle(hs.lo, hs.hi, 0.0, Scale::Linear)
        };
        const RIDGE: f64 = 1.6;
        let (w, h) = area.dim_in_pixel();
        let x = Axis::numeric(xr, self.tick_target(w, 90.0), Scale::Linear, "");
        let row_css = f64::from(h) / self.dpr / (n as f64 + RIDGE);
        let every = ((14.0 / row_css).ceil() as usize).max(1);
        let names: Vec<String> = hs.rows.iter().map(|(l, _)| truncate(l, 14)).collect();
        let y = Axis {
            range: (0.0, (n - 1) as f64 + RIDGE + 0.1),
            ticks: (0..n).step_by(every).map(|r| (n - 1 - r) as f64).collect(),
            label: Box::new(|v: &f64| {
                let k = v.round();
                if k >= 0.0 && (k as usize) < n {
                    names[n - 1 - k as usize].clone()
                } else {
                    String::new()
                }
            }),
            name: "",
            grid: false,
        };
        let mut chart = self.chart(&area, &x, &y, 0.0, true)?;
        let t = self.theme;
        for (r, (_, bins)) in hs.rows.iter().enumerate() {
            if bins.is_empty() {
                continue;
            }
            let base = (n - 1 - r) as f64;
            let step = (xr.1 - xr.0) / bins.len() as f64;
            let mut pts = vec![(xr.0, base)];
            for (k, v) in normalised(bins).into_iter().enumerate() {
                let top = base + RIDGE * v;
                pts.push((xr.0 + k as f64 * step, top));
                pts.push((xr.0 + (k + 1) as f64 * step, top));
            }
            pts.push((xr.1, base));
            let color = t.series(r);
            chart
                .draw_series([
                    Polygon::new(pts.clone(), rgb(t.panel).filled()),
                    Polygon::new(pts.clone(), rgb(color).mix(0.45).filled()),
                ])
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(PathElement::new(
                    pts,
                    self.stroke(color, 1.0, 1.5),
                )))
                .map_err(err)?;
        }
        Ok(())
    }

    /// A surface: colour field, contour lines, paths with start dots, and the minimum.
    pub fn surface(&self, area: &Area, s: &SurfacePlot) -> Result<(), String> {
        let area = self.title(area, &s.title)?;
        let rows = s.grid.len();
        let cols = s.grid.iter().map(Vec::len).min().unwrap_or(0);
        let scale = if s.log_levels {
            Scale::Log
        } else {
            Scale::Linear
        };
        let axis_grid: Vec<Vec<f64>> = s
            .grid
            .iter()
            .map(|row| {
                row.iter()
                    .take(cols)
                    .map(|v| to_axis(*v, scale).unwrap_or(f64::NAN))
                    .collect()
            })
            .collect();
        let ext = extent(axis_grid.iter().flatten().copied());
        let (Some((lo, hi)), true) = (ext, rows >= 2 && cols >= 2) else {
            return self.message(&area, "—");
        };
        let range = |(a, b): (f64, f64)| {
            if a.is_finite() && b.is_finite() && b > a {
                (a, b)
            } else {
                settle(a, b, 0.0, Scale::Linear)
            }
        };
        let (xr, yr) = (range(s.x_range), range(s.y_range));
        let (w, h) = area.dim_in_pixel();
        let x = Axis {
            grid: false,
            ..Axis::numeric(xr, self.tick_target(w, 90.0), Scale::Linear, "")
        };
        let y = Axis {
            grid: false,
            ..Axis::numeric(yr, self.tick_target(h, 42.0), Scale::Linear, "")
        };
        let mut chart = self.chart(&area, &x, &y, 0.0, false)?;
        let plot = chart.plotting_area().get_pixel_range();
        let t = self.theme;
        // Colour field: one image pixel per grid node, image row 0 at the top (largest y).
        let mut rgba = Vec::with_capacity(rows * cols * 4);
        for row in axis_grid.iter().rev() {
            for a in row {
                let c = if a.is_finite() {
                    colormap(unit(*a, lo, hi))
                } else {
                    t.border
                };
                rgba.extend_from_slice(&[c.0, c.1, c.2, 255]);
            }
        }
        let dx = (xr.1 - xr.0) / (cols - 1) as f64;
        let dy = (yr.1 - yr.0) / (rows - 1) as f64;
        let tl = chart.backend_coord(&(xr.0 - dx / 2.0, yr.1 + dy / 2.0));
        let br = chart.backend_coord(&(xr.1 + dx / 2.0, yr.0 - dy / 2.0));
        let dest = (
            f64::from(tl.0),
            f64::from(tl.1),
            f64::from(br.0 - tl.0),
            f64::from(br.1 - tl.1),
        );
        self.blit(&rgba, (cols as u32, rows as u32), dest, true, Some(&plot))?;
        // Contour lines, straight on the context: one path per level.
        self.ctx.save();
        self.ctx
            .set_stroke_style_str(&t.panel.mix(t.text, 0.8).css(0.45));
        self.ctx.set_line_width(f64::from(self.upx(1.0)));
        for level in levels(lo, hi, 9) {
            self.ctx.begin_path();
            for (p, q) in contour_segments(&axis_grid, level) {
                let p = chart.backend_coord(&(xr.0 + p.0 * dx, yr.0 + p.1 * dy));
                let q = chart.backend_coord(&(xr.0 + q.0 * dx, yr.0 + q.1 * dy));
                self.ctx.move_to(f64::from(p.0), f64::from(p.1));
                self.ctx.line_to(f64::from(q.0), f64::from(q.1));
            }
            self.ctx.stroke();
        }
        self.ctx.restore();
        self.mesh(&mut chart, &x, &y)?;
        // Paths with their start dots.
        for p in &s.paths {
            let runs = segments(&p.points, Scale::Linear);
            self.lines(&mut chart, &runs, p, xr, yr)?;
            let color = self.theme.series(p.color);
            let inside = |q: &(f64, f64)| q.0 >= xr.0 && q.0 <= xr.1 && q.1 >= yr.0 && q.1 <= yr.1;
            if let Some(start) = runs.first().and_then(|r| r.first()).filter(|q| inside(q)) {
                let dot = EmptyElement::at(*start)
                    + Circle::new((0, 0), self.px(5.0), rgb(t.panel).filled())
                    + Circle::new((0, 0), self.px(3.5), rgb(color).filled());
                chart.draw_series(std::iter::once(dot)).map_err(err)?;
            }
            if p.diverged_at.is_some() {
                let end = runs.last().and_then(|r| r.last()).copied();
                if let Some(end) = end {
                    self.diverged(&mut chart, end, xr, yr)?;
                }
            }
        }
        let visible = |m: &(f64, f64)| m.0 >= xr.0 && m.0 <= xr.1 && m.1 >= yr.0 && m.1 <= yr.1;
        if let Some(m) = s.minimum.filter(visible) {
            let (r, o) = (self.px(6.0), self.px(8.0));
            let diamond = EmptyElement::at(m)
                + Polygon::new(
                    vec![(0, -o), (o, 0), (0, o), (-o, 0)],
                    rgb(t.panel).filled(),
                )
                + Polygon::new(vec![(0, -r), (r, 0), (0, r), (-r, 0)], rgb(t.text).filled());
            chart.draw_series(std::iter::once(diamond)).map_err(err)?;
        }
        self.legend(&plot, &self.legend_entries(&s.paths))
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
