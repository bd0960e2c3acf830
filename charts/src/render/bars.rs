//! Bar charts: one bar per label, values on top, an optional dashed reference line.

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axes::Axis;
use super::{Area, Painter, Target, err, rgb, truncate};
use crate::geom::{extent, format_value, settle, to_axis};
use crate::spec::{BarChart, Scale};

impl<T: Target> Painter<'_, T> {
    /// A bar chart.
    pub fn bars(&self, area: &Area<T::Backend>, c: &BarChart) -> Result<(), String> {
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
}
