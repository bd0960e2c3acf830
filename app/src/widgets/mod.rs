//! The live widgets, one per `{{#widget}}` directive. Training ones share a session (a job in
//! the worker), the run bar, field controls and chart builders; two are pure drawing (sigmoid
//! saturation) or small worker requests (loss surfaces, activation curves).

pub mod controls;
pub mod fields;
pub mod session;
pub mod url;
pub mod views;
pub mod words;

mod pure;

use book::{Language, Optimizer, WidgetSpec};
use dl101_protocol::chapter::{CIFAR_STEPS, cifar_step};
use dl101_protocol::device::{Backend, CpuReason, DeviceInfo};
use dl101_protocol::message::{FromWorker, JobKind, Problem, ToWorker};
use dl101_protocol::settings::{DataSize, DropoutKind, RunSettings};
use leptos::html::Canvas;
use leptos::prelude::*;

use crate::charts::{
    Chart, ChartSpec, ImageCell, ImageGrid, LineChart, Scale, Series, png_data_url,
};
use crate::i18n::widget_name;
use crate::runtime::{WorkerState, runtime};
use controls::{FieldControl, RunBar};
use fields::Field;
use session::Session;
use words::{Words, words};

pub use pure::{LossSurfaceWidget, SigmoidWidget};

/// What a training widget shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Panel {
    Loss,
    Accuracy,
    GradBars,
    GradHeatmap,
    Activations,
    Lr,
    LrPreview,
    Clip,
    WeightHistograms,
    Curves,
    /// MC-dropout predictions, with the directive's number of dropout samples.
    Predictions {
        samples: u32,
    },
    Results,
}

/// A training widget's starting point: settings, the fields it exposes and what it draws.
struct Setup {
    base: RunSettings,
    fields: Vec<Field>,
    views: Vec<Panel>,
    /// Optimizers raced side by side (one run each).
    race: Option<Vec<Optimizer>>,
    /// Transfer learning's frozen epochs.
    transfer: Option<u32>,
}

/// A step of the CIFAR-10 exercise as the chapter defines it, shortened to the widget's 10
/// epochs on the quick subset (the reader can switch to full data).
fn practice_step(step: u32) -> RunSettings {
    let chapter =
        cifar_step(step).unwrap_or_else(|| cifar_step(*CIFAR_STEPS.start()).unwrap_or_default());
    RunSettings {
        size: DataSize::Quick,
        epochs: 10,
        ..chapter
    }
}

fn setup(spec: &WidgetSpec) -> Setup {
    use Field as F;
    use Panel as V;
    let base = RunSettings::default();
    let plain = |fields: Vec<Field>, views: Vec<Panel>, base: RunSettings| Setup {
        base,
        fields,
        views,
        race: None,
        transfer: None,
    };
    match spec {
        WidgetSpec::SignalPropagation {
            depth,
            width,
            activation,
            init,
        } => plain(
            vec![
                F::Depth,
                F::Width,
                F::Activation,
                F::Init,
                F::Norm,
                F::Lr,
                F::Epochs,
            ],
            vec![V::Activations, V::GradBars, V::GradHeatmap, V::Loss],
            RunSettings {
                depth: *depth,
                width: *width,
                activation: *activation,
                init: *init,
                probe_every: 10,
                epochs: 1,
                ..base
            },
        ),
        WidgetSpec::ActivationExplorer { activation } => plain(
            vec![
                F::Activation,
                F::ActivationParam,
                F::Depth,
                F::Init,
                F::Lr,
                F::Epochs,
            ],
            vec![V::Curves, V::Loss, V::Accuracy],
            RunSettings {
                activation: *activation,
                depth: 5,
                epochs: 3,
                ..base
            },
        ),
        WidgetSpec::Normalization { norm } => plain(
            vec![
                F::Norm,
                F::Depth,
                F::Activation,
                F::Init,
                F::Lr,
                F::Epochs,
                F::FullData,
            ],
            vec![V::Loss, V::Accuracy, V::GradBars],
            RunSettings {
                norm: *norm,
                depth: 10,
                lr: 0.05,
                epochs: 3,
                probe_every: 25,
                ..base
            },
        ),
        WidgetSpec::GradientClipping { clip, threshold } => plain(
            vec![
                F::Clip,
                F::ClipThreshold,
                F::Lr,
                F::Depth,
                F::Init,
                F::Epochs,
            ],
            vec![V::Clip, V::Loss, V::GradBars],
            RunSettings {
                clip: *clip,
                clip_threshold: *threshold,
                depth: 10,
                init: book::Init::Normal,
                lr: 0.01,
                epochs: 2,
                probe_every: 5,
                ..base
            },
        ),
        WidgetSpec::TransferLearning { freeze_epochs } => Setup {
            base: RunSettings {
                lr: 0.005,
                epochs: 3,
                ..base
            },
            fields: vec![F::Lr, F::Epochs],
            views: vec![V::Results, V::Loss, V::Accuracy],
            race: None,
            transfer: Some(*freeze_epochs),
        },
        WidgetSpec::OptimizerRace { optimizers, lr } => Setup {
            base: RunSettings {
                lr: *lr,
                epochs: 3,
                ..base
            },
            fields: vec![F::Lr, F::BatchSize, F::Epochs, F::FullData, F::Seed],
            views: vec![V::Loss, V::Accuracy, V::Results],
            race: Some(optimizers.clone()),
            transfer: None,
        },
        WidgetSpec::LrSchedules { schedule } => plain(
            vec![
                F::Schedule,
                F::ScheduleFactor,
                F::SchedulePeriod,
                F::Lr,
                F::Optimizer,
                F::Epochs,
            ],
            vec![V::LrPreview, V::Lr, V::Loss, V::Accuracy],
            RunSettings {
                schedule: *schedule,
                optimizer: Optimizer::Momentum,
                lr: 0.05,
                epochs: 6,
                ..base
            },
        ),
        WidgetSpec::Regularization {
            l1,
            l2,
            dropout,
            max_norm,
        } => plain(
            vec![
                F::L1,
                F::L2,
                F::Dropout,
                F::MaxNorm,
                F::WeightDecay,
                F::Epochs,
                F::FullData,
            ],
            vec![V::Accuracy, V::Loss, V::WeightHistograms],
            RunSettings {
                l1: *l1,
                l2: *l2,
                dropout: *dropout,
                max_norm: *max_norm,
                epochs: 5,
                probe_every: 50,
                ..base
            },
        ),
        WidgetSpec::McDropout { samples } => plain(
            vec![F::Dropout, F::Epochs, F::Lr],
            vec![V::Predictions { samples: *samples }, V::Loss, V::Accuracy],
            RunSettings {
                dropout: 0.2,
                dropout_kind: DropoutKind::Mc,
                epochs: 3,
                ..base
            },
        ),
        WidgetSpec::CifarPractice { step } => plain(
            vec![F::Epochs, F::Lr, F::Patience, F::Shuffle, F::FullData],
            vec![V::Results, V::Loss, V::Accuracy],
            practice_step(*step),
        ),
        // Drawn by their own components.
        WidgetSpec::SigmoidSaturation { .. } | WidgetSpec::LossSurface { .. } => {
            plain(vec![], vec![], base)
        }
    }
}

/// The live widget for one directive.
#[component]
pub fn Widget(spec: WidgetSpec, language: Language) -> impl IntoView {
    let kind = spec.kind();
    let body = match &spec {
        WidgetSpec::SigmoidSaturation { depth } => {
            view! { <SigmoidWidget depth=*depth language /> }.into_any()
        }
        WidgetSpec::LossSurface {
            surface,
            optimizers,
            lr,
        } => view! {
            <LossSurfaceWidget surface=*surface optimizers=optimizers.clone() lr=*lr language />
        }
        .into_any(),
        _ => view! { <TrainWidget spec=spec.clone() language /> }.into_any(),
    };
    // WebGPU failed under a job (a lost device, a failed kernel): every widget says why it now
    // computes on the CPU, not only the badge's tooltip.
    let state = runtime().state();
    let w = words(language);
    let lost = move || match state.get() {
        WorkerState::Ready(DeviceInfo {
            cpu_reason: Some(reason @ CpuReason::Lost { .. }),
            adapter,
            ..
        }) => Some(w.cpu_reason(&reason, adapter.as_ref())),
        _ => None,
    };
    view! {
        <section class="widget-card live" data-widget=kind.name() aria-label=widget_name(kind, language)>
            <header class="widget-head">
                <span class="widget-icon" aria-hidden="true">"▶"</span>
                <h4 class="widget-title">{widget_name(kind, language)}</h4>
                <DeviceSwitch language />
            </header>
            {move || lost().map(|text| view! {
                <p class="widget-notice" role="status" data-notice="device-lost">{text}</p>
            })}
            {body}
        </section>
    }
}

/// Lets the reader pick WebGPU or the CPU for every widget of the page. A software WebGPU adapter
/// is labelled as such: it is never the default, and stays one click away.
#[component]
fn DeviceSwitch(language: Language) -> impl IntoView {
    let w = words(language);
    let probed = use_context::<crate::shell::DeviceState>().map(|crate::shell::DeviceState(d)| d);
    let shown = crate::device::shown(probed);
    let current = move || match shown().and_then(|c| c.backend()) {
        Some(Backend::Cpu) => "cpu",
        Some(Backend::Webgpu) => "webgpu",
        None => "",
    };
    let software = move || {
        shown()
            .and_then(|c| c.adapter().map(|a| a.is_software()))
            .unwrap_or(false)
    };
    view! {
        <label class="device-switch">
            <span class="visually-hidden">{w.device_switch}</span>
            <select
                aria-label=w.device_switch
                prop:value=current
                on:change=move |ev| {
                    let backend = if event_target_value(&ev) == "cpu" { Backend::Cpu } else { Backend::Webgpu };
                    runtime().choose_backend(backend);
                }
            >
                <option value="" disabled=true>"…"</option>
                <option value="webgpu">{move || if software() { w.webgpu_software } else { "WebGPU" }}</option>
                <option value="cpu">{w.cpu}</option>
            </select>
        </label>
    }
}

/// A chart with a "download PNG" button.
#[component]
fn ChartBox(
    spec: Signal<ChartSpec>,
    label: String,
    words: &'static Words,
    #[prop(default = 240)] height: u32,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let download = move |_| {
        if let Some(url) = canvas.get_untracked().as_ref().and_then(png_data_url) {
            download_url(&url, "dl101-chart.png");
        }
    };
    view! {
        <figure class="chart-box">
            <Chart spec label=label.clone() height node_ref=canvas />
            <button class="btn small export" on:click=download title=words.export_png>"PNG"</button>
        </figure>
    }
}

/// Starts a download of `url` as `name`.
pub fn download_url(url: &str, name: &str) {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Ok(a) = document.create_element("a") {
        let _ = a.set_attribute("href", url);
        let _ = a.set_attribute("download", name);
        if let Some(a) = a.dyn_ref::<web_sys::HtmlElement>() {
            a.click();
        }
    }
}

/// Every training widget: fields, run bar, charts, and the extras some need.
#[component]
fn TrainWidget(spec: WidgetSpec, language: Language) -> impl IntoView {
    let w = words(language);
    let kind = spec.kind();
    let Setup {
        base,
        fields: field_list,
        views: view_list,
        race,
        transfer,
    } = setup(&spec);
    let (initial, mut notices) = fields::from_query(kind.name(), &field_list, &base, &url::query());
    let settings = RwSignal::new(initial);
    let chosen = RwSignal::new(race.clone().unwrap_or_default());
    let freeze = RwSignal::new(transfer.unwrap_or(0));
    let cifar_step = RwSignal::new(match spec {
        WidgetSpec::CifarPractice { step } => step,
        _ => 0,
    });
    if race.is_some() {
        match url::optimizers(kind.name()) {
            Ok(Some(list)) => chosen.set(list),
            Ok(None) => {}
            Err(e) => notices.push(e),
        }
    }
    let session = Session::new(kind);
    let is_race = race.is_some();
    let id_prefix = format!("w-{}-{}", kind.name(), runtime().next_id());

    let runs = move || -> Vec<RunSettings> {
        let s = settings.get_untracked();
        match &race {
            Some(_) => chosen
                .get_untracked()
                .into_iter()
                .map(|o| RunSettings {
                    optimizer: o,
                    ..s.clone()
                })
                .collect(),
            None => vec![s],
        }
    };
    let job_kind = move || match transfer {
        Some(_) => JobKind::Transfer {
            freeze_epochs: freeze.get_untracked(),
        },
        None => JobKind::Train,
    };
    let runs_for_start = runs.clone();
    let start =
        Callback::new(move |paused: bool| session.start(job_kind(), runs_for_start(), paused));
    let runs_for_change = runs.clone();
    let url_fields = field_list.clone();
    let changed = Callback::new(move |field: Field| {
        url::write(kind.name(), &url_fields, &settings.get_untracked(), &base);
        if session.status.get_untracked().active() {
            match field.tune(&settings.get_untracked()) {
                Some(tune) => session.tune(tune),
                None => session.start(job_kind(), runs_for_change(), false),
            }
        }
    });

    let traces = session.traces;
    // Earlier runs are overlaid on single-run widgets; a race has enough lines already.
    let saved = Signal::derive(move || {
        if is_race {
            Vec::new()
        } else {
            session.earlier()
        }
    });
    let chart = move |v: Panel| -> AnyView {
        let spec: Signal<ChartSpec> = match v {
            Panel::Loss => {
                Signal::derive(move || views::loss_chart(w, &traces.get(), &saved.get()))
            }
            Panel::Accuracy => {
                Signal::derive(move || views::accuracy_chart(w, &traces.get(), &saved.get()))
            }
            Panel::GradBars => Signal::derive(move || views::grad_bars(w, traces.get().first())),
            Panel::GradHeatmap => {
                Signal::derive(move || views::grad_heatmap(w, traces.get().first()))
            }
            Panel::Activations => {
                Signal::derive(move || views::activation_histograms(w, traces.get().first()))
            }
            Panel::WeightHistograms => {
                Signal::derive(move || views::weight_histograms(w, traces.get().first()))
            }
            Panel::Lr => Signal::derive(move || views::lr_chart(w, &traces.get())),
            Panel::Clip => Signal::derive(move || {
                let s = settings.get();
                let threshold = (s.clip == book::ClipMode::Norm).then_some(s.clip_threshold);
                views::clip_chart(w, traces.get().first(), threshold)
            }),
            Panel::LrPreview => return view! { <LrPreview settings words=w /> }.into_any(),
            Panel::Curves => return view! { <CurvesView settings words=w /> }.into_any(),
            Panel::Predictions { samples } => {
                return view! { <Predictions session words=w samples /> }.into_any();
            }
            Panel::Results => return view! { <Results session words=w /> }.into_any(),
        };
        let label = match v {
            Panel::Loss => w.loss_chart,
            Panel::Accuracy => w.accuracy_chart,
            Panel::GradBars => w.grad_bars,
            Panel::GradHeatmap => w.grad_heatmap,
            Panel::Activations => w.act_histograms,
            Panel::WeightHistograms => w.weight_histograms,
            Panel::Lr => w.lr_chart,
            _ => w.clip_chart,
        };
        view! { <ChartBox spec label=label.to_string() words=w /> }.into_any()
    };

    let race_picker = is_race.then(|| {
        view! {
            <fieldset class="optimizer-picker">
                <legend>{w.optimizers}</legend>
                {Optimizer::ALL.iter().map(|&o| view! {
                    <label class="opt-check">
                        <input type="checkbox"
                            prop:checked=move || chosen.with(|c| c.contains(&o))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                chosen.update(|c| {
                                    c.retain(|x| *x != o);
                                    if on { c.push(o); c.sort_by_key(|x| Optimizer::ALL.iter().position(|y| y == x)); }
                                });
                                url::write_optimizers(kind.name(), &chosen.get_untracked());
                            } />
                        {o.name()}
                    </label>
                }).collect_view()}
            </fieldset>
        }
    });
    let freeze_picker = transfer.map(|_| {
        view! {
            <div class="control">
                <label for=format!("{id_prefix}-freeze")>{w.freeze_epochs}</label>
                <input type="range" id=format!("{id_prefix}-freeze") min="0" max="20" step="1"
                    prop:value=move || freeze.get().to_string()
                    on:input=move |ev| freeze.set(event_target_value(&ev).parse().unwrap_or(0)) />
                <output class="control-value">{move || freeze.get()}</output>
            </div>
        }
    });
    let step_picker = matches!(spec, WidgetSpec::CifarPractice { .. }).then(|| {
        view! {
            <div class="control">
                <label for=format!("{id_prefix}-step")>{w.cifar_step}</label>
                <select id=format!("{id_prefix}-step")
                    prop:value=move || cifar_step.get().to_string()
                    on:change=move |ev| {
                        let step = event_target_value(&ev).parse().unwrap_or(3);
                        cifar_step.set(step);
                        let mut s = practice_step(step);
                        let old = settings.get_untracked();
                        s.epochs = old.epochs;
                        s.size = old.size;
                        s.shuffle = old.shuffle;
                        settings.set(s);
                    }>
                    <option value="3">"3 · Swish + He + NAdam"</option>
                    <option value="4">"4 · + BatchNorm"</option>
                    <option value="5">"5 · SELU + LeCun + standardize"</option>
                    <option value="6">"6 · + alpha dropout"</option>
                    <option value="7">"7 · + 1cycle"</option>
                </select>
            </div>
        }
    });
    let csv = move |_| {
        let text = views::csv(&traces.get_untracked());
        let url = format!(
            "data:text/csv;charset=utf-8,{}",
            String::from(js_sys::encode_uri_component(&text))
        );
        download_url(&url, &format!("dl101-{}.csv", kind.name()));
    };
    let notice = (!notices.is_empty()).then(|| {
        view! { <p class="widget-notice" role="status">{format!(
            "{}: {}",
            w.url_notice,
            notices.iter().map(|n| w.url_problem(n)).collect::<Vec<_>>().join("; ")
        )}</p> }
    });
    let storage_notice = move || {
        session
            .storage_corrupt
            .get()
            .then(|| view! { <p class="widget-notice" role="status">{w.storage_notice}</p> })
    };
    let field_views = field_list
        .iter()
        .map(|&field| view! { <FieldControl field settings id_prefix=id_prefix.clone() words=w changed /> })
        .collect_view();
    view! {
        {notice}
        {storage_notice}
        <div class="widget-body">
            <div class="widget-controls">
                {step_picker}
                {race_picker}
                {freeze_picker}
                {field_views}
            </div>
            <div class="widget-main">
                <RunBar session words=w start />
                <div class="widget-charts">
                    {view_list.into_iter().map(chart).collect_view()}
                </div>
                <div class="widget-tools">
                    <button class="btn small" on:click=csv>{w.export_csv}</button>
                    <button class="btn small" on:click=move |_| session.clear_saved()>{w.clear_runs}</button>
                </div>
            </div>
        </div>
    }
}

/// Asks the worker a question whenever what `make` reads changes, and keeps the answer to the
/// latest question (older answers are dropped) and the failure, if the worker reports one.
fn ask<T: Send + Sync + 'static>(
    make: impl Fn(u32) -> ToWorker + 'static,
    answer: impl Fn(&FromWorker, u32) -> Option<T> + 'static,
) -> (RwSignal<Option<T>>, RwSignal<Option<Problem>>) {
    let value = RwSignal::new(None);
    let error = RwSignal::new(None);
    let request = StoredValue::new(0u32);
    let listener = runtime().listen(move |message| {
        let Some(current) = request.try_get_value() else {
            return;
        };
        if let Some(found) = answer(message, current) {
            value.try_set(Some(found));
            error.try_set(None);
        } else if let FromWorker::Failed {
            request: Some(r),
            problem,
            ..
        } = message
            && *r == current
        {
            error.try_set(Some(problem.clone()));
        }
    });
    on_cleanup(move || runtime().unlisten(listener));
    Effect::new(move |_| {
        let rt = runtime();
        let id = rt.next_id();
        request.set_value(id);
        rt.send(&make(id));
    });
    (value, error)
}

/// The schedule's curve, asked of the worker whenever the settings change.
#[component]
fn LrPreview(settings: RwSignal<RunSettings>, words: &'static Words) -> impl IntoView {
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
fn CurvesView(settings: RwSignal<RunSettings>, words: &'static Words) -> impl IntoView {
    let (curves, _) = ask(
        move |request| {
            let (activation, param) = settings.with(|s| (s.activation, s.activation_param));
            let mut list = vec![dl101_protocol::message::CurveRequest { activation, param }];
            if activation != book::Activation::Relu {
                list.push(dl101_protocol::message::CurveRequest {
                    activation: book::Activation::Relu,
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
            series.push(Series {
                label: name.into(),
                points: value,
                color: i,
                dashed: false,
                faded: reference,
                diverged_at: None,
            });
            if !reference {
                let derivative =
                    c.z.iter()
                        .copied()
                        .zip(c.derivative.iter().copied())
                        .collect();
                series.push(Series {
                    label: format!("{name}′"),
                    points: derivative,
                    color: i,
                    dashed: true,
                    faded: false,
                    diverged_at: None,
                });
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
fn Predictions(session: Session, words: &'static Words, samples: u32) -> impl IntoView {
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
fn Results(session: Session, words: &'static Words) -> impl IntoView {
    let rows = move || {
        let mut rows: Vec<(String, String, String, bool)> = session
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
                (t.label.clone(), valid, test, true)
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
            rows.push((label, valid, test, false));
        }
        rows
    };
    view! {
        <table class="results">
            <caption>{words.runs_table}</caption>
            <thead><tr><th scope="col">{words.run}</th><th scope="col">{words.valid_accuracy}</th><th scope="col">{words.test_accuracy}</th></tr></thead>
            <tbody>
                {move || rows().into_iter().map(|(label, valid, test, current)| view! {
                    <tr class:earlier=!current><td>{label}</td><td>{valid}</td><td>{test}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn mc_dropout_uses_the_directives_number_of_samples() {
        let setup = setup(&WidgetSpec::McDropout { samples: 30 });
        assert!(
            setup.views.contains(&Panel::Predictions { samples: 30 }),
            "{:?}",
            setup.views
        );
    }

    #[test]
    fn the_practice_steps_are_the_chapters_with_fewer_epochs() {
        for step in CIFAR_STEPS {
            let widget = practice_step(step);
            let chapter = cifar_step(step).unwrap_or_default();
            assert_eq!(widget.epochs, 10);
            assert_eq!(widget.size, DataSize::Quick);
            let same = RunSettings {
                epochs: chapter.epochs,
                size: chapter.size,
                ..widget
            };
            assert_eq!(same, chapter, "step {step}");
        }
        let one_cycle = practice_step(7);
        assert_eq!(one_cycle.schedule_factor, 0.3, "1cycle's pct_start");
        assert!(practice_step(3).shuffle, "lesson 09's loader shuffles");
        assert_eq!(practice_step(3).init, book::Init::HeUniform);
    }
}
