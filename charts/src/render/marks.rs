//! Marks several chart kinds share: polylines clipped to the plot, the divergence ✕, the legend.

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axes::Chart2d;
use super::{Painter, PixelRect, Target, err, rgb};
use crate::geom::clip_polyline;
use crate::spec::Series;
use crate::style::Rgb;

/// One legend row.
struct LegendEntry {
    label: String,
    color: Rgb,
    dashed: bool,
    faded: bool,
}

impl<T: Target> Painter<'_, T> {
    /// Draws lines (already split into drawable runs, in axis units), clipped to the chart.
    pub(super) fn lines(
        &self,
        chart: &mut Chart2d<'_, T::Backend>,
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
    pub(super) fn diverged(
        &self,
        chart: &mut Chart2d<'_, T::Backend>,
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

    /// Draws a legend of `series` ([`Painter::legend_entries`]) in the top right corner of `plot`
    /// when there are two or more entries.
    pub(super) fn legend(&self, plot: &PixelRect, series: &[Series]) -> Result<(), String> {
        let entries = self.legend_entries(series);
        let entries = entries.as_slice();
        if entries.len() < 2 {
            return Ok(());
        }
        const MAX_ROWS: usize = 10;
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

    /// Legend rows for the labelled series, one per distinct label: the live series first, then
    /// the faded ones (earlier or reference runs), so a full legend never hides the reader's runs.
    fn legend_entries(&self, series: &[Series]) -> Vec<LegendEntry> {
        let mut out: Vec<LegendEntry> = Vec::new();
        let (live, faded): (Vec<&Series>, Vec<&Series>) = series.iter().partition(|s| !s.faded);
        for s in live.into_iter().chain(faded) {
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
}
