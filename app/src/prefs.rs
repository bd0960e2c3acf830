//! Reader preferences kept in `localStorage`: language, colour theme, compute backend, and the
//! widgets' recent runs.

use book::Language;
use dl101_protocol::device::Backend;

const LANGUAGE_KEY: &str = "dl101.language";
const THEME_KEY: &str = "dl101.theme";
const BACKEND_KEY: &str = "dl101.backend";

/// The page's `localStorage`, when the browser allows it.
pub fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The language the reader chose last time, if any.
pub fn saved_language() -> Option<Language> {
    let code = storage()?.get_item(LANGUAGE_KEY).ok().flatten()?;
    Language::from_code(&code)
}

/// Remembers the reader's language.
pub fn save_language(language: Language) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(LANGUAGE_KEY, language.code());
    }
}

/// The backend the reader picked by hand, if any.
pub fn saved_backend() -> Option<Backend> {
    match storage()?.get_item(BACKEND_KEY).ok().flatten()?.as_str() {
        "webgpu" => Some(Backend::Webgpu),
        "cpu" => Some(Backend::Cpu),
        _ => None,
    }
}

/// Remembers the reader's backend.
pub fn save_backend(backend: Backend) {
    if let Some(storage) = storage() {
        let code = match backend {
            Backend::Webgpu => "webgpu",
            Backend::Cpu => "cpu",
        };
        let _ = storage.set_item(BACKEND_KEY, code);
    }
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
    let saved = storage().and_then(|s| s.get_item(THEME_KEY).ok().flatten());
    match saved.as_deref() {
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
    if remember && let Some(storage) = storage() {
        let _ = storage.set_item(THEME_KEY, theme.code());
    }
}
