//! The training widget every training directive uses: fields, run bar, charts, and the extras
//! some widgets add (optimizer picks, frozen epochs, the practice step).

use book::{Experiment, Language, WidgetKind, WidgetSpec};
use dl101_protocol::chapter::race_run;
use dl101_protocol::message::JobKind;
use dl101_protocol::settings::RunSettings;
use dl101_protocol::vocab::{ClipMode, Optimizer};
use leptos::prelude::*;

use super::catalogue::{Extra, Panel, Setup, practice_step, setup};
use super::controls::{FieldControl, RunBar};
use super::experiment::{ExperimentCard, experiment_words, measure_traces, reference_runs};
use super::fields::{self, Field};
use super::labels::{practice_label, run_labels, train_label};
use super::panels::{CurvesView, LrPreview, Predictions, Results};
use super::session::{Session, Status};
use super::words::words;
use super::{ChartBox, download_url, url, views};
use crate::charts::ChartSpec;
use crate::runtime::runtime;

/// Every training widget: fields, run bar, charts, and the extras some need.
#[component]
pub(super) fn TrainWidget(
    spec: WidgetSpec,
    experiments: Vec<Experiment>,
    language: Language,
) -> impl IntoView {
    let w = words(language);
    let kind = spec.kind();
    let Setup {
        base,
        fields: field_list,
        views: view_list,
        extra,
    } = setup(&spec);
    let (initial, mut notices) = fields::from_query(kind.name(), &field_list, &base, &url::query());
    let settings = RwSignal::new(initial);
    let chosen = RwSignal::new(Vec::new());
    let freeze = RwSignal::new(0);
    let cifar_step = RwSignal::new(0);
    match &extra {
        Extra::Race(list) => chosen.set(list.clone()),
        Extra::Transfer { freeze_epochs } => freeze.set(*freeze_epochs),
        Extra::Practice { step } => cifar_step.set(*step),
        Extra::None => {}
    }
    let is_race = matches!(extra, Extra::Race(_));
    let is_transfer = matches!(extra, Extra::Transfer { .. });
    let is_practice = matches!(extra, Extra::Practice { .. });
    if is_race {
        match url::optimizers(kind.name()) {
            Ok(Some(list)) => chosen.set(list),
            Ok(None) => {}
            Err(e) => notices.push(e),
        }
    }
    let session = Session::new(kind);
    let id_prefix = format!("w-{}-{}", kind.name(), runtime().next_id());

    let runs = move || -> Vec<RunSettings> {
        let s = settings.get_untracked();
        if is_race {
            chosen
                .get_untracked()
                .into_iter()
                .map(|o| race_run(o, &s))
                .collect()
        } else {
            vec![s]
        }
    };
    let job_kind = move || {
        if is_transfer {
            JobKind::Transfer {
                freeze_epochs: freeze.get_untracked(),
            }
        } else {
            JobKind::Train
        }
    };
    // What a run started with Train is called; a race's and a transfer's runs are named by
    // the worker (optimizer and lr; A, B ← A, B).
    let label_fields = field_list.clone();
    let label_base = base.clone();
    let labels = StoredValue::new(move || -> Vec<String> {
        let s = settings.get_untracked();
        if is_race || is_transfer {
            Vec::new()
        } else if is_practice {
            let step = cifar_step.get_untracked();
            vec![practice_label(
                language,
                step,
                &label_fields,
                &practice_step(step),
                &s,
            )]
        } else {
            vec![train_label(language, &label_fields, &label_base, &s)]
        }
    });
    // The guided experiment whose runs the session holds, if the last start was one.
    let active = RwSignal::new(None::<usize>);
    let runs_for_start = runs;
    let start = Callback::new(move |paused: bool| {
        active.set(None);
        let names = labels.with_value(|f| f());
        session.start_labelled(job_kind(), runs_for_start(), names, paused);
    });
    let runs_for_change = runs;
    let url_fields = field_list.clone();
    let base_for_experiments = base.clone();
    let changed = Callback::new(move |field: Field| {
        active.set(None);
        url::write(kind.name(), &url_fields, &settings.get_untracked(), &base);
        if session.status.get_untracked().active() {
            match field.tune(&settings.get_untracked()) {
                Some(tune) => session.tune(tune),
                None => {
                    let names = labels.with_value(|f| f());
                    session.start_labelled(job_kind(), runs_for_change(), names, false);
                }
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
    let (references, references_note) = reference_runs(language, &experiments);
    // The static figure of the chapter's runs: in print, and in place of the charts when the
    // widget cannot train (the worker did not start, the data did not load).
    let figure = experiments
        .iter()
        .find_map(|e| e.figure.clone())
        .map(|src| {
            let ui = crate::i18n::ui(language);
            let failed = move || matches!(session.status.get(), Status::Failed { .. });
            view! {
                <figure class="widget-figure" class:shown=failed>
                    <img src=src alt=ui.figure_title width="640" height="300" />
                    <figcaption>{ui.figure_caption}</figcaption>
                </figure>
            }
        });
    let faded =
        Signal::derive(move || views::faded(w, &saved.get(), &references, traces.with(Vec::len)));
    let chart = move |v: Panel| -> AnyView {
        let spec: Signal<ChartSpec> = match v {
            Panel::Loss => {
                Signal::derive(move || views::loss_chart(w, &traces.get(), &faded.get()))
            }
            Panel::Accuracy => {
                Signal::derive(move || views::accuracy_chart(w, &traces.get(), &faded.get()))
            }
            Panel::GradBars => Signal::derive(move || {
                let traces = traces.get();
                let clipped = session
                    .first_settings()
                    .is_some_and(|s| s.clip != ClipMode::None);
                views::grad_bars(w, traces.first(), clipped)
            }),
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
                let threshold =
                    (s.clip == dl101_protocol::vocab::ClipMode::Norm).then_some(s.clip_threshold);
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

    let picker = match extra {
        Extra::Race(_) => view! {
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
        .into_any(),
        Extra::Transfer { .. } => view! {
            <div class="control">
                <label for=format!("{id_prefix}-freeze")>{w.freeze_epochs}</label>
                <input type="range" id=format!("{id_prefix}-freeze") min="0" max="20" step="1"
                    prop:value=move || freeze.get().to_string()
                    on:input=move |ev| freeze.set(event_target_value(&ev).parse().unwrap_or(0)) />
                <output class="control-value">{move || freeze.get()}</output>
            </div>
        }
        .into_any(),
        Extra::Practice { .. } => view! {
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
        .into_any(),
        Extra::None => ().into_any(),
    };
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
    let experiment_views = experiments
        .into_iter()
        .enumerate()
        .map(|(index, experiment)| {
            let runs = experiment_runs(&experiment, &base_for_experiments);
            // Transfer runs are named by the worker (A, B ← A, B), the others by what varies.
            let labels = match experiment.vary {
                Some(_) => run_labels(language, &experiment),
                None => Vec::new(),
            };
            let for_run = experiment.clone();
            let run = Callback::new(move |()| {
                let runs = runs.clone();
                if let Some(first) = runs.first() {
                    settings.set(first.clone());
                }
                match for_run.widget {
                    WidgetKind::OptimizerRace => {
                        chosen.set(runs.iter().map(|r| r.optimizer).collect());
                    }
                    WidgetKind::CifarPractice => {
                        if let Some(step) = for_run
                            .vary
                            .as_ref()
                            .and_then(|v| v.values.first())
                            .and_then(|v| v.parse().ok())
                        {
                            cifar_step.set(step);
                        }
                    }
                    _ => {}
                }
                session.start_labelled(job_kind(), runs, labels.clone(), false);
                active.set(Some(index));
            });
            let mine = move || active.get() == Some(index);
            let for_outcome = experiment.clone();
            let outcome = Signal::derive(move || {
                (mine() && session.status.get() == Status::Finished)
                    .then(|| measure_traces(&for_outcome, &traces.get()))
            });
            let running = Signal::derive(move || mine() && session.status.get().active());
            let conditions = Signal::derive(move || {
                Some(experiment_words(language).conditions(&settings.get()))
            });
            view! { <ExperimentCard experiment index language run outcome running conditions /> }
        })
        .collect_view();
    view! {
        {notice}
        {storage_notice}
        <div class="experiments">{experiment_views}</div>
        {figure}
        <div class="widget-body">
            <div class="widget-controls">
                {picker}
                {field_views}
            </div>
            <div class="widget-main">
                <RunBar session words=w start />
                <div class="widget-charts">
                    {view_list.into_iter().map(chart).collect_view()}
                </div>
                {references_note.map(|text| view! { <p class="references-note">{text}</p> })}
                <div class="widget-tools">
                    <button class="btn small" on:click=csv>{w.export_csv}</button>
                    <button class="btn small" on:click=move |_| session.clear_saved()>{w.clear_runs}</button>
                </div>
            </div>
        </div>
    }
}

/// The runs of a guided experiment, from the widget's own starting settings: one per varied
/// value (the CIFAR exercise's step is a whole recipe), or the transfer job's one settings.
fn experiment_runs(experiment: &Experiment, base: &RunSettings) -> Vec<RunSettings> {
    match (&experiment.vary, experiment.widget) {
        (Some(vary), WidgetKind::CifarPractice) => vary
            .values
            .iter()
            .filter_map(|step| step.parse().ok())
            .map(|step| experiment.apply_shared(&practice_step(step)))
            .collect(),
        (_, WidgetKind::OptimizerRace) => experiment
            .runs(base)
            .iter()
            .map(|run| race_run(run.optimizer, run))
            .collect(),
        _ => experiment.runs(base),
    }
}
