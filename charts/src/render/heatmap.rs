//! Heatmaps: one cell per row and column, blitted crisp, with a colour bar on the right.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axes::Axis;
use super::{Area, Painter, PixelRect, Target, err, rect_f64, truncate};
use crate::geom::{extent, format_value, from_axis, given_range, ticks, to_axis, unit};
use crate::spec::{Heatmap, Scale};
use crate::style::colormap;

impl<T: Target> Painter<'_, T> {
    /// A heatmap with a colour bar.
    pub fn heatmap(&self, area: &Area<T::Backend>, hm: &Heatmap) -> Result<(), String> {
        let area = self.title(area, &hm.title)?;
        let nrows = hm.rows.len();
        let ncols = hm.rows.iter().map(Vec::len).max().unwrap_or(0);
        if nrows == 0 || ncols == 0 {
            return self.message(&area, "—");
        }
        let scale = if hm.log { Scale::Log } else { Scale::Linear };
        let ext = extent(hm.rows.iter().flatten().filter_map(|v| to_axis(*v, scale)));
        let (w, h) = area.dim_in_pixel();
        let xr = given_range(hm.x_range).unwrap_or((0.0, ncols as f64));
        let x = Axis {
            range: xr,
            ticks: ticks(xr.0, xr.1, self.tick_target(w, 90.0), Scale::Linear)
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
}
