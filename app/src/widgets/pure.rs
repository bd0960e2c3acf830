//! The two widgets that do not train a network: sigmoid saturation (closed-form, drawn on the
//! page) and optimizer paths on 2-D surfaces (a small worker request).

use book::{Experiment, Language};
use dl101_protocol::message::{FromWorker, ToWorker};
use dl101_protocol::settings::trim_float;
use dl101_protocol::vocab::{Optimizer, Surface};
use leptos::prelude::*;

use super::experiment::ExperimentCard;
use super::fields::{Field, log_position, log_value};
use super::request::ask;
use super::words::words;
use super::{ChartBox, url};
use crate::charts::{ChartSpec, LineChart, Scale, Series, SurfacePlot};

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// σ and σ′ side by side, and the best case of backpropagating through L sigmoid layers:
/// every factor σ′ ≤ 1/4, so the gradient shrinks at least like 0.25^L.
#[component]
pub fn SigmoidWidget(
    depth: u32,
    experiments: Vec<Experiment>,
    language: Language,
) -> impl IntoView {
    let w = words(language);
    let depth = RwSignal::new(
        url::query()
            .into_iter()
            .find(|(k, _)| k == "sigmoid-saturation.depth")
            .and_then(|(_, v)| v.parse::<u32>().ok())
            .filter(|d| (1..=100).contains(d))
            .unwrap_or(depth),
    );
    let curves = Signal::derive(move || {
        let z: Vec<f64> = (0..=240).map(|i| -6.0 + i as f64 * 0.05).collect();
        ChartSpec::Line(LineChart {
            title: w.sigmoid_chart.into(),
            x_label: "z".into(),
            y_label: "".into(),
            y_scale: Scale::Linear,
            series: vec![
                Series::new("σ(z)", z.iter().map(|&x| (x, sigmoid(x))).collect()),
                Series::new(
                    "σ′(z)",
                    z.iter()
                        .map(|&x| (x, sigmoid(x) * (1.0 - sigmoid(x))))
                        .collect(),
                )
                .color(1)
                .dashed(),
            ],
            y_range: Some((0.0, 1.0)),
            x_range: None,
        })
    });
    let product = Signal::derive(move || {
        let l = depth.get();
        ChartSpec::Line(LineChart {
            title: w.product_chart.into(),
            x_label: "L".into(),
            y_label: "0.25^L".into(),
            y_scale: Scale::Log,
            series: vec![
                Series::new(
                    "0.25^L",
                    (1..=l)
                        .map(|k| (f64::from(k), 0.25f64.powi(k as i32)))
                        .collect(),
                )
                .color(2),
            ],
            y_range: None,
            x_range: Some((1.0, f64::from(l.max(2)))),
        })
    });
    let sentence = move || {
        let l = depth.get();
        format!(
            "{} {}",
            w.vanishing.replace("{L}", &l.to_string()),
            dl101_charts::geom::format_value(0.25f64.powi(l as i32))
        )
    };
    // The experiment last set up: its depths give their bounds at once (the curve is closed-form).
    let active = RwSignal::new(None::<usize>);
    let experiment_views = experiments
        .into_iter()
        .enumerate()
        .map(|(index, experiment)| {
            let depths: Vec<u32> = experiment
                .vary
                .as_ref()
                .map(|v| v.values.iter().filter_map(|d| d.parse().ok()).collect())
                .unwrap_or_default();
            let deepest = depths.iter().copied().max();
            let run = Callback::new(move |()| {
                if let Some(d) = deepest {
                    depth.set(d);
                }
                active.set(Some(index));
            });
            let outcome = Signal::derive(move || {
                (active.get() == Some(index)).then(|| {
                    depths
                        .iter()
                        .map(|&d| Some(0.25f64.powi(d as i32)))
                        .collect()
                })
            });
            view! {
                <ExperimentCard experiment index language run outcome
                    running=Signal::derive(|| false) conditions=Signal::derive(|| None) />
            }
        })
        .collect_view();
    view! {
        <div class="experiments">{experiment_views}</div>
        <div class="widget-body">
            <div class="widget-controls">
                <div class="control" data-field="depth">
                    <label for="sigmoid-depth">{w.label(Field::Depth)}</label>
                    <input type="range" id="sigmoid-depth" min="1" max="100" step="1"
                        prop:value=move || depth.get().to_string()
                        on:input=move |ev| depth.set(event_target_value(&ev).parse().unwrap_or(10)) />
                    <output class="control-value">{move || depth.get()}</output>
                </div>
                <p class="widget-fact" role="status">{sentence}</p>
            </div>
            <div class="widget-main widget-charts">
                <ChartBox spec=curves label=w.sigmoid_chart.to_string() words=w />
                <ChartBox spec=product label=w.product_chart.to_string() words=w />
            </div>
        </div>
    }
}

/// The μ of the momentum and Nesterov paths until the reader moves it: torch's usual 0.9.
const DEFAULT_MOMENTUM: f64 = 0.9;
/// Steps per path until the reader moves the slider; the experiments walk this many.
const DEFAULT_STEPS: u32 = 200;
/// The surface is sampled on this many points a side.
const SURFACE_GRID: usize = 80;

/// Optimizers walking on a 2-D surface, computed by the training core's own optimizers.
#[component]
pub fn LossSurfaceWidget(
    surface: Surface,
    optimizers: Vec<Optimizer>,
    lr: f64,
    experiments: Vec<Experiment>,
    language: Language,
) -> impl IntoView {
    let w = words(language);
    let chosen_surface = RwSignal::new(surface);
    let chosen = RwSignal::new(optimizers);
    let lr = RwSignal::new(lr);
    let steps = RwSignal::new(DEFAULT_STEPS);
    let momentum = RwSignal::new(DEFAULT_MOMENTUM);
    let (result, failure) = ask(
        move |request| ToWorker::Paths {
            request,
            surface: chosen_surface.get(),
            optimizers: chosen.get(),
            lr: lr.get(),
            momentum: Some(momentum.get()),
            steps: steps.get(),
        },
        // Only the answer to the latest request is taken, and that one is for the surface now chosen.
        move |message, current| match message {
            FromWorker::Paths { request, paths } if *request == current => {
                Some((chosen_surface.get_untracked(), paths.clone()))
            }
            _ => None,
        },
    );
    // The paths of the latest answer, while they are for the surface now chosen: until the worker
    // answers, and after a change of surface, there are none to draw.
    let current_paths = Memo::new(move |_| {
        let shape = chosen_surface.get();
        result
            .get()
            .filter(|(of, _)| *of == shape)
            .map(|(_, paths)| paths)
    });
    // The surface is drawn at once, from the same formulas the worker walks on; the paths join it
    // when the worker has them.
    let grid = Memo::new(move |_| chosen_surface.get().grid(SURFACE_GRID));
    let spec = Signal::derive(move || {
        let shape = chosen_surface.get();
        let paths = current_paths.get().unwrap_or_default();
        let (view, minimum) = (shape.view(), shape.minimum());
        let grid = grid.get();
        let series = paths
            .iter()
            .map(|p| {
                let end = p.points.last().copied();
                let diverged =
                    end.filter(|e| !(e.0.is_finite() && e.1.is_finite()) || e.0.abs() > 1e5);
                let label = format!(
                    "{} · f={}",
                    p.optimizer.name(),
                    end.map_or("–".into(), |e| dl101_charts::geom::format_value(e.2))
                );
                let color = Optimizer::ALL
                    .iter()
                    .position(|o| *o == p.optimizer)
                    .unwrap_or(0);
                Series::new(label, p.points.iter().map(|&(x, y, _)| (x, y)).collect())
                    .color(color)
                    .diverged_at(diverged.map(|_| p.points.len() as f64))
            })
            .collect();
        ChartSpec::Surface(SurfacePlot {
            title: w.surface_chart.into(),
            x_range: view.0,
            y_range: view.1,
            grid,
            log_levels: true,
            paths: series,
            minimum,
        })
    });
    // The experiment last set up; its outcome is read from the paths once they are the ones it
    // asked for (its optimizers, in its order).
    let active = RwSignal::new(None::<usize>);
    let experiment_views = experiments
        .into_iter()
        .enumerate()
        .map(|(index, experiment)| {
            let wanted: Vec<Optimizer> = experiment
                .vary
                .as_ref()
                .map(|v| {
                    v.values
                        .iter()
                        .filter_map(|o| Optimizer::from_name(o))
                        .collect()
                })
                .unwrap_or_default();
            let shared = experiment.apply_shared(&dl101_protocol::settings::RunSettings {
                lr: lr.get_untracked(),
                momentum: DEFAULT_MOMENTUM,
                ..Default::default()
            });
            let (experiment_lr, experiment_momentum) = (shared.lr, shared.momentum);
            let for_run = wanted.clone();
            let run = Callback::new(move |()| {
                chosen_surface.set(surface);
                chosen.set(for_run.clone());
                lr.set(experiment_lr);
                momentum.set(experiment_momentum);
                steps.set(DEFAULT_STEPS);
                active.set(Some(index));
            });
            // The reader's own changes afterwards make it their run, not the experiment's.
            let outcome = Signal::derive(move || {
                let same = lr.get() == experiment_lr
                    && momentum.get() == experiment_momentum
                    && steps.get() == DEFAULT_STEPS
                    && chosen_surface.get() == surface;
                if active.get() != Some(index) || !same {
                    return None;
                }
                let paths = current_paths.get()?;
                let got: Vec<Optimizer> = paths.iter().map(|p| p.optimizer).collect();
                (got == wanted).then(|| {
                    paths
                        .iter()
                        .map(|p| p.points.last().map(|end| end.2))
                        .collect()
                })
            });
            let running = Signal::derive(move || {
                active.get() == Some(index)
                    && current_paths.with(|paths| {
                        paths.as_ref().is_none_or(|paths| {
                            paths
                                .iter()
                                .map(|p| p.optimizer)
                                .ne(chosen.get().iter().copied())
                        })
                    })
            });
            view! {
                <ExperimentCard experiment index language run outcome running
                    conditions=Signal::derive(|| None) />
            }
        })
        .collect_view();
    view! {
        <div class="experiments">{experiment_views}</div>
        <div class="widget-body">
            <div class="widget-controls">
                <div class="control">
                    <label for="surface-pick">{w.surface}</label>
                    <select id="surface-pick" prop:value=move || chosen_surface.get().name().to_string()
                        on:change=move |ev| if let Some(s) = Surface::from_name(&event_target_value(&ev)) { chosen_surface.set(s) }>
                        {Surface::ALL.iter().map(|s| view! { <option value=s.name()>{s.name()}</option> }).collect_view()}
                    </select>
                </div>
                <fieldset class="optimizer-picker">
                    <legend>{w.optimizers}</legend>
                    {Optimizer::ALL.iter().map(|&o| view! {
                        <label class="opt-check">
                            <input type="checkbox" prop:checked=move || chosen.with(|c| c.contains(&o))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    chosen.update(|c| { c.retain(|x| *x != o); if on { c.push(o); } });
                                } />
                            {o.name()}
                        </label>
                    }).collect_view()}
                </fieldset>
                <div class="control">
                    <label for="surface-lr">{w.label(Field::Lr)}</label>
                    <input type="range" id="surface-lr" min="0" max="1000" step="1"
                        prop:value=move || log_position(lr.get(), 1e-4, 1.0).to_string()
                        on:change=move |ev| lr.set(log_value(event_target_value(&ev).parse().unwrap_or(500.0), 1e-4, 1.0, false)) />
                    <output class="control-value">{move || trim_float(lr.get())}</output>
                </div>
                <div class="control" data-field="momentum">
                    <label for="surface-momentum">{w.surface_momentum}</label>
                    <input type="range" id="surface-momentum" min="0" max="0.99" step="0.01"
                        prop:value=move || momentum.get().to_string()
                        on:change=move |ev| momentum.set(event_target_value(&ev).parse::<f64>().unwrap_or(DEFAULT_MOMENTUM).clamp(0.0, 0.99)) />
                    <output class="control-value">{move || trim_float(momentum.get())}</output>
                </div>
                <div class="control">
                    <label for="surface-steps">{w.steps}</label>
                    <input type="range" id="surface-steps" min="10" max="1000" step="10"
                        prop:value=move || steps.get().to_string()
                        on:change=move |ev| steps.set(event_target_value(&ev).parse().unwrap_or(DEFAULT_STEPS)) />
                    <output class="control-value">{move || steps.get()}</output>
                </div>
                {move || failure.get().map(|p| view! { <p class="widget-notice" role="alert">{w.problem(&p)}</p> })}
            </div>
            <div class="widget-main">
                <ChartBox spec label=w.surface_chart.to_string() words=w height=380 />
            </div>
        </div>
    }
}
