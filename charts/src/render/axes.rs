//! The plot frame: axes with hand-picked ticks, and the grid, axis lines and tick labels around
//! the plotting area.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::prelude::*;

use super::{Area, Painter, Target, err};
use crate::geom::{axis_label, tick_step, ticks};
use crate::spec::Scale;

/// A linear `f64` axis with hand-picked ticks (labels come from [`Axis::label`]).
#[derive(Clone)]
pub(super) struct Ticked {
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
pub(super) type Chart2d<'b, DB> = ChartContext<'b, DB, Cartesian2d<Ticked, Ticked>>;

/// What every axis needs: range and ticks in axis units, tick labels, name.
pub(super) struct Axis<'s> {
    /// The range in axis units.
    pub(super) range: (f64, f64),
    /// Where ticks (and grid lines) go, in axis units.
    pub(super) ticks: Vec<f64>,
    /// The tick label for a value in axis units.
    pub(super) label: Box<dyn Fn(&f64) -> String + 's>,
    /// The axis name; empty for none.
    pub(super) name: &'s str,
    /// Whether grid lines are drawn at the ticks.
    pub(super) grid: bool,
}

impl<'s> Axis<'s> {
    /// A numeric axis over `range` (axis units) with about `target` ticks.
    pub(super) fn numeric(range: (f64, f64), target: usize, scale: Scale, name: &'s str) -> Self {
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

impl<T: Target> Painter<'_, T> {
    /// Builds a chart on `area` with the given axes and draws its grid, axes and labels.
    /// `right` is extra room (CSS px) on the right, e.g. for a colour bar.
    pub(super) fn chart<'b>(
        &self,
        area: &'b Area<T::Backend>,
        x: &Axis<'_>,
        y: &Axis<'_>,
        right: f64,
        mesh_now: bool,
    ) -> Result<Chart2d<'b, T::Backend>, String> {
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
    pub(super) fn mesh(
        &self,
        chart: &mut Chart2d<'_, T::Backend>,
        x: &Axis<'_>,
        y: &Axis<'_>,
    ) -> Result<(), String> {
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
    pub(super) fn tick_target(&self, len: u32, css_gap: f64) -> usize {
        ((f64::from(len) / self.dpr / css_gap).floor() as usize).clamp(2, 12)
    }
}
