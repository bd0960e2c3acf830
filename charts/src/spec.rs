//! What a chart shows: plain data, no browser types. Widgets build a [`ChartSpec`]; the renderer
//! draws it.

use crate::geom::{format_value, given_range, surface_levels, to_axis};

/// How values map onto the y axis (or the colour scale).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scale {
    /// Evenly spaced values.
    #[default]
    Linear,
    /// A log10 axis; values `<= 0` are skipped.
    Log,
}

/// One line of a [`LineChart`] (or one path on a [`SurfacePlot`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Series {
    /// The name shown in the legend and the text summary.
    pub label: String,
    /// `(x, y)` points in drawing order; the line stops at a non-finite `y` and starts again after it.
    pub points: Vec<(f64, f64)>,
    /// Index into the chart palette (wraps).
    pub color: usize,
    /// Drawn dashed, e.g. a validation curve.
    pub dashed: bool,
    /// An earlier run overlaid for comparison: thinner, lower alpha, drawn below the others.
    pub faded: bool,
    /// The `x` at which the run diverged: marked with a red ✕ and "NaN".
    pub diverged_at: Option<f64>,
}

impl Series {
    /// A solid, full-strength line named `label` through `points`, in palette colour 0, not
    /// diverged; the methods below state what differs, e.g.
    /// `Series::new("valid", points).color(1).dashed()`.
    pub fn new(label: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Series {
            label: label.into(),
            points,
            ..Series::default()
        }
    }

    /// Drawn in palette colour `color` (an index into the chart palette, wraps).
    #[must_use]
    pub fn color(self, color: usize) -> Self {
        Series { color, ..self }
    }

    /// Drawn dashed, e.g. a validation or derivative curve.
    #[must_use]
    pub fn dashed(self) -> Self {
        Series {
            dashed: true,
            ..self
        }
    }

    /// Drawn as an earlier run: thinner, lower alpha, below the others.
    #[must_use]
    pub fn faded(self) -> Self {
        Series {
            faded: true,
            ..self
        }
    }

    /// Marked as diverged at `x` (red ✕ and "NaN"); `None` leaves it unmarked.
    #[must_use]
    pub fn diverged_at(self, x: Option<f64>) -> Self {
        Series {
            diverged_at: x,
            ..self
        }
    }
}

/// Lines over a shared x axis, e.g. loss against step.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineChart {
    /// The title above the plot.
    pub title: String,
    /// The x axis name.
    pub x_label: String,
    /// The y axis name.
    pub y_label: String,
    /// The y axis scale.
    pub y_scale: Scale,
    /// The lines.
    pub series: Vec<Series>,
    /// A fixed y range (data units); `None` fits the data.
    pub y_range: Option<(f64, f64)>,
    /// A fixed x range; `None` fits the data.
    pub x_range: Option<(f64, f64)>,
}

/// One bar per label, e.g. a gradient norm per layer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BarChart {
    /// The title above the plot.
    pub title: String,
    /// The y axis name.
    pub y_label: String,
    /// The y axis scale.
    pub y_scale: Scale,
    /// The bar names, left to right.
    pub labels: Vec<String>,
    /// The bar heights, in the order of `labels`.
    pub values: Vec<f64>,
    /// A horizontal reference line and its name, e.g. a clipping threshold.
    pub reference: Option<(f64, String)>,
}

/// A value per layer and time step, as coloured cells.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Heatmap {
    /// The title above the plot.
    pub title: String,
    /// The x (time) axis name.
    pub x_label: String,
    /// The y (layer) axis name.
    pub y_label: String,
    /// One name per row, top to bottom.
    pub row_labels: Vec<String>,
    /// `rows[r][c]`: row = layer (top to bottom), column = time.
    pub rows: Vec<Vec<f64>>,
    /// The x values at the left edge of the first column and the right edge of the last, e.g.
    /// the steps the columns were measured at; if not increasing, the columns are numbered 0, 1, ….
    pub x_range: (f64, f64),
    /// Colour by log10 of the value (values `<= 0` are left blank).
    pub log: bool,
}

/// One histogram per layer over a shared range, drawn as a ridgeline, each normalised to its max.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Histograms {
    /// The title above the plot.
    pub title: String,
    /// The lower edge of the first bin.
    pub lo: f64,
    /// The upper edge of the last bin.
    pub hi: f64,
    /// `(name, bin counts)`, top to bottom.
    pub rows: Vec<(String, Vec<u32>)>,
}

/// A function of two variables as filled colour with contour lines, and paths drawn on top.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SurfacePlot {
    /// The title above the plot.
    pub title: String,
    /// The x extent of the grid.
    pub x_range: (f64, f64),
    /// The y extent of the grid.
    pub y_range: (f64, f64),
    /// `grid[j][i]`: the value at `x_i`, `y_j`, evenly spaced, `j = 0` at the bottom; at least 2×2.
    pub grid: Vec<Vec<f64>>,
    /// Colour and contour levels spaced by log10 of the value.
    pub log_levels: bool,
    /// `(x, y)` paths (e.g. optimiser trajectories), each with a dot at its start.
    pub paths: Vec<Series>,
    /// Where the true minimum is, marked with a diamond.
    pub minimum: Option<(f64, f64)>,
}

/// One image of an [`ImageGrid`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImageCell {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// 1 (grey) or 3 (RGB), pixels in HWC order.
    pub channels: u8,
    /// `width * height * channels` bytes.
    pub pixels: Vec<u8>,
    /// The text under the image, e.g. the predicted class.
    pub caption: String,
    /// Per-class mean and std of the predicted probability, drawn as small bars with ± std whiskers.
    pub bars: Option<(Vec<f64>, Vec<f64>)>,
    /// Whether the prediction was right: colours the caption (and marks it ✓ or ✗).
    pub correct: Option<bool>,
}

/// Small images with captions, e.g. test predictions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImageGrid {
    /// The title above the grid.
    pub title: String,
    /// The class names, in the order of [`ImageCell::bars`].
    pub class_names: Vec<String>,
    /// The images, in reading order.
    pub cells: Vec<ImageCell>,
}

/// Everything a chart can draw (the app shows it with its `Chart` component, [`crate::svg`]
/// writes it as SVG).
#[derive(Clone, Debug, PartialEq)]
pub enum ChartSpec {
    /// Only a message, drawn centred, e.g. "no data yet".
    Empty(String),
    /// Lines.
    Line(LineChart),
    /// Bars.
    Bars(BarChart),
    /// A heatmap.
    Heatmap(Heatmap),
    /// A ridgeline of histograms.
    Histograms(Histograms),
    /// A surface with paths.
    Surface(SurfacePlot),
    /// An image grid.
    Images(ImageGrid),
}

impl Default for ChartSpec {
    fn default() -> Self {
        ChartSpec::Empty(String::new())
    }
}

impl ChartSpec {
    /// The kind written to the canvas's `data-kind`: `line`, `bars`, `heatmap`, `histograms`,
    /// `surface`, `images` or `empty`.
    pub fn kind(&self) -> &'static str {
        match self {
            ChartSpec::Empty(_) => "empty",
            ChartSpec::Line(_) => "line",
            ChartSpec::Bars(_) => "bars",
            ChartSpec::Heatmap(_) => "heatmap",
            ChartSpec::Histograms(_) => "histograms",
            ChartSpec::Surface(_) => "surface",
            ChartSpec::Images(_) => "images",
        }
    }

    /// The number of finite data points drawn, written to the canvas's `data-points`: line and path
    /// points, bars, heatmap and surface cells, histogram bins, images. Points a log axis skips do
    /// not count.
    pub fn finite_points(&self) -> usize {
        match self {
            ChartSpec::Empty(_) => 0,
            ChartSpec::Line(c) => c.series.iter().map(|s| drawable_points(s, c.y_scale)).sum(),
            ChartSpec::Bars(c) => c
                .values
                .iter()
                .filter(|v| to_axis(**v, c.y_scale).is_some())
                .count(),
            ChartSpec::Heatmap(h) => {
                let scale = if h.log { Scale::Log } else { Scale::Linear };
                h.rows
                    .iter()
                    .flatten()
                    .filter(|v| to_axis(**v, scale).is_some())
                    .count()
            }
            ChartSpec::Histograms(h) => h.rows.iter().map(|(_, bins)| bins.len()).sum(),
            ChartSpec::Surface(s) => {
                let cols = s.grid.iter().map(Vec::len).min().unwrap_or(0);
                let cells = surface_levels(&s.grid, cols, s.log_levels)
                    .iter()
                    .flatten()
                    .filter(|a| a.is_finite())
                    .count();
                cells
                    + s.paths
                        .iter()
                        .map(|p| drawable_points(p, Scale::Linear))
                        .sum::<usize>()
            }
            ChartSpec::Images(g) => g.cells.len(),
        }
    }

    /// A short text version of the chart for screen readers: the title, then e.g. the last value of
    /// each line.
    pub fn summary(&self) -> String {
        match self {
            ChartSpec::Empty(message) => message.clone(),
            ChartSpec::Line(c) => {
                // The live series; before any, the faded ones (the chapter's runs) stand in.
                let live = c.series.iter().any(|s| !s.faded && !s.points.is_empty());
                let parts: Vec<String> = c
                    .series
                    .iter()
                    .filter(|s| s.faded != live)
                    .map(|s| {
                        let name = if s.label.is_empty() { "—" } else { &s.label };
                        if let Some(x) = s.diverged_at {
                            return format!("{name}: NaN @ {}", format_value(x));
                        }
                        match last_finite(&s.points, c.y_scale) {
                            Some((x, y)) => {
                                format!("{name}: {} @ {}", format_value(y), format_value(x))
                            }
                            None => format!("{name}: —"),
                        }
                    })
                    .collect();
                join_titled(&c.title, &parts)
            }
            ChartSpec::Bars(c) => {
                let mut parts: Vec<String> = c
                    .labels
                    .iter()
                    .zip(&c.values)
                    .map(|(l, v)| format!("{l}: {}", format_value(*v)))
                    .collect();
                if let Some((v, name)) = &c.reference {
                    parts.push(format!("{name}: {}", format_value(*v)));
                }
                join_titled(&c.title, &parts)
            }
            ChartSpec::Heatmap(h) => {
                let parts: Vec<String> = h
                    .rows
                    .iter()
                    .enumerate()
                    .map(|(r, row)| {
                        let name = h.row_labels.get(r).map_or("—", String::as_str);
                        let last = row.iter().rev().find(|v| v.is_finite());
                        format!("{name}: {}", last.map_or("—".into(), |v| format_value(*v)))
                    })
                    .collect();
                join_titled(&h.title, &parts)
            }
            ChartSpec::Histograms(h) => {
                let span_ok = given_range((h.lo, h.hi)).is_some();
                let parts: Vec<String> = h
                    .rows
                    .iter()
                    .map(|(name, bins)| {
                        let total: u64 = bins.iter().map(|b| u64::from(*b)).sum();
                        let peak = bins
                            .iter()
                            .enumerate()
                            .max_by_key(|(_, b)| **b)
                            .filter(|_| total > 0 && span_ok);
                        match peak {
                            Some((k, _)) => {
                                let step = (h.hi - h.lo) / bins.len() as f64;
                                let centre = h.lo + (k as f64 + 0.5) * step;
                                format!("{name}: peak ≈ {}", format_value(centre))
                            }
                            None => format!("{name}: —"),
                        }
                    })
                    .collect();
                join_titled(&h.title, &parts)
            }
            ChartSpec::Surface(s) => {
                let mut parts: Vec<String> = s
                    .paths
                    .iter()
                    .map(|p| {
                        let name = if p.label.is_empty() { "—" } else { &p.label };
                        match last_finite(&p.points, Scale::Linear) {
                            Some((x, y)) => {
                                format!("{name}: ({}, {})", format_value(x), format_value(y))
                            }
                            None => format!("{name}: —"),
                        }
                    })
                    .collect();
                if let Some((x, y)) = s.minimum {
                    parts.push(format!("min: ({}, {})", format_value(x), format_value(y)));
                }
                join_titled(&s.title, &parts)
            }
            ChartSpec::Images(g) => {
                let parts: Vec<String> = g
                    .cells
                    .iter()
                    .map(|c| match c.correct {
                        Some(true) => format!("✓ {}", c.caption),
                        Some(false) => format!("✗ {}", c.caption),
                        None => c.caption.clone(),
                    })
                    .collect();
                join_titled(&g.title, &parts)
            }
        }
    }
}

/// Points of `s` that a chart with this y scale can draw.
fn drawable_points(s: &Series, scale: Scale) -> usize {
    s.points
        .iter()
        .filter(|(x, y)| x.is_finite() && to_axis(*y, scale).is_some())
        .count()
}

/// The last drawable point.
fn last_finite(points: &[(f64, f64)], scale: Scale) -> Option<(f64, f64)> {
    points
        .iter()
        .rev()
        .find(|(x, y)| x.is_finite() && to_axis(*y, scale).is_some())
        .copied()
}

/// `title: a; b; c`, leaving out empty parts.
fn join_titled(title: &str, parts: &[String]) -> String {
    let body = parts.join("; ");
    match (title.is_empty(), body.is_empty()) {
        (true, _) => body,
        (false, true) => title.to_string(),
        (false, false) => format!("{title}: {body}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finite_points_count_only_what_is_drawn() {
        let line = ChartSpec::Line(LineChart {
            y_scale: Scale::Log,
            series: vec![
                Series::new(
                    "a",
                    vec![(0.0, 1.0), (1.0, 0.0), (2.0, f64::NAN), (3.0, 10.0)],
                ),
                Series::new("b", vec![(f64::INFINITY, 1.0), (1.0, -1.0)]),
            ],
            ..LineChart::default()
        });
        assert_eq!(line.finite_points(), 2);
        assert_eq!(line.kind(), "line");
        let bars = ChartSpec::Bars(BarChart {
            values: vec![1.0, f64::NAN, 0.0],
            ..BarChart::default()
        });
        assert_eq!(bars.finite_points(), 2);
        let heat = ChartSpec::Heatmap(Heatmap {
            rows: vec![vec![1.0, 0.0], vec![f64::NAN]],
            log: true,
            ..Heatmap::default()
        });
        assert_eq!(heat.finite_points(), 1);
        let hist = ChartSpec::Histograms(Histograms {
            rows: vec![("a".into(), vec![1, 2, 3]), ("b".into(), vec![])],
            ..Histograms::default()
        });
        assert_eq!(hist.finite_points(), 3);
        let surface = ChartSpec::Surface(SurfacePlot {
            grid: vec![vec![1.0, f64::NAN], vec![2.0, 3.0]],
            paths: vec![Series::new("p", vec![(0.0, 0.0), (f64::NAN, 1.0)])],
            ..SurfacePlot::default()
        });
        assert_eq!(surface.finite_points(), 4);
        // A saddle below zero on log levels: every finite value is coloured.
        let saddle = ChartSpec::Surface(SurfacePlot {
            grid: vec![vec![-1.0, 0.0], vec![2.0, f64::NAN]],
            log_levels: true,
            ..SurfacePlot::default()
        });
        assert_eq!(saddle.finite_points(), 3);
        assert_eq!(ChartSpec::Empty("x".into()).finite_points(), 0);
        assert_eq!(ChartSpec::default().kind(), "empty");
    }

    #[test]
    fn the_series_builder_sets_only_what_it_names() {
        let plain = Series::new("a", vec![(0.0, 1.0)]);
        assert_eq!(
            plain,
            Series {
                label: "a".into(),
                points: vec![(0.0, 1.0)],
                ..Series::default()
            }
        );
        assert_eq!(
            plain
                .clone()
                .color(3)
                .dashed()
                .faded()
                .diverged_at(Some(2.0)),
            Series {
                color: 3,
                dashed: true,
                faded: true,
                diverged_at: Some(2.0),
                ..plain
            }
        );
    }

    #[test]
    fn summaries_name_the_last_values() {
        let diverged =
            Series::new("lr 1", vec![(0.0, 2.0), (1.0, f64::NAN)]).diverged_at(Some(1.0));
        let faded = Series::new("old", vec![(0.0, 1.0)]).faded();
        let line = ChartSpec::Line(LineChart {
            title: "Loss".into(),
            series: vec![
                Series::new("train", vec![(0.0, 2.0), (10.0, 0.5), (11.0, f64::NAN)]),
                diverged,
                faded,
                Series::new("", vec![]),
            ],
            ..LineChart::default()
        });
        assert_eq!(line.summary(), "Loss: train: 0.5 @ 10; lr 1: NaN @ 1; —: —");
        let before = ChartSpec::Line(LineChart {
            title: "Loss".into(),
            series: vec![
                Series::new("sgd · chapter", vec![(1.0, 0.6), (10.0, 0.26)]).faded(),
                Series::new("sgd", vec![]),
            ],
            ..LineChart::default()
        });
        assert_eq!(before.summary(), "Loss: sgd · chapter: 0.26 @ 10");
        let bars = ChartSpec::Bars(BarChart {
            labels: vec!["l1".into(), "l2".into()],
            values: vec![1.5, f64::INFINITY],
            reference: Some((1.0, "clip".into())),
            ..BarChart::default()
        });
        assert_eq!(bars.summary(), "l1: 1.5; l2: ∞; clip: 1");
        let hist = ChartSpec::Histograms(Histograms {
            title: "W".into(),
            lo: 0.0,
            hi: 1.0,
            rows: vec![("a".into(), vec![0, 5, 1, 0]), ("b".into(), vec![0, 0])],
        });
        assert_eq!(hist.summary(), "W: a: peak ≈ 0.375; b: —");
        let images = ChartSpec::Images(ImageGrid {
            cells: vec![
                ImageCell {
                    caption: "cat".into(),
                    correct: Some(true),
                    ..ImageCell::default()
                },
                ImageCell {
                    caption: "dog".into(),
                    correct: Some(false),
                    ..ImageCell::default()
                },
            ],
            ..ImageGrid::default()
        });
        assert_eq!(images.summary(), "✓ cat; ✗ dog");
        assert_eq!(
            ChartSpec::Empty("no data yet".into()).summary(),
            "no data yet"
        );
    }
}
