//! Reader preferences kept in `localStorage`: language, colour theme, compute backend, and the
//! widgets' recent runs.
//!
//! The three preferences stay plain strings (`vi`, `dark`, `webgpu`), read and written on
//! web-sys: `public/theme.js` reads the theme that way before the first paint, and gloo-storage
//! would store JSON (`"dark"`). The saved runs, already JSON, go through `gloo_storage` (see
//! `widgets::session`), behind [`storage_usable`].

use book::Language;
use dl101_protocol::device::{Backend, Measurement};

const LANGUAGE_KEY: &str = "dl101.language";
const THEME_KEY: &str = "dl101.theme";
const BACKEND_KEY: &str = "dl101.backend";
const WORKERS_KEY: &str = "dl101.workers";

/// The page's `localStorage`, when the browser allows it (not in some private modes, with
/// site data blocked, or in a sandboxed frame, where reading `window.localStorage` throws).
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Whether `localStorage` can be used. `gloo_storage::LocalStorage` throws a JavaScript
/// exception (which unwinds through the WebAssembly without dropping anything) where the browser
/// refuses storage, so every use of it is behind this check: the page then works without it.
pub fn storage_usable() -> bool {
    storage().is_some()
}

/// The raw text stored under `key`, if storage works and holds one.
fn read(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Stores `value` under `key` as it is; a refusal (no storage, quota) is ignored.
fn write(key: &str, value: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(key, value);
    }
}

/// The language the reader chose last time, if any.
pub fn saved_language() -> Option<Language> {
    Language::from_code(&read(LANGUAGE_KEY)?)
}

/// Remembers the reader's language.
pub fn save_language(language: Language) {
    write(LANGUAGE_KEY, language.code());
}

/// The backend the reader picked by hand, if any.
pub fn saved_backend() -> Option<Backend> {
    match read(BACKEND_KEY)?.as_str() {
        "webgpu" => Some(Backend::Webgpu),
        "cpu" => Some(Backend::Cpu),
        _ => None,
    }
}

/// Whether the reader asked to measure which backend is faster (even on a software adapter).
pub fn saved_measure() -> bool {
    read(BACKEND_KEY).as_deref() == Some("measure")
}

/// Remembers that the reader asked to measure.
pub fn save_measure() {
    write(BACKEND_KEY, "measure");
}

const MEASURED_KEY: &str = "dl101.measured.v1";
/// Measurements kept (adapters × model sizes).
const KEEP_MEASURED: usize = 32;

/// Both backends' speeds measured on earlier visits, per adapter and model size (none where
/// storage is refused or the text is unreadable: the worker then measures again).
pub fn measurements() -> Vec<Measurement> {
    read(MEASURED_KEY)
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Keeps a measurement in place of any older one of the same adapter and model.
pub fn save_measurement(measurement: &Measurement) {
    let mut kept = measurements();
    kept.retain(|m| (&m.adapter, &m.model) != (&measurement.adapter, &measurement.model));
    kept.push(measurement.clone());
    let excess = kept.len().saturating_sub(KEEP_MEASURED);
    kept.drain(..excess);
    if let Ok(text) = serde_json::to_string(&kept) {
        write(MEASURED_KEY, &text);
    }
}

/// Remembers the reader's backend.
pub fn save_backend(backend: Backend) {
    let code = match backend {
        Backend::Webgpu => "webgpu",
        Backend::Cpu => "cpu",
    };
    write(BACKEND_KEY, code);
}

/// How many training workers the reader (or a benchmark) asked for, if any: `dl101.workers`
/// in `localStorage`, a whole number (clamped to 1..=`dl101_protocol::pool::MAX_WORKERS`).
pub fn saved_workers() -> Option<usize> {
    read(WORKERS_KEY)?.trim().parse().ok()
}

/// A colour theme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    fn code(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// The other theme.
    pub fn toggled(self) -> Theme {
        match self {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        }
    }
}

/// The theme in force: the saved choice, else the system's `prefers-color-scheme`.
pub fn current_theme() -> Theme {
    match read(THEME_KEY).as_deref() {
        Some("dark") => Theme::Dark,
        Some("light") => Theme::Light,
        _ => {
            let dark = web_sys::window()
                .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
                .is_some_and(|query| query.matches());
            if dark { Theme::Dark } else { Theme::Light }
        }
    }
}

/// Applies a theme to the page (`<html data-theme>`) and, when `remember`, saves it.
pub fn apply_theme(theme: Theme, remember: bool) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-theme", theme.code());
    }
    if remember {
        write(THEME_KEY, theme.code());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn raw(key: &str) -> Option<String> {
        storage().and_then(|s| s.get_item(key).ok().flatten())
    }

    fn forget(keys: &[&str]) {
        if let Some(storage) = storage() {
            for key in keys {
                let _ = storage.remove_item(key);
            }
        }
    }

    #[test]
    fn preferences_round_trip_as_the_plain_strings_stored_today() {
        assert!(storage_usable(), "headless Chromium has localStorage");
        forget(&[LANGUAGE_KEY, THEME_KEY, BACKEND_KEY]);
        assert_eq!(saved_language(), None);
        assert_eq!(saved_backend(), None);
        let root = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .expect("the test page has a root element");
        let theme_before = root.get_attribute("data-theme");
        save_language(Language::En);
        save_backend(Backend::Cpu);
        apply_theme(Theme::Dark, true);
        assert_eq!(root.get_attribute("data-theme").as_deref(), Some("dark"));
        // Plain text, not JSON: earlier visits' values and `theme.js` read the same format.
        assert_eq!(raw(LANGUAGE_KEY).as_deref(), Some("en"));
        assert_eq!(raw(BACKEND_KEY).as_deref(), Some("cpu"));
        assert_eq!(raw(THEME_KEY).as_deref(), Some("dark"));
        assert_eq!(saved_language(), Some(Language::En));
        assert_eq!(saved_backend(), Some(Backend::Cpu));
        assert_eq!(current_theme(), Theme::Dark);
        match theme_before {
            Some(theme) => root.set_attribute("data-theme", &theme),
            None => root.remove_attribute("data-theme"),
        }
        .expect("the attribute can be restored");
        forget(&[LANGUAGE_KEY, THEME_KEY, BACKEND_KEY]);
    }

    #[test]
    fn values_written_by_earlier_versions_are_read_and_junk_is_ignored() {
        let Some(storage) = storage() else {
            panic!("headless Chromium has localStorage");
        };
        for (key, value) in [
            (LANGUAGE_KEY, "vi"),
            (BACKEND_KEY, "webgpu"),
            (THEME_KEY, "light"),
        ] {
            storage.set_item(key, value).expect("a short value fits");
        }
        assert_eq!(saved_language(), Some(Language::Vi));
        assert_eq!(saved_backend(), Some(Backend::Webgpu));
        assert_eq!(current_theme(), Theme::Light);
        for (key, value) in [(LANGUAGE_KEY, "fr"), (BACKEND_KEY, "metal")] {
            storage.set_item(key, value).expect("a short value fits");
        }
        assert_eq!(saved_language(), None);
        assert_eq!(saved_backend(), None);
        forget(&[LANGUAGE_KEY, THEME_KEY, BACKEND_KEY]);
    }
}
