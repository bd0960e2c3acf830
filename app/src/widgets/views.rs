//! Chart specs built from a session's traces: learning curves (earlier runs faded behind),
//! per-layer gradient norms, activation histograms, learning-rate and clipping curves.

use dl101_protocol::report::{Histogram, LayerProbe, LrPoint, ProbeRecord};

use super::session::{SavedRun, Trace};
use super::words::Words;
use crate::charts::{BarChart, ChartSpec, Heatmap, Histograms, LineChart, Scale, Series};
use dl101_charts::runs::{self, EpochRow};

/// Most points drawn per series; longer series are averaged in buckets.
pub const MAX_POINTS: usize = 600;
/// Most layers shown as activation histograms.
pub const MAX_HISTOGRAMS: usize = 10;

/// Averages `points` into at most `max` buckets (x and y averaged), keeping non-finite values
/// visible: a bucket holding a NaN becomes NaN, so a divergence still shows.
pub fn downsample(points: &[(f64, f64)], max: usize) -> Vec<(f64, f64)> {
    if points.len() <= max || max == 0 {
        return points.to_vec();
    }
    let size = points.len().div_ceil(max);
    points
        .chunks(size)
        .map(|chunk| {
            let n = chunk.len() as f64;
            let x = chunk.iter().map(|p| p.0).sum::<f64>() / n;
            let y = if chunk.iter().any(|p| !p.1.is_finite()) {
                f64::NAN
            } else {
                chunk.iter().map(|p| p.1).sum::<f64>() / n
            };
            (x, y)
        })
        .collect()
}

/// An exponential moving average that restarts after a non-finite value.
pub fn smooth(values: &[f32], alpha: f64) -> Vec<f64> {
    let mut out = Vec::with_capacity(values.len());
    let mut state: Option<f64> = None;
    for &v in values {
        let v = f64::from(v);
        if !v.is_finite() {
            out.push(v);
            state = None;
            continue;
        }
        let next = state.map_or(v, |s| s + alpha * (v - s));
        state = Some(next);
        out.push(next);
    }
    out
}

fn steps_per_epoch(trace: &Trace) -> f64 {
    trace
        .info
        .as_ref()
        .map_or(1.0, |i| i.steps_per_epoch.max(1) as f64)
}

/// A run drawn faded behind the live ones, one point per epoch: an earlier run of the reader's
/// or the chapter's reference run.
#[derive(Clone, Debug, PartialEq)]
pub struct Faded {
    /// Legend label.
    pub label: String,
    /// Per epoch: train loss, train accuracy, validation accuracy.
    pub epochs: Vec<EpochRow>,
    /// Palette index: a reference run takes the colour of the live run it stands for.
    pub color: usize,
}

/// The faded runs of a chart: the chapter's reference runs, then the last few earlier runs
/// (coloured after the `live` runs).
pub fn faded(w: &Words, saved: &[SavedRun], references: &[Faded], live: usize) -> Vec<Faded> {
    let mut all = references.to_vec();
    let first = live.max(references.len());
    let recent = saved.len().saturating_sub(4);
    all.extend(saved[recent..].iter().enumerate().map(|(i, run)| Faded {
        label: format!("{} ({})", run.label, w.earlier),
        epochs: run.epochs.clone(),
        color: first + i,
    }));
    all
}

fn faded_series(faded: &[Faded], pick: fn(&EpochRow) -> Option<f64>) -> Vec<Series> {
    faded
        .iter()
        .map(|run| {
            runs::per_epoch(run.label.clone(), &run.epochs, pick)
                .color(run.color)
                .faded()
        })
        .collect()
}

/// Training loss per step (smoothed), x in epochs; faded runs' epoch losses behind.
pub fn loss_chart(w: &Words, traces: &[Trace], faded: &[Faded]) -> ChartSpec {
    let mut series = faded_series(faded, runs::train_loss);
    for (i, trace) in traces.iter().enumerate() {
        let per_epoch = steps_per_epoch(trace);
        let smoothed = smooth(&trace.losses, 0.05);
        let points: Vec<(f64, f64)> = smoothed
            .iter()
            .enumerate()
            .map(|(s, &l)| ((s + 1) as f64 / per_epoch, l))
            .collect();
        series.push(
            Series::new(trace.label.clone(), downsample(&points, MAX_POINTS))
                .color(i)
                .diverged_at(trace.diverged_at.map(|s| (s + 1) as f64 / per_epoch)),
        );
    }
    if series.iter().all(|s| s.points.is_empty()) {
        return ChartSpec::Empty(w.no_data.into());
    }
    ChartSpec::Line(LineChart {
        title: w.loss_chart.into(),
        x_label: w.epoch_axis.into(),
        y_label: w.loss_axis.into(),
        y_scale: Scale::Log,
        series,
        y_range: None,
        x_range: None,
    })
}

/// Validation (solid) and training (dashed) accuracy per epoch; faded runs behind.
pub fn accuracy_chart(w: &Words, traces: &[Trace], faded: &[Faded]) -> ChartSpec {
    let mut series = faded_series(faded, runs::validation);
    // Every run's validation curve before any training curve: a full legend lists each run once.
    for (i, trace) in traces.iter().enumerate() {
        let valid = trace
            .epochs
            .iter()
            .filter_map(|e| e.valid.map(|v| (e.epoch as f64, v.accuracy)))
            .collect();
        let label = w.valid_run.replace("{run}", &trace.label);
        series.push(Series::new(label, valid).color(i));
    }
    for (i, trace) in traces.iter().enumerate() {
        let train = trace
            .epochs
            .iter()
            .map(|e| (e.epoch as f64, e.train_accuracy))
            .collect();
        let label = w.train_run.replace("{run}", &trace.label);
        series.push(Series::new(label, train).color(i).dashed());
    }
    if series.iter().all(|s| s.points.is_empty()) {
        return ChartSpec::Empty(w.no_data.into());
    }
    ChartSpec::Line(LineChart {
        title: w.accuracy_chart.into(),
        x_label: w.epoch_axis.into(),
        y_label: w.accuracy_axis.into(),
        y_scale: Scale::Linear,
        series,
        y_range: Some((0.0, 1.0)),
        x_range: None,
    })
}

/// Gradient norm of each layer at the latest probe (log scale). The probe reads the gradients
/// the optimizer gets, so with clipping on they are the clipped ones, and the title says so.
pub fn grad_bars(w: &Words, trace: Option<&Trace>, clipped: bool) -> ChartSpec {
    let Some(probe) = trace.and_then(|t| t.probes.last()) else {
        return ChartSpec::Empty(w.no_data.into());
    };
    let title = if clipped {
        w.grad_bars_clipped
    } else {
        w.grad_bars
    };
    ChartSpec::Bars(BarChart {
        title: format!("{title} · {} {}", w.step_axis, probe.step + 1),
        y_label: "‖∂L/∂W‖".into(),
        y_scale: Scale::Log,
        labels: probe
            .layers
            .iter()
            .map(|l| short_layer(w, &l.name))
            .collect(),
        values: probe.layers.iter().map(|l| l.grad_norm).collect(),
        reference: None,
    })
}

/// A layer's probe name ("hidden 3", "output") as the charts show it: "3", or the output's
/// short name in the reader's language.
fn short_layer(w: &Words, name: &str) -> String {
    name.strip_prefix("hidden ")
        .map_or_else(|| w.output_layer.to_string(), str::to_string)
}

/// Gradient norm of every layer (rows, input side at the bottom) at every probe (columns).
pub fn grad_heatmap(w: &Words, trace: Option<&Trace>) -> ChartSpec {
    let Some(trace) = trace.filter(|t| !t.probes.is_empty()) else {
        return ChartSpec::Empty(w.no_data.into());
    };
    let layers = trace.probes[0].layers.len();
    let rows = (0..layers)
        .map(|l| {
            trace
                .probes
                .iter()
                .map(|p| p.layers.get(l).map_or(f64::NAN, |x| x.grad_norm))
                .collect()
        })
        .collect();
    ChartSpec::Heatmap(Heatmap {
        title: w.grad_heatmap.into(),
        x_label: w.step_axis.into(),
        y_label: w.layer_axis.into(),
        row_labels: trace.probes[0]
            .layers
            .iter()
            .map(|l| short_layer(w, &l.name))
            .collect(),
        rows,
        log: true,
        x_range: probe_steps(&trace.probes),
    })
}

/// The step axis of probes taken every k steps, each column centred on its own step (1-based,
/// as the gradient bars' title counts them).
fn probe_steps(probes: &[ProbeRecord]) -> (f64, f64) {
    let (Some(first), Some(last)) = (probes.first(), probes.last()) else {
        return (0.0, 0.0);
    };
    let (first, last) = (first.step as f64 + 1.0, last.step as f64 + 1.0);
    let every = if probes.len() > 1 {
        (last - first) / (probes.len() - 1) as f64
    } else {
        1.0
    };
    (first - every / 2.0, last + every / 2.0)
}

/// Activation histograms of the hidden layers at the latest probe (with mean and std).
pub fn activation_histograms(w: &Words, trace: Option<&Trace>) -> ChartSpec {
    layer_histograms(w, trace, w.act_histograms, |l| {
        let stats = match (l.activation_mean, l.activation_std) {
            (Some(m), Some(s)) => format!(" · μ {m:.2} σ {s:.2}"),
            _ => String::new(),
        };
        l.activation_histogram.as_ref().map(|h| (h, stats))
    })
}

/// Weight histograms of every layer at the latest probe (with the weight norm).
pub fn weight_histograms(w: &Words, trace: Option<&Trace>) -> ChartSpec {
    layer_histograms(w, trace, w.weight_histograms, |l| {
        l.weight_histogram
            .as_ref()
            .map(|h| (h, format!(" · ‖W‖ {:.2}", l.weight_norm)))
    })
}

/// One histogram per layer (at most [`MAX_HISTOGRAMS`], evenly spread, first and last kept).
fn layer_histograms(
    w: &Words,
    trace: Option<&Trace>,
    title: &str,
    pick: impl Fn(&LayerProbe) -> Option<(&Histogram, String)>,
) -> ChartSpec {
    let Some(probe) = trace.and_then(|t| t.probes.last()) else {
        return ChartSpec::Empty(w.no_data.into());
    };
    let layers: Vec<(&LayerProbe, &Histogram, String)> = probe
        .layers
        .iter()
        .filter_map(|l| pick(l).map(|(h, note)| (l, h, note)))
        .collect();
    let shown: Vec<_> = if layers.len() <= MAX_HISTOGRAMS {
        layers.iter().collect()
    } else {
        (0..MAX_HISTOGRAMS)
            .map(|i| &layers[i * (layers.len() - 1) / (MAX_HISTOGRAMS - 1)])
            .collect()
    };
    let Some((_, first, _)) = shown.first() else {
        return ChartSpec::Empty(w.no_data.into());
    };
    ChartSpec::Histograms(Histograms {
        title: title.into(),
        lo: first.lo,
        hi: first.hi,
        rows: shown
            .iter()
            .map(|(l, h, note)| {
                (
                    format!("{}{note}", short_layer(w, &l.name)),
                    h.counts.clone(),
                )
            })
            .collect(),
    })
}

/// Learning rate of every step trained.
pub fn lr_chart(w: &Words, traces: &[Trace]) -> ChartSpec {
    let series: Vec<Series> = traces
        .iter()
        .enumerate()
        .filter(|(_, t)| !t.lrs.is_empty())
        .map(|(i, t)| {
            let points: Vec<(f64, f64)> = t
                .lrs
                .iter()
                .enumerate()
                .map(|(s, &lr)| ((s + 1) as f64, lr))
                .collect();
            Series::new(t.label.clone(), downsample(&points, MAX_POINTS)).color(i)
        })
        .collect();
    if series.is_empty() {
        return ChartSpec::Empty(w.no_data.into());
    }
    ChartSpec::Line(LineChart {
        title: w.lr_chart.into(),
        x_label: w.step_axis.into(),
        y_label: "lr".into(),
        y_scale: Scale::Linear,
        series,
        y_range: None,
        x_range: None,
    })
}

/// A schedule's curve before training.
pub fn lr_preview(w: &Words, points: &[LrPoint], label: &str) -> ChartSpec {
    if points.is_empty() {
        return ChartSpec::Empty(w.no_data.into());
    }
    let line: Vec<(f64, f64)> = points.iter().map(|p| ((p.step + 1) as f64, p.lr)).collect();
    ChartSpec::Line(LineChart {
        title: w.lr_preview.into(),
        x_label: w.step_axis.into(),
        y_label: "lr".into(),
        y_scale: Scale::Linear,
        series: vec![Series::new(label, downsample(&line, MAX_POINTS))],
        y_range: None,
        x_range: None,
    })
}

/// Global gradient norm (before clipping) at every probe, with the threshold drawn.
pub fn clip_chart(w: &Words, trace: Option<&Trace>, threshold: Option<f64>) -> ChartSpec {
    let Some(trace) = trace.filter(|t| !t.probes.is_empty()) else {
        return ChartSpec::Empty(w.no_data.into());
    };
    let norms: Vec<(f64, f64)> = trace
        .probes
        .iter()
        .map(|p| ((p.step + 1) as f64, p.grad_global_norm))
        .collect();
    let mut series = vec![
        Series::new("‖g‖", downsample(&norms, MAX_POINTS))
            .diverged_at(trace.diverged_at.map(|s| (s + 1) as f64)),
    ];
    if let Some(t) = threshold {
        let clipped: Vec<(f64, f64)> = norms.iter().map(|&(x, n)| (x, n.min(t))).collect();
        let label = format!("min(‖g‖, {})", dl101_protocol::settings::trim_float(t));
        series.push(
            Series::new(label, downsample(&clipped, MAX_POINTS))
                .color(1)
                .dashed(),
        );
    }
    ChartSpec::Line(LineChart {
        title: w.clip_chart.into(),
        x_label: w.step_axis.into(),
        y_label: "‖g‖".into(),
        y_scale: Scale::Log,
        series,
        y_range: None,
        x_range: None,
    })
}

/// The current run's steps and losses as CSV.
pub fn csv(traces: &[Trace]) -> String {
    let mut out = String::from("run,label,step,loss,lr\n");
    for (i, t) in traces.iter().enumerate() {
        for (s, loss) in t.losses.iter().enumerate() {
            let lr = t.lrs.get(s).copied().unwrap_or(f64::NAN);
            out.push_str(&format!(
                "{i},\"{}\",{},{loss},{lr}\n",
                t.label.replace('"', "'"),
                s + 1
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn downsampling_keeps_divergence_visible() {
        let mut points: Vec<(f64, f64)> = (0..1000).map(|i| (i as f64, 1.0)).collect();
        points[999].1 = f64::NAN;
        let small = downsample(&points, 100);
        assert_eq!(small.len(), 100);
        assert!(small[99].1.is_nan());
        assert!(small[..99].iter().all(|p| p.1 == 1.0));
    }

    #[test]
    fn smoothing_restarts_after_nan() {
        let s = smooth(&[1.0, 3.0, f32::NAN, 5.0], 0.5);
        assert_eq!(s[0], 1.0);
        assert_eq!(s[1], 2.0);
        assert!(s[2].is_nan());
        assert_eq!(s[3], 5.0);
    }

    #[test]
    fn the_heatmap_counts_probes_in_steps_and_layers_in_the_readers_language() {
        let probe = |step| ProbeRecord {
            step,
            lr: 0.01,
            grad_global_norm: 1.0,
            layers: Vec::new(),
        };
        // Probes at steps 0, 10, 20 (1-based 1, 11, 21): columns 10 steps wide, centred.
        assert_eq!(probe_steps(&[probe(0), probe(10), probe(20)]), (-4.0, 26.0));
        assert_eq!(probe_steps(&[probe(4)]), (4.5, 5.5));
        assert_eq!(probe_steps(&[]), (0.0, 0.0));
        let vi = super::super::words::words(book::Language::Vi);
        assert_eq!(short_layer(vi, "hidden 3"), "3");
        assert_eq!(short_layer(vi, "output"), "ra");
    }

    #[test]
    fn accuracy_lists_every_runs_validation_before_any_training_curve() {
        let en = super::super::words::words(book::Language::En);
        let traces = ["adam", "sgd"].map(|label| Trace {
            label: label.into(),
            epochs: vec![dl101_protocol::report::EpochReport {
                epoch: 1,
                train_loss: 1.0,
                train_penalty: None,
                train_accuracy: 0.5,
                valid: None,
                lr: 0.01,
                best: false,
            }],
            ..Trace::default()
        });
        let ChartSpec::Line(chart) = accuracy_chart(en, &traces, &[]) else {
            panic!("a line chart once there are epochs");
        };
        let labels: Vec<&str> = chart.series.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(
            labels,
            ["adam · valid", "sgd · valid", "adam · train", "sgd · train"]
        );
    }

    #[test]
    fn the_layer_bars_say_when_they_show_clipped_gradients() {
        let vi = super::super::words::words(book::Language::Vi);
        let trace = Trace {
            probes: vec![ProbeRecord {
                step: 9,
                lr: 0.01,
                grad_global_norm: 1e9,
                layers: Vec::new(),
            }],
            ..Trace::default()
        };
        let title = |clipped| match grad_bars(vi, Some(&trace), clipped) {
            ChartSpec::Bars(bars) => bars.title,
            _ => panic!("bars once there is a probe"),
        };
        assert_eq!(
            title(true),
            "Chuẩn gradient theo tầng sau khi cắt (lần đo gần nhất) · bước 10"
        );
        assert_eq!(
            title(false),
            "Chuẩn gradient theo tầng (lần đo gần nhất) · bước 10"
        );
    }

    #[test]
    fn csv_has_a_row_per_step() {
        let trace = Trace {
            label: "sgd".into(),
            losses: vec![2.0, 1.5],
            lrs: vec![0.1, 0.1],
            ..Trace::default()
        };
        let text = csv(&[trace]);
        assert_eq!(text.lines().count(), 3);
        assert!(text.contains("0,\"sgd\",2,1.5,0.1"));
    }
}
