//! DL101 Live: the chapter "Training Deep Neural Networks" as a live textbook in the browser.
//! The site's main bundle: lessons, navigation, preferences. Training code lives elsewhere (the
//! `dl101-core` crate, loaded in a worker by the widgets), so the text never waits for Burn.

pub mod book_data;
pub mod boot;
pub mod charts;
pub mod device;
pub mod i18n;
pub mod lesson;
pub mod offline;
pub mod prefs;
pub mod runtime;
pub mod search;
pub mod shell;
pub mod widgets;

#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// Fetches the page's book, then mounts the site into `<body>` over the pre-rendered lesson or
/// the loading notice (see `boot`), and registers the service worker that keeps the book for
/// offline reading.
pub fn start() {
    console_error_panic_hook::set_once();
    offline::start();
    // Leptos's own executor starts with the mount; until then, wasm-bindgen's.
    wasm_bindgen_futures::spawn_local(boot::boot(boot::page_language()));
}
