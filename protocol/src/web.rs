//! Reading the browser's WebGPU adapter, for the page and for the worker alike (feature `web`:
//! plain JS calls through js-sys, so neither bundle needs a GPU library for it).

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::device::{Adapter, CpuReason};

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

/// Asks `navigator.gpu` (a window's or a worker's navigator) for an adapter and reads its
/// `GPUAdapterInfo`; without one, says why.
pub async fn find_adapter(navigator: &JsValue) -> Result<Adapter, CpuReason> {
    let gpu = get(navigator, "gpu").ok_or(CpuReason::NoWebgpu)?;
    let request = get(&gpu, "requestAdapter")
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or(CpuReason::NoWebgpu)?;
    let promise = request
        .call0(&gpu)
        .map(Promise::from)
        .map_err(|_| CpuReason::NoAdapter)?;
    let adapter = JsFuture::from(promise)
        .await
        .ok()
        .filter(|a| !a.is_null() && !a.is_undefined())
        .ok_or(CpuReason::NoAdapter)?;
    let info = get(&adapter, "info").unwrap_or(JsValue::NULL);
    Ok(Adapter {
        vendor: text(&info, "vendor"),
        architecture: text(&info, "architecture"),
        description: text(&info, "description"),
        fallback: get(&info, "isFallbackAdapter")
            .and_then(|v| v.as_bool())
            .unwrap_or(false),
    })
}
