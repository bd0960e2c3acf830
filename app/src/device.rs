//! What the widgets compute on, as the page shows it. Before the training worker has started, the
//! page asks `navigator.gpu` itself (`dl101_protocol::web`, as the worker does) and applies the
//! same choice the worker will make (`dl101_protocol::device::choose`).

use book::Language;
use dl101_protocol::device::{self, Adapter, Backend, CpuReason, DeviceInfo};
use dl101_protocol::web::find_adapter;
use wasm_bindgen::JsValue;

use crate::prefs;

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
        let why = match (self, language) {
            (Compute::Probing | Compute::WebGpu(_), _) => return self.describe(language),
            (Compute::Cpu(CpuReason::SoftwareAdapter, _), Language::Vi) => {
                "nhanh hơn WebGPU phần mềm"
            }
            (Compute::Cpu(CpuReason::SoftwareAdapter, _), Language::En) => {
                "faster than software WebGPU"
            }
            (Compute::Cpu(CpuReason::ChosenByReader, _), Language::Vi) => "do bạn chọn",
            (Compute::Cpu(CpuReason::ChosenByReader, _), Language::En) => "your choice",
            (Compute::Cpu(CpuReason::NoWebgpu | CpuReason::NoAdapter, _), Language::Vi) => {
                "không có WebGPU"
            }
            (Compute::Cpu(CpuReason::NoWebgpu | CpuReason::NoAdapter, _), Language::En) => {
                "no WebGPU"
            }
            (
                Compute::Cpu(CpuReason::InitFailed { .. } | CpuReason::Lost { .. }, _),
                Language::Vi,
            ) => "WebGPU gặp lỗi",
            (
                Compute::Cpu(CpuReason::InitFailed { .. } | CpuReason::Lost { .. }, _),
                Language::En,
            ) => "WebGPU failed",
        };
        format!("CPU · {why}")
    }

    /// The whole story in `language` (the badge's tooltip): "CPU · …why, in a sentence…".
    pub fn describe(&self, language: Language) -> String {
        match self {
            Compute::Probing => crate::i18n::ui(language).device_probing.into(),
            Compute::WebGpu(adapter) => format!("WebGPU: {}", adapter.name()),
            Compute::Cpu(reason, adapter) => {
                format!("CPU · {}", reason_words(reason, adapter.as_ref(), language))
            }
        }
    }
}

/// Why the CPU, in the reader's language.
pub fn reason_words(reason: &CpuReason, adapter: Option<&Adapter>, language: Language) -> String {
    let name = adapter
        .map(Adapter::name)
        .unwrap_or_else(|| "WebGPU".into());
    match (reason, language) {
        (CpuReason::ChosenByReader, Language::Vi) => "do bạn chọn".into(),
        (CpuReason::ChosenByReader, Language::En) => "your choice".into(),
        (CpuReason::NoWebgpu, Language::Vi) => "trình duyệt này không có WebGPU".into(),
        (CpuReason::NoWebgpu, Language::En) => "this browser has no WebGPU".into(),
        (CpuReason::NoAdapter, Language::Vi) => "trình duyệt không cấp bộ xử lý WebGPU nào".into(),
        (CpuReason::NoAdapter, Language::En) => "the browser offers no WebGPU adapter".into(),
        (CpuReason::SoftwareAdapter, Language::Vi) => {
            format!("WebGPU ở đây là {name} (giả lập bằng phần mềm), CPU nhanh hơn")
        }
        (CpuReason::SoftwareAdapter, Language::En) => {
            format!("WebGPU here is {name} (software), the CPU is faster")
        }
        (CpuReason::InitFailed { detail }, Language::Vi) => {
            format!("WebGPU không khởi động được ({detail})")
        }
        (CpuReason::InitFailed { detail }, Language::En) => {
            format!("WebGPU could not start ({detail})")
        }
        (CpuReason::Lost { detail }, Language::Vi) => {
            format!("WebGPU gặp lỗi khi huấn luyện ({detail}), đã chuyển sang CPU")
        }
        (CpuReason::Lost { detail }, Language::En) => {
            format!("WebGPU failed while training ({detail}), moved to the CPU")
        }
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
    match device::choose(prefs::saved_backend(), adapter.as_ref()) {
        Ok(()) => Compute::WebGpu(offered.unwrap_or_default()),
        Err(reason) => Compute::Cpu(reason, offered),
    }
}
