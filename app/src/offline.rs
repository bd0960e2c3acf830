//! Offline reading: registers the service worker (`public/sw.js`), tells the reader whether the
//! book is kept for reading without the network and how much is kept, and offers a reload once a
//! new version has been downloaded in the background.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use book::Language;
use js_sys::{Array, Reflect};
use leptos::prelude::*;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
// Not Leptos's: `start` runs before the app is mounted, when Leptos has no executor yet.
use wasm_bindgen_futures::spawn_local;
use web_sys::{
    Cache, CacheStorage, Request, Response, ServiceWorker, ServiceWorkerContainer,
    ServiceWorkerRegistration, ServiceWorkerState,
};

use crate::i18n::words;

words!(
    /// The words of the offline status and of the update notice in one language.
    OfflineWords {
        ready: "Đọc được khi không có mạng" / "Available offline",
        saving: "Đang lưu sách để đọc khi không có mạng…" / "Saving the book for offline reading…",
        failed: "Chưa lưu được sách để đọc khi không có mạng (mạng bị ngắt hoặc bộ nhớ trình duyệt đã đầy); sẽ thử lại lần sau." / "The book could not be kept for offline reading (the network dropped or the browser's storage is full); it will try again next time.",
        kept: "Đã lưu trong trình duyệt này:" / "Kept in this browser:",
        lessons: "Bài học và giao diện" / "Lessons and interface",
        trainer: "Bộ máy huấn luyện" / "Training engine",
        data: "Dữ liệu huấn luyện" / "Training data",
        no_data: "chưa có, sẽ tải khi bạn huấn luyện lần đầu" / "none yet, downloaded the first time you train",
        update: "Đã có phiên bản mới của sách." / "A new version of the book is ready.",
        reload: "Tải lại" / "Reload",
    }
);

/// The offline words of `language`.
pub fn offline_words(language: Language) -> &'static OfflineWords {
    match language {
        Language::Vi => &VI,
        Language::En => &EN,
    }
}

/// Whether the book can be read without the network.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Availability {
    /// No service worker in this browser or at this address (plain http, a private window), or
    /// not known yet.
    Unknown,
    /// The first visit: the service worker is downloading the book.
    Saving,
    /// The service worker could not keep the book (network, storage full).
    Failed,
    /// Every file of this version is in Cache Storage.
    Ready,
}

/// Bytes kept in Cache Storage, by what they are for.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Kept {
    /// Route pages, the app's JS and wasm, styles, fonts, images, the math stylesheet.
    pub lessons: u64,
    /// The training worker's loader, JS and wasm.
    pub trainer: u64,
    /// Datasets the training worker has downloaded and kept (its own cache).
    pub data: u64,
}

/// The service worker's cache of one version (`sw.js`).
const SHELL_PREFIX: &str = "dl101-shell-";
/// The list of that version's files (`scripts/precache.py`), kept last by the service worker.
const PRECACHE: &str = "precache.json";

struct State {
    availability: ArcRwSignal<Availability>,
    kept: ArcRwSignal<Kept>,
    /// A new version waits: the notice is shown.
    update: ArcRwSignal<bool>,
    /// The reader accepted the new version: reload when it takes over.
    reloading: Cell<bool>,
    /// This page was served by a service worker (not its first install).
    controlled: Cell<bool>,
    registration: RefCell<Option<ServiceWorkerRegistration>>,
}

thread_local! {
    static STATE: Rc<State> = Rc::new(State {
        availability: ArcRwSignal::new(Availability::Unknown),
        kept: ArcRwSignal::new(Kept::default()),
        update: ArcRwSignal::new(false),
        reloading: Cell::new(false),
        controlled: Cell::new(false),
        registration: RefCell::new(None),
    });
}

fn state() -> Rc<State> {
    STATE.with(Rc::clone)
}

fn set_availability(next: Availability) {
    let availability = state().availability.clone();
    if availability.get_untracked() != next {
        availability.set(next);
    }
}

/// The browser's service worker container, where it has one and the address allows it
/// (https or localhost).
fn container() -> Option<ServiceWorkerContainer> {
    let window = web_sys::window()?;
    if !window.is_secure_context() {
        return None;
    }
    Reflect::get(&window.navigator(), &"serviceWorker".into())
        .ok()?
        .dyn_into::<ServiceWorkerContainer>()
        .ok()
}

/// Registers the service worker and follows its versions, once the page has loaded (on a slow
/// network the first lesson comes before the download of the whole book). Does nothing where the
/// browser has none or refuses it; an install that fails is shown as [`Availability::Failed`].
pub fn start() {
    let Some(container) = container() else {
        return;
    };
    state().controlled.set(container.controller().is_some());
    let on_change = Closure::<dyn FnMut()>::new(controller_changed);
    container.set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
    on_change.forget();
    let Some(window) = web_sys::window() else {
        return;
    };
    let loaded = window
        .document()
        .is_some_and(|d| d.ready_state() == "complete");
    if loaded {
        register(container);
        return;
    }
    let on_load = Closure::once_into_js(move || register(container));
    let _ = window.add_event_listener_with_callback("load", on_load.unchecked_ref());
}

fn register(container: ServiceWorkerContainer) {
    spawn_local(async move {
        // Relative to <base href>: the service worker's scope is the site's folder.
        let registered = JsFuture::from(container.register("sw.js"))
            .await
            .and_then(|r| r.dyn_into::<ServiceWorkerRegistration>());
        match registered {
            Ok(registration) => watch(registration),
            // Refused (a private window, storage blocked): the book works online as before, and
            // the page promises nothing about offline reading.
            Err(error) => {
                web_sys::console::warn_2(&"service worker not registered:".into(), &error)
            }
        }
    });
}

fn watch(registration: ServiceWorkerRegistration) {
    let state = state();
    if state.controlled.get() && registration.waiting().is_some() {
        state.update.set(true);
    }
    if registration.active().is_some() {
        spawn_local(refresh());
    } else {
        set_availability(Availability::Saving);
    }
    if let Some(installing) = registration.installing() {
        follow(installing);
    }
    let found = registration.clone();
    let on_found = Closure::<dyn FnMut()>::new(move || {
        if let Some(installing) = found.installing() {
            follow(installing);
        }
    });
    registration.set_onupdatefound(Some(on_found.as_ref().unchecked_ref()));
    on_found.forget();
    // On a bad network the update check at page load may have failed: look again once it is back.
    let again = registration.clone();
    let on_online = Closure::<dyn FnMut()>::new(move || {
        let _ = again.update();
    });
    if let Some(window) = web_sys::window() {
        let _ =
            window.add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
    }
    on_online.forget();
    *state.registration.borrow_mut() = Some(registration);
}

/// Follows a service worker being installed: a new version waiting, the first one ready, or one
/// that failed.
fn follow(worker: ServiceWorker) {
    let watched = worker.clone();
    let on_state = Closure::<dyn FnMut()>::new(move || match watched.state() {
        ServiceWorkerState::Installed if state().controlled.get() => state().update.set(true),
        ServiceWorkerState::Activated => spawn_local(refresh()),
        ServiceWorkerState::Redundant
            if state().availability.get_untracked() == Availability::Saving =>
        {
            set_availability(Availability::Failed)
        }
        _ => {}
    });
    worker.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
    on_state.forget();
}

fn controller_changed() {
    let state = state();
    if state.reloading.get() {
        reload();
    } else if state.controlled.get() {
        // Another tab took the new version: this page's files may be gone from the cache.
        state.update.set(true);
    } else {
        // The first version took this page over.
        state.controlled.set(true);
        spawn_local(refresh());
    }
}

fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

/// The reader pressed "reload": the waiting version takes over, then the page reloads into it.
fn accept_update() {
    let state = state();
    state.reloading.set(true);
    let waiting = state
        .registration
        .borrow()
        .as_ref()
        .and_then(ServiceWorkerRegistration::waiting);
    let Some(waiting) = waiting else {
        reload();
        return;
    };
    if waiting.post_message(&"skip-waiting".into()).is_err() {
        reload();
        return;
    }
    // Should the switch never be reported, reload anyway after a few seconds.
    let fallback = Closure::once_into_js(reload);
    if let Some(window) = web_sys::window() {
        let _ = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(fallback.unchecked_ref(), 5000);
    }
}

/// Reads what is kept and updates the status.
async fn refresh() {
    match kept().await {
        Ok(Some(kept)) => {
            state().kept.set(kept);
            set_availability(Availability::Ready);
        }
        Ok(None) => {}
        Err(error) => web_sys::console::warn_2(&"offline status unknown:".into(), &error),
    }
}

#[derive(Deserialize)]
struct Precache {
    version: String,
    files: Vec<PrecacheFile>,
}

#[derive(Deserialize)]
struct PrecacheFile {
    url: String,
    bytes: u64,
}

/// What this version keeps, or `None` while it is not complete.
async fn kept() -> Result<Option<Kept>, JsValue> {
    let Some(caches) = caches() else {
        return Ok(None);
    };
    // Served by the service worker from the version in force.
    let precache: Precache = fetch_json(PRECACHE).await?;
    let Some(cache) = open(&caches, &format!("{SHELL_PREFIX}{}", precache.version)).await? else {
        return Ok(None);
    };
    if JsFuture::from(cache.match_with_str(PRECACHE))
        .await?
        .is_undefined()
    {
        return Ok(None);
    }
    let (trainer, lessons): (Vec<&PrecacheFile>, Vec<&PrecacheFile>) = precache
        .files
        .iter()
        .partition(|f| f.url.starts_with("worker-"));
    Ok(Some(Kept {
        lessons: lessons.iter().map(|f| f.bytes).sum(),
        trainer: trainer.iter().map(|f| f.bytes).sum(),
        data: data_bytes(&caches).await.unwrap_or(0),
    }))
}

/// Bytes of the datasets in the training worker's cache, sized by the data manifest.
async fn data_bytes(caches: &CacheStorage) -> Result<u64, JsValue> {
    let Some(cache) = open(caches, dl101_protocol::DATA_CACHE).await? else {
        return Ok(0);
    };
    let keys: Array = JsFuture::from(cache.keys()).await?.unchecked_into();
    let keys: Vec<String> = keys
        .iter()
        .filter_map(|key| key.dyn_into::<Request>().ok())
        .map(|request| request.url())
        .collect();
    if keys.is_empty() {
        return Ok(0);
    }
    let manifest: serde_json::Value = fetch_json("data/manifest.json").await?;
    let mut files = Vec::new();
    data_files(&manifest, &mut files);
    Ok(files
        .iter()
        .filter(|(key, _)| keys.iter().any(|k| k.ends_with(key.as_str())))
        .map(|(_, bytes)| bytes)
        .sum())
}

/// Every `{file, bytes, sha256}` entry of the data manifest, as the worker's cache key suffix
/// and the size.
fn data_files(value: &serde_json::Value, out: &mut Vec<(String, u64)>) {
    match value {
        serde_json::Value::Object(map) => {
            let file = map.get("file").and_then(|v| v.as_str());
            let bytes = map.get("bytes").and_then(|v| v.as_u64());
            let sha = map.get("sha256").and_then(|v| v.as_str());
            if let (Some(file), Some(bytes), Some(sha)) = (file, bytes, sha) {
                out.push((format!("data/{file}?sha256={sha}"), bytes));
            }
            map.values().for_each(|v| data_files(v, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| data_files(v, out)),
        _ => {}
    }
}

fn caches() -> Option<CacheStorage> {
    web_sys::window()?.caches().ok()
}

/// An existing cache (opening a missing one would create it).
async fn open(caches: &CacheStorage, name: &str) -> Result<Option<Cache>, JsValue> {
    if JsFuture::from(caches.has(name)).await?.as_bool() != Some(true) {
        return Ok(None);
    }
    Ok(JsFuture::from(caches.open(name)).await?.dyn_into().ok())
}

async fn fetch_json<T: DeserializeOwned>(url: &str) -> Result<T, JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let response: Response = JsFuture::from(window.fetch_with_str(url))
        .await?
        .dyn_into()?;
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()).into());
    }
    let text = JsFuture::from(response.text()?).await?;
    serde_json::from_str(&text.as_string().unwrap_or_default())
        .map_err(|e| format!("{url}: {e}").into())
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// A line at the foot of the contents: "available offline", opening to what is kept and how
/// big it is (read again at each opening: the data grows as the reader trains).
#[component]
pub fn OfflineStatus(
    /// The page's language.
    language: Language,
) -> impl IntoView {
    let words = offline_words(language);
    let state = state();
    let availability = state.availability.clone();
    let kept = state.kept.clone();
    let on_toggle = move |_| spawn_local(refresh());
    move || {
        let kept = kept.clone();
        match availability.get() {
            Availability::Unknown => ().into_any(),
            Availability::Saving => view! {
                <p class="offline-status" data-state="saving" role="status">{words.saving}</p>
            }
            .into_any(),
            Availability::Failed => view! {
                <p class="offline-status" data-state="failed" role="status">{words.failed}</p>
            }
            .into_any(),
            Availability::Ready => {
                let (a, b, c) = (kept.clone(), kept.clone(), kept);
                view! {
                    <details class="offline-status" data-state="ready" on:toggle=on_toggle>
                        <summary>
                            <span class="offline-mark" aria-hidden="true">"✓"</span>
                            {words.ready}
                        </summary>
                        <p>{words.kept}</p>
                        <ul>
                            <li data-kept="lessons">{words.lessons}": "{move || megabytes(a.get().lessons)}</li>
                            <li data-kept="trainer">{words.trainer}": "{move || megabytes(b.get().trainer)}</li>
                            <li data-kept="data">
                                {words.data}": "
                                {move || match c.get().data {
                                    0 => words.no_data.to_string(),
                                    bytes => megabytes(bytes),
                                }}
                            </li>
                        </ul>
                    </details>
                }
                .into_any()
            }
        }
    }
}

/// "A new version is ready: reload", shown once the new version is downloaded and waiting.
#[component]
pub fn UpdateNotice(
    /// The page's language.
    language: Language,
) -> impl IntoView {
    let words = offline_words(language);
    let update = state().update.clone();
    move || {
        update.get().then(|| {
            view! {
                <div class="update-notice" role="status">
                    <span>{words.update}</span>
                    <button type="button" data-action="reload-update" on:click=move |_| accept_update()>
                        {words.reload}
                    </button>
                </div>
            }
        })
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn data_files_are_found_at_any_depth() {
        let manifest = serde_json::json!({
            "version": 1,
            "a": {"sets": {"train": {"images": [{"file": "a/x.gz", "bytes": 3, "sha256": "ff"}],
                                     "labels": {"file": "a/y.gz", "bytes": 4, "sha256": "ee"}}}},
            "b": {"labels": {"file": "b/z.gz", "bytes": 5}},
        });
        let mut files = Vec::new();
        data_files(&manifest, &mut files);
        files.sort();
        assert_eq!(
            files,
            vec![
                ("data/a/x.gz?sha256=ff".to_string(), 3),
                ("data/a/y.gz?sha256=ee".to_string(), 4)
            ]
        );
    }

    #[wasm_bindgen_test]
    fn sizes_read_in_megabytes() {
        assert_eq!(megabytes(5_239_749), "5.2 MB");
        assert_eq!(megabytes(0), "0.0 MB");
    }
}
