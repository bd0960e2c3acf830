//! The lessons, one JSON file per language written beside the pages by `dl101-book`
//! (`books/<lang>.<hash>.json`), named in a `<meta>` of every page: fetched for the reader's
//! language when first needed, parsed once, and kept for the page's life.

use std::cell::RefCell;

use book::{Book, Language};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::i18n::ui;

/// Why a book did not arrive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BookProblem {
    /// The page names no book file for this language (a page not made by `dl101-book`).
    NoAddress,
    /// The request did not reach the server: offline, refused, blocked (the browser's words).
    Unreachable(String),
    /// The server answered with this HTTP status.
    Status(u16),
    /// The file arrived but is not this language's book (the parser's words).
    Corrupt(String),
}

impl BookProblem {
    /// What went wrong, for the reader, in `language`; the technical detail apart (for `<code>`).
    pub fn describe(&self, language: Language) -> (String, Option<String>) {
        let words = ui(language);
        match self {
            BookProblem::NoAddress => (words.book_no_address.into(), None),
            BookProblem::Unreachable(detail) => {
                (words.book_unreachable.into(), Some(detail.clone()))
            }
            BookProblem::Status(status) => (format!("{} {status}.", words.book_status), None),
            BookProblem::Corrupt(detail) => (words.book_corrupt.into(), Some(detail.clone())),
        }
    }
}

thread_local! {
    /// The books that have arrived, leaked: at most one per language, kept for the page's life.
    static ARRIVED: RefCell<Vec<&'static Book>> = const { RefCell::new(Vec::new()) };
}

/// The book in `language`, if it has arrived.
pub fn book(language: Language) -> Option<&'static Book> {
    ARRIVED.with(|books| {
        books
            .borrow()
            .iter()
            .copied()
            .find(|b| b.language == language)
    })
}

/// The address of `language`'s book file, as the page's `<meta>` names it (relative to the
/// page's `<base href>`, as `fetch` resolves it).
pub fn address(language: Language) -> Option<String> {
    web_sys::window()?
        .document()?
        .query_selector(&format!("meta[name=\"{}\"]", language.book_meta_name()))
        .ok()??
        .get_attribute("content")
}

/// A book file's text as `language`'s book.
///
/// # Errors
/// [`BookProblem::Corrupt`] for text that is not a book, or another language's.
pub fn parse(json: &str, language: Language) -> Result<Book, BookProblem> {
    let book: Book = serde_json::from_str(json).map_err(|e| BookProblem::Corrupt(e.to_string()))?;
    if book.language != language {
        return Err(BookProblem::Corrupt(format!(
            "{} book where {} was expected",
            book.language.code(),
            language.code()
        )));
    }
    Ok(book)
}

/// The book in `language`: at once if it has arrived, else fetched from the page's address.
///
/// # Errors
/// Why it could not be fetched or read.
pub async fn load(language: Language) -> Result<&'static Book, BookProblem> {
    if let Some(book) = book(language) {
        return Ok(book);
    }
    let url = address(language).ok_or(BookProblem::NoAddress)?;
    let parsed = parse(&fetch_text(&url).await?, language)?;
    // Two loads of one language may have overlapped: keep the first to arrive.
    if let Some(book) = book(language) {
        return Ok(book);
    }
    let book: &'static Book = Box::leak(Box::new(parsed));
    ARRIVED.with(|books| books.borrow_mut().push(book));
    Ok(book)
}

/// The text of `url`, fetched.
///
/// # Errors
/// [`BookProblem::Unreachable`] when no answer came, [`BookProblem::Status`] for an HTTP error.
pub async fn fetch_text(url: &str) -> Result<String, BookProblem> {
    let unreachable = |e: JsValue| BookProblem::Unreachable(js_words(&e));
    let window = web_sys::window().ok_or_else(|| BookProblem::Unreachable("no window".into()))?;
    let answer = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(unreachable)?;
    let response: web_sys::Response = answer
        .dyn_into()
        .map_err(|_| BookProblem::Unreachable("fetch gave no Response".into()))?;
    if !response.ok() {
        return Err(BookProblem::Status(response.status()));
    }
    let text = JsFuture::from(response.text().map_err(unreachable)?)
        .await
        .map_err(unreachable)?;
    text.as_string()
        .ok_or_else(|| BookProblem::Corrupt("the body is not text".into()))
}

/// A JavaScript error's own message.
fn js_words(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}

/// Where a language's book stands, for the views.
#[derive(Clone, Debug, PartialEq)]
pub enum BookStatus {
    /// Not asked for yet.
    Idle,
    /// On its way.
    Loading,
    /// Here.
    Ready(&'static Book),
    /// It did not come, and why.
    Failed(BookProblem),
}

/// Each language's [`BookStatus`] as a signal: the shell's context.
#[derive(Clone, Copy)]
pub struct Library([RwSignal<BookStatus>; 2]);

impl Library {
    /// The books as they stand now (those already loaded are ready).
    pub fn new() -> Library {
        Library(Language::ALL.map(|language| {
            RwSignal::new(book(language).map_or(BookStatus::Idle, BookStatus::Ready))
        }))
    }

    fn signal(&self, language: Language) -> RwSignal<BookStatus> {
        match language {
            Language::Vi => self.0[0],
            Language::En => self.0[1],
        }
    }

    /// The status of `language`'s book (tracked).
    pub fn status(&self, language: Language) -> BookStatus {
        self.signal(language).get()
    }

    /// Starts fetching `language`'s book unless it is here or on its way.
    pub fn request(&self, language: Language) {
        let signal = self.signal(language);
        if matches!(
            signal.get_untracked(),
            BookStatus::Ready(_) | BookStatus::Loading
        ) {
            return;
        }
        signal.set(BookStatus::Loading);
        spawn_local(async move {
            signal.set(match load(language).await {
                Ok(book) => BookStatus::Ready(book),
                Err(problem) => BookStatus::Failed(problem),
            });
        });
    }
}

impl Default for Library {
    fn default() -> Self {
        Library::new()
    }
}
