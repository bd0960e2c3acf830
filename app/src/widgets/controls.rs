//! Shared controls: labelled sliders (linear or log), lists and switches bound to a field of the
//! run settings, and the run bar (train, pause, resume, one step, reset, progress, speed, ETA).

use dl101_protocol::settings::{RunSettings, trim_float};
use leptos::prelude::*;

use crate::runtime::runtime;

use super::experiment::group_thousands;
use super::fields::{Field, Input, log_position, log_value};
use super::session::{Session, Status, Trace};
use super::words::Words;

/// A control for one field. `changed` is called after the settings change.
#[component]
pub fn FieldControl(
    /// Which setting.
    field: Field,
    /// The widget's settings.
    settings: RwSignal<RunSettings>,
    /// Unique prefix for element ids.
    #[prop(into)]
    id_prefix: String,
    /// The widget's words.
    words: &'static Words,
    /// Called with the field after a change.
    changed: Callback<Field>,
) -> impl IntoView {
    let id = format!("{id_prefix}-{}", field.key());
    let label = words.label(field);
    let value_text = move || settings.with(|s| field.get(s));
    // While a slider moves, its value updates at once and live fields retune the run; a field
    // that needs a restart restarts when the slider is released (`change`), not at every pixel.
    let live = field.is_live();
    let update = move |text: String| {
        let mut next = settings.get_untracked();
        if field.set(&mut next, &text).is_ok() && next != settings.get_untracked() {
            settings.set(next);
            if live {
                changed.run(field);
            }
        }
    };
    let commit = move |text: String| {
        update(text);
        if !live {
            changed.run(field);
        }
    };
    let input = match field.input() {
        Input::Log { min, max, zero } => {
            let position = move || {
                settings.with(|s| field.get(s).parse::<f64>().map_or(0.0, |v| log_position(v, min, max)))
            };
            view! {
                <input type="range" id=id.clone() min="0" max="1000" step="1"
                    prop:value=move || position().to_string()
                    aria-valuetext=value_text
                    on:input=move |ev| {
                        let p = event_target_value(&ev).parse::<f64>().unwrap_or(0.0);
                        update(trim_float(log_value(p, min, max, zero)));
                    }
                    on:change=move |ev| {
                        let p = event_target_value(&ev).parse::<f64>().unwrap_or(0.0);
                        commit(trim_float(log_value(p, min, max, zero)));
                    } />
            }
            .into_any()
        }
        Input::Linear { min, max, step } => view! {
            <input type="range" id=id.clone() min=min.to_string() max=max.to_string() step=step.to_string()
                prop:value=value_text
                aria-valuetext=value_text
                on:input=move |ev| update(event_target_value(&ev))
                on:change=move |ev| commit(event_target_value(&ev)) />
        }
        .into_any(),
        Input::Int { min, max } => view! {
            <input type="range" id=id.clone() min=min.to_string() max=max.to_string() step="1"
                prop:value=value_text
                aria-valuetext=value_text
                on:input=move |ev| update(event_target_value(&ev))
                on:change=move |ev| commit(event_target_value(&ev)) />
        }
        .into_any(),
        Input::Choice(options) => view! {
            <select id=id.clone() prop:value=value_text on:change=move |ev| commit(event_target_value(&ev))>
                {options.iter().map(|&o| view! { <option value=o>{o}</option> }).collect_view()}
            </select>
        }
        .into_any(),
        Input::Switch => view! {
            <input type="checkbox" id=id.clone()
                prop:checked=move || value_text() == "true"
                on:change=move |ev| commit(event_target_checked(&ev).to_string()) />
        }
        .into_any(),
    };
    let show_value = !matches!(field.input(), Input::Choice(_) | Input::Switch);
    view! {
        <div class="control" data-field=field.key()>
            <label for=id>{label}</label>
            {input}
            {show_value.then(|| view! { <output class="control-value">{value_text}</output> })}
        </div>
    }
}

/// Steps done and steps planned, over every run of a job.
fn step_totals(traces: &[Trace]) -> (usize, usize) {
    let total = traces
        .iter()
        .filter_map(|t| t.info.as_ref())
        .map(|i| i.total_steps)
        .sum();
    (traces.iter().map(|t| t.steps).sum(), total)
}

fn human_bytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

fn eta_text(seconds: f64) -> String {
    if !seconds.is_finite() || seconds <= 0.0 {
        return "–".into();
    }
    let s = seconds.round() as u64;
    if s >= 60 {
        format!("{}m{:02}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    }
}

/// Train / pause / resume / step / reset, with the session's status, progress and speed.
#[component]
pub fn RunBar(
    /// The session.
    session: Session,
    /// The widget's words.
    words: &'static Words,
    /// Starts a fresh job (`true`: paused, for a single step).
    start: Callback<bool>,
) -> impl IntoView {
    let status = session.status;
    let traces = session.traces;
    let progress = move || {
        traces.with(|ts| {
            let (done, total) = step_totals(ts);
            if total == 0 {
                0.0
            } else {
                (done as f64 / total as f64).min(1.0)
            }
        })
    };
    let speed = move || {
        traces.with(|ts| {
            let running: Vec<_> = ts.iter().filter(|t| t.steps_per_second > 0.0).collect();
            if running.is_empty() {
                return String::new();
            }
            let steps: f64 =
                running.iter().map(|t| t.steps_per_second).sum::<f64>() / running.len() as f64;
            let samples: f64 =
                running.iter().map(|t| t.samples_per_second).sum::<f64>() / running.len() as f64;
            let (done, total) = step_totals(ts);
            let epoch = ts
                .first()
                .and_then(|t| {
                    t.info
                        .as_ref()
                        .map(|i| t.steps as f64 / i.steps_per_epoch.max(1) as f64)
                })
                .unwrap_or(0.0);
            // Runs train in turn in each worker, so the job advances at about one run's speed
            // per worker.
            let parts = session
                .job
                .get_untracked()
                .map_or(1, |job| runtime().parts(job));
            let eta = total.saturating_sub(done) as f64 / (steps * parts as f64).max(1e-9);
            let workers = if parts > 1 {
                format!(" · {parts} {}", words.workers_parallel)
            } else {
                String::new()
            };
            // Nothing left once every step is done: no "– left" on a finished run.
            let left = if done < total {
                format!(" · {} {}", eta_text(eta), words.eta)
            } else {
                String::new()
            };
            format!(
                "{} {:.2} · {} {} · {} {}{left}{workers}",
                words.epoch,
                epoch,
                group_thousands(words.language, steps.round().max(0.0) as usize),
                words.steps_per_second,
                group_thousands(words.language, samples.round().max(0.0) as usize),
                words.samples_per_second,
            )
        })
    };
    let status_text = move || match status.get() {
        Status::Idle => words.idle.to_string(),
        Status::Starting => words.building.to_string(),
        Status::Loading {
            done,
            total,
            cached,
        } => {
            let from_cache = if cached > 0 {
                format!(" ({} {})", cached, words.from_cache)
            } else {
                String::new()
            };
            format!(
                "{} {} / {}{from_cache}",
                words.loading_data,
                human_bytes(done),
                human_bytes(total)
            )
        }
        Status::Running => words.running.to_string(),
        Status::Paused => words.paused.to_string(),
        Status::Finished => words.finished.to_string(),
        Status::Stopped => words.stopped.to_string(),
        Status::Failed { problem } => format!("{}: {}", words.failed, words.problem(&problem)),
    };
    let loading_fraction = move || match status.get() {
        Status::Loading { done, total, .. } if total > 0 => Some(done as f64 / total as f64),
        _ => None,
    };
    let diverged = move || {
        traces.with(|ts| {
            ts.iter().find_map(|t| {
                t.diverged_at
                    .map(|s| format!("{}: {} {}", t.label, words.diverged, s + 1))
            })
        })
    };
    // For tests and curious readers: totals as attributes of the bar.
    let steps_done =
        move || traces.with(|ts| ts.iter().map(|t| t.steps).sum::<usize>().to_string());
    let loss_at = move |last: bool| {
        traces.with(|ts| {
            let losses = ts.first().map(|t| t.losses.as_slice()).unwrap_or_default();
            let n = (losses.len() / 3).clamp(1, 20).min(losses.len());
            if n == 0 {
                return String::new();
            }
            let window = if last {
                &losses[losses.len() - n..]
            } else {
                &losses[..n]
            };
            let mean = window.iter().map(|&l| f64::from(l)).sum::<f64>() / n as f64;
            format!("{mean:.5}")
        })
    };
    let memory = move || {
        session
            .memory
            .get()
            .map(|m| m.in_use.to_string())
            .unwrap_or_default()
    };
    view! {
        <div class="run-bar" data-steps=steps_done data-loss-first=move || loss_at(false)
            data-loss-last=move || loss_at(true) data-memory-in-use=memory
            data-cached-files=move || session.cached_files.get().to_string()
            data-worker-bytes=move || session.worker_bytes.get().to_string()
            data-samples-per-second=move || traces.with(|ts| ts.iter().map(|t| t.samples_per_second).fold(0.0, f64::max).round().to_string())
            data-test-accuracy=move || traces.with(|ts| ts.first().and_then(|t| t.test).map(|t| format!("{:.4}", t.accuracy)).unwrap_or_default())>
            <div class="run-buttons" role="group">
                {move || {
                    let s = status.get();
                    match &s {
                        Status::Running => view! {
                            <button class="btn" data-action="pause" on:click=move |_| session.pause()>{words.pause}</button>
                        }.into_any(),
                        Status::Paused => view! {
                            <button class="btn primary" data-action="resume" on:click=move |_| session.resume()>{words.resume}</button>
                        }.into_any(),
                        Status::Failed { problem } if problem.retry() => view! {
                            <button class="btn primary" data-action="retry" on:click=move |_| session.retry()>{words.retry}</button>
                        }.into_any(),
                        _ => view! {
                            <button class="btn primary" data-action="train" disabled=s.active() on:click=move |_| start.run(false)>{words.start}</button>
                        }.into_any(),
                    }
                }}
                <button class="btn" data-action="step"
                    on:click=move |_| {
                        if status.get_untracked().active() { session.step() } else { start.run(true); session.step() }
                    }>{words.step}</button>
                <button class="btn" data-action="reset" on:click=move |_| session.reset()>{words.reset}</button>
            </div>
            <div class="run-status" role="status" aria-live="polite" data-status=move || status.get().code()>
                {status_text}
            </div>
            {move || loading_fraction().map(|f| view! {
                <progress class="data-progress" max="1" value=f.to_string()></progress>
            })}
            <progress class="run-progress" max="1" value=move || progress().to_string() aria-label=words.epoch></progress>
            <div class="run-speed">{speed}</div>
            {move || diverged().map(|text| view! { <p class="run-diverged" role="alert">{text}</p> })}
            {move || (session.uncached_files.get() > 0).then(|| view! {
                <p class="widget-notice" data-notice="uncached" role="status">
                    {format!("{} ({} {})", words.uncached_notice, session.uncached_files.get(), words.files)}
                </p>
            })}
        </div>
    }
}
