//! Widget settings in the page address (`?optimizer-race.lr=0.01&…`), so a link reproduces a
//! run's settings. Only values that differ from the lesson's defaults are written.

use dl101_protocol::settings::RunSettings;
use dl101_protocol::vocab::Optimizer;

use super::fields::{Expected, Field, Notice, clip};

fn location_search() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// The query's `key=value` pairs, decoded.
pub fn query() -> Vec<(String, String)> {
    parse(&location_search())
}

/// Decodes `?a=1&b=x%20y` into pairs.
pub fn parse(search: &str) -> Vec<(String, String)> {
    search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(text: &str) -> String {
    js_sys::decode_uri_component(&text.replace('+', " "))
        .map(String::from)
        .unwrap_or_else(|_| text.to_string())
}

fn encode(text: &str) -> String {
    String::from(js_sys::encode_uri_component(text))
}

fn replace(kind: &str, keys: &[&str], values: Vec<(String, String)>) {
    let prefix = format!("{kind}.");
    let mut pairs: Vec<(String, String)> = query()
        .into_iter()
        .filter(|(k, _)| {
            !k.strip_prefix(&prefix)
                .is_some_and(|name| keys.contains(&name))
        })
        .collect();
    pairs.extend(values.into_iter().map(|(k, v)| (format!("{prefix}{k}"), v)));
    let search = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let path = location.pathname().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    let url = if search.is_empty() {
        format!("{path}{hash}")
    } else {
        format!("{path}?{search}{hash}")
    };
    if let Ok(history) = window.history() {
        let state = history.state().unwrap_or(wasm_bindgen::JsValue::NULL);
        let _ = history.replace_state_with_url(&state, "", Some(&url));
    }
}

/// Writes the widget's settings that differ from `base`.
pub fn write(kind: &str, fields: &[Field], settings: &RunSettings, base: &RunSettings) {
    let keys: Vec<&str> = fields.iter().map(|f| f.key()).collect();
    let values = fields
        .iter()
        .filter(|f| f.get(settings) != f.get(base))
        .map(|f| (f.key().to_string(), f.get(settings)))
        .collect();
    replace(kind, &keys, values);
}

/// Writes the optimizers picked for a race.
pub fn write_optimizers(kind: &str, optimizers: &[Optimizer]) {
    let list = optimizers
        .iter()
        .map(|o| o.name())
        .collect::<Vec<_>>()
        .join(",");
    replace(kind, &["optimizers"], vec![("optimizers".into(), list)]);
}

/// The optimizers in the URL, if any.
///
/// # Errors
/// A notice naming an unknown optimizer (the lesson's list is kept).
pub fn optimizers(kind: &str) -> Result<Option<Vec<Optimizer>>, Notice> {
    let key = format!("{kind}.optimizers");
    let Some((_, value)) = query().into_iter().find(|(k, _)| *k == key) else {
        return Ok(None);
    };
    parse_optimizers(&value).map(Some)
}

/// Parses `sgd,adam`.
///
/// # Errors
/// A notice naming the unknown optimizer.
pub fn parse_optimizers(value: &str) -> Result<Vec<Optimizer>, Notice> {
    value
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|name| {
            Optimizer::from_name(name).ok_or_else(|| Notice::BadValue {
                key: "optimizers",
                text: clip(name),
                expected: Expected::OneOf(Optimizer::NAMES),
            })
        })
        .collect()
}
