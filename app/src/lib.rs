//! DL101 Live: the chapter "Training Deep Neural Networks" as a live textbook in the browser.
//! The site's main bundle: lessons, navigation, preferences. Training code lives elsewhere (the
//! `dl101-core` crate, loaded in a worker by the widgets), so the text never waits for Burn.

pub mod book_data;
pub mod charts;
pub mod device;
pub mod i18n;
pub mod lesson;
pub mod prefs;
pub mod runtime;
pub mod search;
pub mod shell;
pub mod widgets;

#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// Mounts the site into `<body>`, replacing the loading notice.
pub fn start() {
    console_error_panic_hook::set_once();
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
    leptos::mount::mount_to_body(shell::App);
}
