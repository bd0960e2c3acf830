//! How the app takes over a page: a lesson's page already shows the lesson, pre-rendered at
//! build time in `<div id="boot">` with the app's own frame (`book::render::page`). The app
//! fetches the book of the page's language, then mounts and removes the pre-rendered copy in
//! the same task, so no frame is drawn between them and nothing moves. If the book does not come,
//! the text stays and a notice says why in the page's language, with a retry.

use book::{Book, Language};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::book_data::{BookProblem, BookStatus, Library, load};
use crate::i18n::ui;
use crate::prefs::saved_language;
use crate::shell::{App, Base, Shell};

/// The `id` of the pre-rendered page and of the loading notice (`book::render::page::BOOT_ID`).
const BOOT_ID: &str = "boot";
/// The `id` of the notice shown over the pre-rendered page when the book did not come.
const NOTICE_ID: &str = "book-problem";

/// The language of the page at this address: its first path segment below the base, else the
/// saved or default language (the root, an unknown address).
pub fn page_language() -> Language {
    let path = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default();
    let base = Base::from_document();
    let below = path.strip_prefix(base.0.as_str()).unwrap_or(&path);
    below
        .trim_start_matches('/')
        .split('/')
        .next()
        .and_then(Language::from_code)
        .or_else(saved_language)
        .unwrap_or(Language::Vi)
}

/// Fetches the page's book, then mounts the app over the pre-rendered page; on failure leaves
/// the page as it is with a notice and a retry.
pub async fn boot(language: Language) {
    match load(language).await {
        Ok(_) => take_over(),
        Err(problem) => show_problem(language, problem),
    }
}

/// Mounts the app and removes the pre-rendered page, in one task.
fn take_over() {
    let document = web_sys::window().and_then(|w| w.document());
    let boot = document.as_ref().and_then(|d| d.get_element_by_id(BOOT_ID));
    leptos::mount::mount_to_body(App);
    if let Some(boot) = boot {
        boot.remove();
    }
}

/// Puts the notice of `problem` over the pre-rendered page (replacing an earlier one).
fn show_problem(language: Language, problem: BookProblem) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(old) = document.get_element_by_id(NOTICE_ID) {
        old.remove();
    }
    let host = document
        .get_element_by_id(BOOT_ID)
        .or_else(|| document.body().map(Into::into))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    let Some(host) = host else {
        return;
    };
    // Before the mount Leptos has no executor: wasm-bindgen's runs the retry.
    let retry = move || wasm_bindgen_futures::spawn_local(boot(language));
    leptos::mount::mount_to(host, move || {
        view! { <BookProblemNote language problem retry id=NOTICE_ID /> }
    })
    .forget();
}

/// Why the book did not come, in `language`, with a retry button.
#[component]
fn BookProblemNote<F>(
    /// The language to say it in.
    language: Language,
    /// What went wrong.
    problem: BookProblem,
    /// What the retry button does.
    retry: F,
    /// The notice's `id`.
    id: &'static str,
) -> impl IntoView
where
    F: Fn() + Send + Sync + 'static,
{
    let words = ui(language);
    let (text, detail) = problem.describe(language);
    view! {
        <div class="book-problem" id=id role="alert">
            <p>
                <strong>{words.book_failed}</strong>" "{text}
                {detail.map(|d| view! { " "<code>{d}</code> })}
            </p>
            <button class="btn primary" on:click=move |_| retry()>{words.retry}</button>
        </div>
    }
}

/// `ready` with the book in `language` once it is here; until then a loading note in the
/// shell, and if it did not come, why, with a retry.
#[component]
pub fn WithBook<F, V>(
    /// The book's language.
    language: Language,
    /// The view of the book.
    ready: F,
) -> impl IntoView
where
    F: Fn(&'static Book) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let library = expect_context::<Library>();
    move || {
        match library.status(language) {
        BookStatus::Ready(book) => ready(book).into_any(),
        BookStatus::Failed(problem) => view! {
            <Shell language slug="">
                <article class="lesson book-status">
                    <BookProblemNote language problem retry=move || library.request(language) id="book-problem-page" />
                </article>
            </Shell>
        }
        .into_any(),
        BookStatus::Idle | BookStatus::Loading => {
            // Not while the view is being built: the request writes the status it reads.
            queue_microtask(move || library.request(language));
            view! {
                <Shell language slug="">
                    <article class="lesson book-status">
                        <p role="status">{ui(language).book_loading}</p>
                    </article>
                </Shell>
            }
            .into_any()
        }
    }
    }
}
