//! Surfaces: a colour field with contour lines, paths with start dots on top, and the minimum.

use plotters::prelude::*;

use super::axes::Axis;
use super::{Area, Painter, Target, err, rgb};
use crate::geom::{
    contour_segments, extent, given_range, levels, segments, settle, surface_levels, unit,
};
use crate::spec::{Scale, SurfacePlot};
use crate::style::colormap;

impl<T: Target> Painter<'_, T> {
    /// A surface: colour field, contour lines, paths with start dots, and the minimum.
    pub fn surface(&self, area: &Area<T::Backend>, s: &SurfacePlot) -> Result<(), String> {
        let area = self.title(area, &s.title)?;
        let rows = s.grid.len();
        let cols = s.grid.iter().map(Vec::len).min().unwrap_or(0);
        let axis_grid = surface_levels(&s.grid, cols, s.log_levels);
        let ext = extent(axis_grid.iter().flatten().copied());
        let (Some((lo, hi)), true) = (ext, rows >= 2 && cols >= 2) else {
            return self.message(&area, "—");
        };
        let range =
            |r: (f64, f64)| given_range(r).unwrap_or_else(|| settle(r.0, r.1, 0.0, Scale::Linear));
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
        // Contour lines: one path per level where the target can.
        let contour = t.panel.mix(t.text, 0.8);
        for level in levels(lo, hi, 9) {
            let segments: Vec<_> = contour_segments(&axis_grid, level)
                .into_iter()
                .map(|(p, q)| {
                    (
                        chart.backend_coord(&(xr.0 + p.0 * dx, yr.0 + p.1 * dy)),
                        chart.backend_coord(&(xr.0 + q.0 * dx, yr.0 + q.1 * dy)),
                    )
                })
                .collect();
            self.target
                .stroke_segments(&self.root, &segments, contour, 0.45, self.upx(1.0))?;
        }
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
        self.legend(&plot, &s.paths)
    }
}
