//! What the widgets will compute on: a WebGPU adapter if the browser offers one, else the CPU.
//! Probed on the main thread with plain JS calls, so the text bundle carries no GPU code.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The compute device the reader's browser offers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Compute {
    /// Still asking the browser.
    Probing,
    /// A WebGPU adapter, described as "vendor architecture" (e.g. "google swiftshader").
    WebGpu(String),
    /// No WebGPU: the reason, shown to the reader.
    Cpu(String),
}

fn get(target: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(target, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

fn text(target: &JsValue, key: &str) -> String {
    get(target, key)
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Asks `navigator.gpu` for an adapter.
pub async fn probe() -> Compute {
    let Some(navigator) = web_sys::window().map(|w| JsValue::from(w.navigator())) else {
        return Compute::Cpu("no window".into());
    };
    let Some(gpu) = get(&navigator, "gpu") else {
        return Compute::Cpu("navigator.gpu is missing (this browser has no WebGPU)".into());
    };
    let Some(request) = get(&gpu, "requestAdapter").and_then(|f| f.dyn_into::<Function>().ok())
    else {
        return Compute::Cpu("navigator.gpu.requestAdapter is missing".into());
    };
    let promise = match request.call0(&gpu).map(Promise::from) {
        Ok(promise) => promise,
        Err(_) => return Compute::Cpu("requestAdapter() threw".into()),
    };
    let adapter = match JsFuture::from(promise).await {
        Ok(adapter) if !adapter.is_null() && !adapter.is_undefined() => adapter,
        _ => return Compute::Cpu("the browser offers no WebGPU adapter".into()),
    };
    let info = get(&adapter, "info").unwrap_or(JsValue::NULL);
    let name = [
        text(&info, "vendor"),
        text(&info, "architecture"),
        text(&info, "description"),
    ]
    .into_iter()
    .filter(|part| !part.is_empty())
    .collect::<Vec<_>>()
    .join(" ");
    Compute::WebGpu(if name.is_empty() {
        "adapter".into()
    } else {
        name
    })
}
