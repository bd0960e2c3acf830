//! Reader preferences kept in `localStorage`: language and colour theme.

use book::Language;

const LANGUAGE_KEY: &str = "dl101.language";
const THEME_KEY: &str = "dl101.theme";

fn storage() -> Option<web_sys::Storage> {
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
