//! The panels some training widgets add to their charts: the schedule preview, activation
//! curves, MC-dropout predictions and the runs' results table.

use dl101_protocol::message::{FromWorker, ToWorker};
use dl101_protocol::settings::RunSettings;
use leptos::prelude::*;

use super::ChartBox;
use super::request::ask;
use super::session::{self, Session};
use super::views;
use super::words::Words;
use crate::charts::{ChartSpec, ImageCell, ImageGrid, LineChart, Scale, Series};

/// The schedule's curve, asked of the worker whenever the settings change.
#[component]
pub(super) fn LrPreview(settings: RwSignal<RunSettings>, words: &'static Words) -> impl IntoView {
    let (points, _) = ask(
        move |request| ToWorker::LrCurve {
            request,
            settings: settings.get(),
        },
        |message, current| match message {
            FromWorker::LrCurve { request, points } if *request == current => Some(points.clone()),
            _ => None,
        },
    );
    let spec = Signal::derive(move || {
        views::lr_preview(
            words,
            &points.get().unwrap_or_default(),
            settings.with(|s| s.schedule.name()),
        )
    });
    view! { <ChartBox spec label=words.lr_preview.to_string() words /> }
}

/// The chosen activation and its derivative, computed by the training core in the worker.
#[component]
pub(super) fn CurvesView(settings: RwSignal<RunSettings>, words: &'static Words) -> impl IntoView {
    let (curves, _) = ask(
        move |request| {
            let (activation, param) = settings.with(|s| (s.activation, s.activation_param));
            let mut list = vec![dl101_protocol::message::CurveRequest { activation, param }];
            if activation != dl101_protocol::vocab::Activation::Relu {
                list.push(dl101_protocol::message::CurveRequest {
                    activation: dl101_protocol::vocab::Activation::Relu,
                    param: 0.0,
                });
            }
            ToWorker::Curves {
                request,
                curves: list,
                lo: -5.0,
                hi: 5.0,
                points: 201,
            }
        },
        |message, current| match message {
            FromWorker::Curves { request, curves } if *request == current => Some(curves.clone()),
            _ => None,
        },
    );
    let spec = Signal::derive(move || {
        let list = curves.get().unwrap_or_default();
        if list.is_empty() {
            return ChartSpec::Empty("…".into());
        }
        let mut series = Vec::new();
        for (i, c) in list.iter().enumerate() {
            let reference = i > 0;
            let name = c.request.activation.name();
            let value: Vec<(f64, f64)> = c.z.iter().copied().zip(c.value.iter().copied()).collect();
            let curve = Series::new(name, value).color(i);
            series.push(if reference { curve.faded() } else { curve });
            if !reference {
                let derivative =
                    c.z.iter()
                        .copied()
                        .zip(c.derivative.iter().copied())
                        .collect();
                series.push(
                    Series::new(format!("{name}′"), derivative)
                        .color(i)
                        .dashed(),
                );
            }
        }
        ChartSpec::Line(LineChart {
            title: words.curves_chart.into(),
            x_label: "z".into(),
            y_label: "f(z)".into(),
            y_scale: Scale::Linear,
            series,
            y_range: Some((-2.0, 5.0)),
            x_range: None,
        })
    });
    view! { <ChartBox spec label=words.curves_chart.to_string() words /> }
}

/// MC-dropout: predict test images with the trained model, mean ± std per class.
#[component]
pub(super) fn Predictions(session: Session, words: &'static Words, samples: u32) -> impl IntoView {
    let samples = RwSignal::new(samples);
    let images = RwSignal::new(6u32);
    let ready = move || {
        matches!(
            session.status.get(),
            session::Status::Finished | session::Status::Paused
        )
    };
    let spec = Signal::derive(move || {
        let Some((prediction, pictures, classes)) = session.prediction.get() else {
            return ChartSpec::Empty(words.no_data.into());
        };
        let cells = pictures
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let mean = prediction.mean.get(i).cloned().unwrap_or_default();
                let std = prediction.std.get(i).cloned().unwrap_or_default();
                let best = mean
                    .iter()
                    .enumerate()
                    .max_by(|a, b| a.1.total_cmp(b.1))
                    .map_or(0, |(c, _)| c);
                let label = prediction.labels.get(i).copied().unwrap_or(0) as usize;
                let name = classes.get(best).cloned().unwrap_or_default();
                ImageCell {
                    width: p.width,
                    height: p.height,
                    channels: p.channels,
                    pixels: p.pixels.clone(),
                    caption: format!(
                        "{name} {:.0}% ±{:.0}",
                        mean.get(best).copied().unwrap_or(0.0) * 100.0,
                        std.get(best).copied().unwrap_or(0.0) * 100.0
                    ),
                    bars: Some((mean, std)),
                    correct: Some(best == label),
                }
            })
            .collect();
        ChartSpec::Images(ImageGrid {
            title: words.mc_chart.into(),
            class_names: classes,
            cells,
        })
    });
    view! {
        <div class="predict-tools">
            <label>{words.samples}" "
                <input type="number" min="1" max="1000" prop:value=move || samples.get().to_string()
                    on:change=move |ev| samples.set(event_target_value(&ev).parse::<u32>().unwrap_or_else(|_| samples.get_untracked()).clamp(1, 1000)) />
            </label>
            <label>{words.images}" "
                <input type="number" min="1" max="24" prop:value=move || images.get().to_string()
                    on:change=move |ev| images.set(event_target_value(&ev).parse::<u32>().unwrap_or(6).clamp(1, 24)) />
            </label>
            <button class="btn" data-action="predict" disabled=move || !ready()
                on:click=move |_| session.predict(images.get_untracked(), samples.get_untracked())>{words.predict}</button>
        </div>
        <ChartBox spec label=words.mc_chart.to_string() words height=320 />
    }
}

/// A table of this job's runs and the earlier ones: settings, valid and test accuracy.
#[component]
pub(super) fn Results(session: Session, words: &'static Words) -> impl IntoView {
    let rows = move || {
        let mut rows: Vec<(String, String, String, Option<String>)> = session
            .traces
            .get()
            .iter()
            .map(|t| {
                let valid = t
                    .epochs
                    .last()
                    .and_then(|e| e.valid)
                    .map_or("–".into(), |v| format!("{:.1}%", v.accuracy * 100.0));
                let test = t
                    .test
                    .map_or("–".into(), |v| format!("{:.1}%", v.accuracy * 100.0));
                // For tests and curious readers: the run's last loss, exactly (a run trains to the
                // same numbers in any worker).
                let last = t.losses.last().map_or(String::new(), |l| format!("{l:?}"));
                (t.label.clone(), valid, test, Some(last))
            })
            .collect();
        for run in session.earlier().iter().rev() {
            let valid = run
                .epochs
                .last()
                .and_then(|e| e.2)
                .map_or("–".into(), |v| format!("{:.1}%", v * 100.0));
            let test = run
                .test
                .map_or("–".into(), |v| format!("{:.1}%", v * 100.0));
            let label = format!(
                "{} · {}: {} ({})",
                run.label, words.epoch_axis, run.settings.epochs, words.earlier
            );
            rows.push((label, valid, test, None));
        }
        rows
    };
    view! {
        <table class="results">
            <caption>{words.runs_table}</caption>
            <thead><tr><th scope="col">{words.run}</th><th scope="col">{words.valid_accuracy}</th><th scope="col">{words.test_accuracy}</th></tr></thead>
            <tbody>
                {move || rows().into_iter().map(|(label, valid, test, last)| view! {
                    <tr class:earlier=last.is_none() data-loss-last=last><td>{label}</td><td>{valid}</td><td>{test}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
