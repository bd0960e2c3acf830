//! Line charts: series over a shared x axis, earlier runs faded below, divergence marked.

use super::axes::Axis;
use super::{Area, Painter, Target};
use crate::geom::{extent, fixed_range, segments, settle};
use crate::spec::{LineChart, Scale};

impl<T: Target> Painter<'_, T> {
    /// A line chart.
    pub fn line(&self, area: &Area<T::Backend>, c: &LineChart) -> Result<(), String> {
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
        self.legend(&plot, &c.series)
    }
}
