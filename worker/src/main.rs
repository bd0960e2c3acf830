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
use dl101_protocol::message::{Backend, DeviceInfo, FromWorker, ToWorker};
use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
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

/// Resolves after `ms` milliseconds (0: after the event loop ran once).
pub async fn sleep(scope: &DedicatedWorkerGlobalScope, ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        let _ = scope.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}

/// The device the worker trains on, chosen once per `Hello`.
#[derive(Default)]
pub struct Devices {
    /// The WebGPU device once initialized (Burn's runtime cannot be initialized twice).
    webgpu: Option<(Device, String)>,
    /// Why WebGPU is unavailable, once known.
    webgpu_error: Option<String>,
    /// The device in use and what the page was told.
    pub current: Option<(Device, DeviceInfo)>,
}

impl Devices {
    fn cpu(reason: Option<String>) -> (Device, DeviceInfo) {
        (
            dl101_core::cpu_device(),
            DeviceInfo {
                backend: Backend::Cpu,
                adapter: "CPU (WebAssembly)".into(),
                fallback_reason: reason,
            },
        )
    }

    /// Picks a device: WebGPU unless the reader asked for the CPU or WebGPU is missing.
    pub async fn choose(&mut self, scope: &DedicatedWorkerGlobalScope, prefer: Option<Backend>) {
        if prefer == Some(Backend::Cpu) {
            self.current = Some(Self::cpu(Some("chosen by the reader".into())));
            return;
        }
        if self.webgpu.is_none() && self.webgpu_error.is_none() {
            match init_webgpu(scope).await {
                Ok(found) => self.webgpu = Some(found),
                Err(reason) => self.webgpu_error = Some(reason),
            }
        }
        self.current = Some(match (&self.webgpu, &self.webgpu_error) {
            (Some((device, adapter)), _) => (
                device.clone(),
                DeviceInfo {
                    backend: Backend::Webgpu,
                    adapter: adapter.clone(),
                    fallback_reason: None,
                },
            ),
            (None, reason) => Self::cpu(reason.clone()),
        });
    }

    /// Gives up on WebGPU for this page (a kernel failed or the device was lost).
    pub fn fail_webgpu(&mut self, reason: String) -> DeviceInfo {
        self.webgpu = None;
        self.webgpu_error = Some(reason.clone());
        let (device, info) = Self::cpu(Some(reason));
        self.current = Some((device, info.clone()));
        info
    }

    /// Whether training runs on WebGPU now.
    pub fn on_webgpu(&self) -> bool {
        self.current
            .as_ref()
            .is_some_and(|(_, info)| info.backend == Backend::Webgpu)
    }
}

/// "vendor architecture" of the browser's adapter (e.g. "google swiftshader"), as the page shows it.
async fn adapter_name(gpu: &JsValue) -> Option<String> {
    let request: js_sys::Function = Reflect::get(gpu, &"requestAdapter".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let adapter = JsFuture::from(Promise::from(request.call0(gpu).ok()?))
        .await
        .ok()?;
    let info = Reflect::get(&adapter, &"info".into()).ok()?;
    let field = |key: &str| {
        Reflect::get(&info, &key.into())
            .ok()
            .and_then(|v| v.as_string())
    };
    let name = [field("vendor"), field("architecture"), field("description")]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    (!name.is_empty()).then_some(name)
}

async fn init_webgpu(scope: &DedicatedWorkerGlobalScope) -> Result<(Device, String), String> {
    let gpu = Reflect::get(&scope.navigator(), &"gpu".into()).unwrap_or(JsValue::UNDEFINED);
    if gpu.is_undefined() || gpu.is_null() {
        return Err("this browser has no WebGPU (navigator.gpu is missing)".into());
    }
    let Some(adapter) = adapter_name(&gpu).await else {
        return Err("the browser offers no WebGPU adapter".into());
    };
    let (device, _setup) = Device::wgpu_options()
        .init_with_setup_async()
        .await
        .map_err(|e| format!("WebGPU could not start: {e}"))?;
    Ok((device, adapter))
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
                    message: format!("the worker did not understand a message: {e}"),
                    retry: false,
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
