//! Runs in headless Chromium through wasm-bindgen-test (see scripts/test.sh): the pieces of the
//! app that touch browser APIs, against the real browser.
#![cfg(target_arch = "wasm32")]

use app::book_data::book;
use app::device::{Compute, probe};
use app::prefs::{Theme, apply_theme, current_theme, save_language, saved_language};
use book::{Block, Language};
use dl101_protocol::device::CpuReason;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_embedded_books_parse_and_mirror_each_other() {
    let (vi, en) = (book(Language::Vi), book(Language::En));
    assert!(!vi.lessons.is_empty());
    assert_eq!(vi.lessons.len(), en.lessons.len());
    for (a, b) in vi.lessons.iter().zip(&en.lessons) {
        assert_eq!(a.slug, b.slug);
        let widgets = |blocks: &[Block]| {
            blocks
                .iter()
                .filter(|b| matches!(b, Block::Widget(_)))
                .count()
        };
        assert_eq!(widgets(&a.blocks), widgets(&b.blocks), "{}", a.slug);
        let has_math = a
            .blocks
            .iter()
            .any(|b| matches!(b, Block::Html(h) if h.contains("<math")));
        assert!(has_math, "{} has MathML", a.slug);
    }
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
