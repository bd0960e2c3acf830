//! The DL101 Live training worker. The page starts it as a Web Worker; it owns Burn (WebGPU
//! when the browser has it, the CPU backend otherwise), loads the data and runs one job at a
//! time, reporting progress as JSON messages (see `dl101-protocol`). Keeping Burn here keeps
//! the page's own bundle small and its main thread free while models train.

#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code, unused_imports))]

mod data;
mod job;

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use burn::tensor::Device;
use dl101_protocol::device::{self, Adapter, Backend, CpuReason, DeviceInfo, Measurement, Rates};
use dl101_protocol::message::{FromWorker, Problem, ToWorker};
use dl101_protocol::web::find_adapter;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::job::Runner;

/// Messages from the page, waiting for the driver.
type Inbox = Rc<RefCell<VecDeque<ToWorker>>>;

/// Sends one message to the page.
pub fn post(scope: &DedicatedWorkerGlobalScope, message: &FromWorker) {
    match serde_json::to_string(message) {
        Ok(text) => {
            let _ = scope.post_message(&JsValue::from_str(&text));
        }
        Err(e) => {
            web_sys::console::error_1(&format!("worker: cannot encode a message: {e}").into())
        }
    }
}

/// The device the worker trains on, chosen at each `Hello`.
#[derive(Default)]
pub struct Devices {
    /// The browser's WebGPU adapter, or why there is none, once asked.
    adapter: Option<Result<Adapter, CpuReason>>,
    /// The WebGPU device once initialized (Burn's runtime cannot be initialized twice), or why it
    /// failed. Started only when a job is to run on it.
    webgpu: Option<Result<Device, CpuReason>>,
    /// The device in use and what the page was told.
    pub current: Option<(Device, DeviceInfo)>,
    /// Each job picks the faster backend for its model, measured (`dl101_protocol::device::measures`).
    measuring: bool,
    /// Measurements of this adapter: the page's from earlier visits, and this worker's own.
    measured: Vec<Measurement>,
}

impl Devices {
    fn offered(&self) -> Option<Adapter> {
        self.adapter
            .as_ref()
            .and_then(|found| found.as_ref().ok().cloned())
    }

    fn use_cpu(&mut self, reason: CpuReason) -> DeviceInfo {
        let info = DeviceInfo {
            backend: Backend::Cpu,
            adapter: self.offered(),
            cpu_reason: Some(reason),
            rates: None,
        };
        self.current = Some((dl101_core::cpu_device(), info.clone()));
        info
    }

    /// Picks a device as `dl101_protocol::device::choose` says: the reader's choice, else WebGPU
    /// on a hardware adapter and the CPU on a software one or without WebGPU. Where both are
    /// measured (`measure`: the reader asked, or a hardware adapter by default), WebGPU is started
    /// and each job then picks ([`Devices::pick`]).
    pub async fn choose(
        &mut self,
        scope: &DedicatedWorkerGlobalScope,
        prefer: Option<Backend>,
        measure: bool,
        measured: Vec<Measurement>,
    ) {
        // Asking for the adapter is cheap; starting WebGPU on it is not, and happens only below.
        let adapter = match &self.adapter {
            Some(found) => found.clone(),
            None => find_adapter(&scope.navigator().into()).await,
        };
        self.adapter = Some(adapter.clone());
        self.measuring = device::measures(prefer, measure, adapter.as_ref());
        if let Ok(found) = &adapter {
            let name = found.name();
            self.measured
                .extend(measured.into_iter().filter(|m| m.adapter == name));
        }
        let prefer = if self.measuring {
            Some(Backend::Webgpu)
        } else {
            prefer
        };
        if let Err(reason) = device::choose(prefer, adapter.as_ref()) {
            self.use_cpu(reason);
            return;
        }
        let webgpu = match &self.webgpu {
            Some(started) => started.clone(),
            None => init_webgpu().await,
        };
        self.webgpu = Some(webgpu.clone());
        match webgpu {
            Ok(device) => {
                let info = DeviceInfo {
                    backend: Backend::Webgpu,
                    adapter: self.offered(),
                    cpu_reason: None,
                    rates: None,
                };
                self.current = Some((device, info));
            }
            Err(reason) => {
                self.measuring = false;
                self.use_cpu(reason);
            }
        }
    }

    /// Where both backends are measured and WebGPU works: the adapter's name and both devices.
    pub fn measuring(&self) -> Option<(String, Device)> {
        if !self.measuring {
            return None;
        }
        let webgpu = self.webgpu.as_ref()?.as_ref().ok()?.clone();
        Some((self.offered()?.name(), webgpu))
    }

    /// What this worker knows of a model on this adapter.
    pub fn known(&self, model: &str) -> Option<Rates> {
        self.measured
            .iter()
            .rev()
            .find(|m| m.model == model)
            .map(|m| m.rates)
    }

    /// Keeps a measurement.
    pub fn remember(&mut self, measurement: Measurement) {
        self.measured.push(measurement);
    }

    /// Trains on the faster backend for `rates`; the page's new word on the device, if it
    /// changed.
    pub fn pick(&mut self, rates: Rates) -> Option<DeviceInfo> {
        let info = match rates.faster() {
            Backend::Webgpu => {
                let device = self.webgpu.as_ref()?.as_ref().ok()?.clone();
                let info = DeviceInfo {
                    backend: Backend::Webgpu,
                    adapter: self.offered(),
                    cpu_reason: None,
                    rates: Some(rates),
                };
                self.current = Some((device, info.clone()));
                info
            }
            Backend::Cpu => {
                let mut info = self.use_cpu(CpuReason::Measured);
                info.rates = Some(rates);
                if let Some((_, current)) = self.current.as_mut() {
                    current.rates = Some(rates);
                }
                info
            }
        };
        Some(info)
    }

    /// Gives up on WebGPU for this page (a kernel failed or the device was lost).
    pub fn fail_webgpu(&mut self, detail: String) -> DeviceInfo {
        let reason = CpuReason::lost(&detail);
        self.webgpu = Some(Err(reason.clone()));
        self.use_cpu(reason)
    }

    /// Whether training runs on WebGPU now.
    pub fn on_webgpu(&self) -> bool {
        self.current
            .as_ref()
            .is_some_and(|(_, info)| info.backend == Backend::Webgpu)
    }
}

async fn init_webgpu() -> Result<Device, CpuReason> {
    let (device, _setup) = Device::wgpu_options()
        .init_with_setup_async()
        .await
        .map_err(|e| CpuReason::InitFailed {
            detail: e.to_string(),
        })?;
    Ok(device)
}

fn main() {
    console_error_panic_hook::set_once();
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
        web_sys::console::error_1(&"the training worker must run in a dedicated Web Worker".into());
        return;
    };
    let inbox: Inbox = Rc::new(RefCell::new(VecDeque::new()));
    let queue = inbox.clone();
    let handler_scope = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let text = event.data().as_string().unwrap_or_default();
        match serde_json::from_str::<ToWorker>(&text) {
            Ok(message) => queue.borrow_mut().push_back(message),
            Err(e) => post(
                &handler_scope,
                &FromWorker::Failed {
                    job: None,
                    request: None,
                    problem: Problem::Protocol {
                        detail: e.to_string(),
                    },
                },
            ),
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&scope, &FromWorker::Loaded);
    wasm_bindgen_futures::spawn_local(async move {
        let mut runner = Runner::new(scope, inbox);
        runner.drive().await;
    });
}
