//! What the widgets compute on, as the page shows it. Before the training worker has started, the
//! page asks `navigator.gpu` itself (`dl101_protocol::web`, as the worker does) and applies the
//! same choice the worker will make (`dl101_protocol::device::choose`).

use book::Language;
use dl101_protocol::device::{self, Adapter, Backend, CpuReason, DeviceInfo};
use dl101_protocol::web::find_adapter;
use wasm_bindgen::JsValue;

use crate::prefs;
use crate::runtime::{WorkerState, runtime};
use crate::widgets::words::words;
use leptos::prelude::*;

/// The compute device of the page's widgets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Compute {
    /// Still asking the browser.
    Probing,
    /// WebGPU on this adapter.
    WebGpu(Adapter),
    /// The CPU backend, why, and the WebGPU adapter the browser offers if any.
    Cpu(CpuReason, Option<Adapter>),
}

impl From<DeviceInfo> for Compute {
    fn from(info: DeviceInfo) -> Self {
        match (info.backend, info.cpu_reason) {
            (Backend::Webgpu, _) => Compute::WebGpu(info.adapter.unwrap_or_default()),
            (Backend::Cpu, reason) => {
                Compute::Cpu(reason.unwrap_or(CpuReason::ChosenByReader), info.adapter)
            }
        }
    }
}

impl Compute {
    /// The backend, once known.
    pub fn backend(&self) -> Option<Backend> {
        match self {
            Compute::Probing => None,
            Compute::WebGpu(_) => Some(Backend::Webgpu),
            Compute::Cpu(..) => Some(Backend::Cpu),
        }
    }

    /// The WebGPU adapter the browser offers, in use or not.
    pub fn adapter(&self) -> Option<&Adapter> {
        match self {
            Compute::WebGpu(adapter) | Compute::Cpu(_, Some(adapter)) => Some(adapter),
            _ => None,
        }
    }

    /// The badge's short text in `language`: "WebGPU: nvidia ampere", "CPU · no WebGPU".
    pub fn badge(&self, language: Language) -> String {
        match self {
            Compute::Cpu(reason, _) => {
                format!("CPU · {}", words(language).cpu_reason_short(reason))
            }
            _ => self.describe(language),
        }
    }

    /// The whole story in `language` (the badge's tooltip): "CPU · …why, in a sentence…".
    pub fn describe(&self, language: Language) -> String {
        match self {
            Compute::Probing => crate::i18n::ui(language).device_probing.into(),
            Compute::WebGpu(adapter) => format!("WebGPU: {}", adapter.name()),
            Compute::Cpu(reason, adapter) => {
                format!(
                    "CPU · {}",
                    words(language).cpu_reason(reason, adapter.as_ref())
                )
            }
        }
    }
}

/// What the widgets compute on now: the worker's device once it has chosen, before that what the
/// page probed (`probed`: the shell's probe, absent outside the shell).
pub fn shown(probed: Option<RwSignal<Compute>>) -> impl Fn() -> Option<Compute> + Copy {
    let worker = RwSignal::from(runtime().state());
    move || match worker.get() {
        WorkerState::Ready(info) => Some(Compute::from(info)),
        _ => probed.map(|device| device.get()),
    }
}

/// What the widgets will compute on: the reader's saved choice, else WebGPU on a hardware
/// adapter and the CPU on a software one or without WebGPU.
pub async fn probe() -> Compute {
    let navigator = web_sys::window()
        .map(|w| JsValue::from(w.navigator()))
        .unwrap_or(JsValue::UNDEFINED);
    let adapter = find_adapter(&navigator).await;
    let offered = adapter.as_ref().ok().cloned();
    // Where both backends are to be measured, WebGPU is tried first, as the worker does.
    let prefer = match prefs::saved_backend() {
        None if device::measures(None, prefs::saved_measure(), adapter.as_ref()) => {
            Some(device::Backend::Webgpu)
        }
        prefer => prefer,
    };
    match device::choose(prefer, adapter.as_ref()) {
        Ok(()) => Compute::WebGpu(offered.unwrap_or_default()),
        Err(reason) => Compute::Cpu(reason, offered),
    }
}
