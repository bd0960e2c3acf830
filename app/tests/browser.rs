//! Runs in headless Chromium through wasm-bindgen-test (see scripts/test.sh): the pieces of the
//! app that touch browser APIs, against the real browser.
#![cfg(target_arch = "wasm32")]

use app::book_data::{BookProblem, fetch_text, load, parse};
use app::device::{Compute, probe};
use app::prefs::{Theme, apply_theme, current_theme, save_language, saved_language};
use book::{Book, Language};
use dl101_protocol::device::CpuReason;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn a_book_file_parses_and_another_language_or_text_is_refused() {
    let book = Book {
        language: Language::Vi,
        lessons: Vec::new(),
    };
    let json = serde_json::to_string(&book).unwrap_or_default();
    assert_eq!(parse(&json, Language::Vi), Ok(book));
    assert!(matches!(
        parse(&json, Language::En),
        Err(BookProblem::Corrupt(_))
    ));
    assert!(matches!(
        parse("<html>", Language::Vi),
        Err(BookProblem::Corrupt(_))
    ));
}

#[wasm_bindgen_test]
async fn a_book_that_is_not_there_is_a_problem_worded_in_the_page_language() {
    // The test page names no book file: the app says so instead of fetching a guess.
    assert_eq!(load(Language::En).await, Err(BookProblem::NoAddress));
    let missing = fetch_text("books/none.0000000000000000.json").await;
    assert_eq!(missing, Err(BookProblem::Status(404)));
    let (vi, _) = BookProblem::Status(404).describe(Language::Vi);
    assert!(
        vi.contains("HTTP") && vi.contains("404") && vi.starts_with("Máy chủ"),
        "{vi}"
    );
    let (en, _) = BookProblem::NoAddress.describe(Language::En);
    assert_eq!(en, "This page does not name its lessons file.");
}

#[wasm_bindgen_test]
fn language_and_theme_are_remembered_in_local_storage() {
    save_language(Language::En);
    assert_eq!(saved_language(), Some(Language::En));
    save_language(Language::Vi);
    assert_eq!(saved_language(), Some(Language::Vi));
    apply_theme(Theme::Dark, true);
    assert_eq!(current_theme(), Theme::Dark);
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element());
    assert_eq!(
        root.and_then(|r| r.get_attribute("data-theme")).as_deref(),
        Some("dark")
    );
    apply_theme(Theme::Light, true);
    assert_eq!(current_theme(), Theme::Light);
}

/// The runner starts Chromium with --enable-unsafe-webgpu (e2e/webdriver.json), which exposes
/// its SwiftShader adapter: the probe must find it, see that it is software, and choose the CPU.
#[wasm_bindgen_test]
async fn the_device_probe_finds_swiftshader_and_prefers_the_cpu() {
    match probe().await {
        Compute::Cpu(CpuReason::SoftwareAdapter, Some(adapter)) => {
            assert!(adapter.is_software(), "{adapter:?}");
            assert!(adapter.name().contains("swiftshader"), "{adapter:?}");
        }
        other => panic!("expected the CPU because of a software adapter, got {other:?}"),
    }
}
