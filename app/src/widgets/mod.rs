//! The live widgets, one per `{{#widget}}` directive. Training ones share a session (a job in
//! the worker), the run bar, field controls and chart builders; two are pure drawing (sigmoid
//! saturation) or small worker requests (loss surfaces, activation curves).

pub mod controls;
pub mod experiment;
pub mod fields;
pub mod session;
pub mod url;
pub mod views;
pub mod words;

mod catalogue;
mod labels;
mod panels;
mod pure;
mod request;
mod train;

use book::{Experiment, Language, WidgetSpec};
use dl101_protocol::device::{Backend, CpuReason, DeviceInfo};
use leptos::html::Canvas;
use leptos::prelude::*;

use crate::charts::{Chart, ChartSpec, png_data_url};
use crate::i18n::widget_name;
use crate::runtime::{WorkerState, runtime};
use train::TrainWidget;
use words::{Words, words};

pub use pure::{LossSurfaceWidget, SigmoidWidget};

/// The live widget for one directive.
#[component]
pub fn Widget(spec: WidgetSpec, experiments: Vec<Experiment>, language: Language) -> impl IntoView {
    let kind = spec.kind();
    let body = match &spec {
        WidgetSpec::SigmoidSaturation { depth } => {
            view! { <SigmoidWidget depth=*depth experiments language /> }.into_any()
        }
        WidgetSpec::LossSurface {
            surface,
            optimizers,
            lr,
        } => view! {
            <LossSurfaceWidget surface=*surface optimizers=optimizers.clone() lr=*lr experiments language />
        }
        .into_any(),
        _ => view! { <TrainWidget spec=spec.clone() experiments language /> }.into_any(),
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

/// Lets the reader pick WebGPU or the CPU for every widget of the page, or have each job measure
/// which is faster for its model. A software WebGPU adapter is labelled as such: it is never the
/// default, and stays one click away. Once both were measured, each option shows its speed.
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
    let state = RwSignal::from(runtime().state());
    let rates = move || match state.get() {
        WorkerState::Ready(DeviceInfo { rates, .. }) => rates,
        _ => None,
    };
    let rate = move |backend: Backend| {
        rates().map_or(String::new(), |r| {
            let value = match backend {
                Backend::Webgpu => r.webgpu,
                Backend::Cpu => r.cpu,
            };
            let n = experiment::group_thousands(language, value.round().max(0.0) as usize);
            format!(" · {n} {}", w.samples_per_second)
        })
    };
    let webgpu_label = move || {
        let name = if software() {
            w.webgpu_software
        } else {
            "WebGPU"
        };
        format!("{name}{}", rate(Backend::Webgpu))
    };
    let cpu_label = move || format!("{}{}", w.cpu, rate(Backend::Cpu));
    view! {
        <label class="device-switch">
            <span class="visually-hidden">{w.device_switch}</span>
            <select
                aria-label=w.device_switch
                prop:value=current
                data-rates=move || rates().map_or(String::new(), |r| format!("{:.0},{:.0}", r.webgpu, r.cpu))
                on:change=move |ev| match event_target_value(&ev).as_str() {
                    "cpu" => runtime().choose_backend(Backend::Cpu),
                    "measure" => runtime().choose_measured(),
                    _ => runtime().choose_backend(Backend::Webgpu),
                }
            >
                <option value="" disabled=true>"…"</option>
                <option value="webgpu">{webgpu_label}</option>
                <option value="cpu">{cpu_label}</option>
                <option value="measure">{w.device_measure}</option>
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
