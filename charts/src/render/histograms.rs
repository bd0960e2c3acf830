//! Histogram ridgelines: one filled curve per row, each normalised to its peak.

use plotters::prelude::*;

use super::axes::Axis;
use super::{Area, Painter, Target, err, rgb, truncate};
use crate::geom::{given_range, normalised, settle};
use crate::spec::{Histograms, Scale};

impl<T: Target> Painter<'_, T> {
    /// Histograms as a ridgeline: one filled curve per row, each normalised to its peak.
    pub fn histograms(&self, area: &Area<T::Backend>, hs: &Histograms) -> Result<(), String> {
        let area = self.title(area, &hs.title)?;
        let n = hs.rows.len();
        if n == 0 || hs.rows.iter().all(|(_, bins)| bins.is_empty()) {
            return self.message(&area, "—");
        }
        let xr =
            given_range((hs.lo, hs.hi)).unwrap_or_else(|| settle(hs.lo, hs.hi, 0.0, Scale::Linear));
        const RIDGE: f64 = 1.6;
        let (w, h) = area.dim_in_pixel();
        let x = Axis::numeric(xr, self.tick_target(w, 90.0), Scale::Linear, "");
        let row_css = f64::from(h) / self.dpr / (n as f64 + RIDGE);
        let every = ((14.0 / row_css).ceil() as usize).max(1);
        // Room for a layer and its statistics, "50 · μ -0.12 σ 0.34".
        let names: Vec<String> = hs.rows.iter().map(|(l, _)| truncate(l, 20)).collect();
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
}
