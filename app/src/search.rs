//! The top bar's search: a combobox over the lessons of the page's language, whose index
//! (`search/<lang>.json`, written by the book at build time) is fetched the first time the box
//! takes focus and kept for the rest of the visit. `/` focuses the box; ↑/↓ choose a result,
//! Enter opens it, Escape closes the list. On a phone the box opens from an icon button.

use std::cell::RefCell;
use std::sync::Arc;

use book::Language;
use book::search::{INDEX_VERSION, Piece, Results, SearchIndex, Searcher, index_path};
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::i18n::{Ui, ui};
use crate::shell::Base;

/// Results shown at most; the status line says how many matched in all.
const SHOWN: usize = 20;

/// Why the index could not be used, worded for the reader by [`IndexProblem::describe`].
#[derive(Clone, Debug, PartialEq)]
enum IndexProblem {
    /// The request failed (offline, blocked): the browser's words.
    Unreachable(String),
    /// The server answered with this HTTP status (404: the file is not there).
    Status(u16),
    /// The body could not be read, is not the index, or is of another version or language.
    Broken(String),
}

impl IndexProblem {
    fn describe(&self, words: &Ui) -> String {
        let (what, detail) = match self {
            IndexProblem::Unreachable(detail) => (words.search_unreachable, detail.clone()),
            IndexProblem::Status(status) => (words.search_missing, format!("HTTP {status}")),
            IndexProblem::Broken(detail) => (words.search_broken, detail.clone()),
        };
        format!("{what} ({detail}). {}", words.search_retry)
    }
}

/// Where the index of the page's language stands.
#[derive(Clone, Debug)]
enum IndexState {
    /// Not asked for yet: the box has not had focus.
    Idle,
    Loading,
    Ready(Arc<Searcher>),
    Failed(IndexProblem),
}

thread_local! {
    /// The indexes loaded during this visit, so a new page (the top bar is rebuilt on each
    /// lesson) does not fetch them again.
    static LOADED: RefCell<Vec<(Language, Arc<Searcher>)>> = const { RefCell::new(Vec::new()) };
}

fn loaded(language: Language) -> Option<Arc<Searcher>> {
    LOADED.with_borrow(|all| {
        all.iter()
            .find(|(l, _)| *l == language)
            .map(|(_, s)| s.clone())
    })
}

async fn fetch_index(url: &str, language: Language) -> Result<Searcher, IndexProblem> {
    let response = gloo_net::http::Request::get(url)
        .send()
        .await
        .map_err(|e| IndexProblem::Unreachable(e.to_string()))?;
    if !response.ok() {
        return Err(IndexProblem::Status(response.status()));
    }
    let text = response
        .text()
        .await
        .map_err(|e| IndexProblem::Broken(e.to_string()))?;
    let index: SearchIndex =
        serde_json::from_str(&text).map_err(|e| IndexProblem::Broken(e.to_string()))?;
    if index.version != INDEX_VERSION || index.language != language {
        return Err(IndexProblem::Broken(format!(
            "version {} ({}), expected {INDEX_VERSION} ({})",
            index.version,
            index.language.code(),
            language.code()
        )));
    }
    Ok(Searcher::new(index))
}

/// Whether keys typed now go into a text field (where `/` is a character, not the shortcut).
fn typing_in_a_field() -> bool {
    let Some(active) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
    else {
        return false;
    };
    if active
        .dyn_ref::<web_sys::HtmlElement>()
        .is_some_and(|el| el.is_content_editable())
    {
        return true;
    }
    match active.tag_name().to_ascii_lowercase().as_str() {
        "textarea" | "select" => true,
        "input" => {
            let kind = active.get_attribute("type").unwrap_or_default();
            !matches!(
                kind.as_str(),
                "checkbox" | "radio" | "range" | "button" | "submit" | "reset" | "color" | "file"
            )
        }
        _ => false,
    }
}

fn element(id: &str) -> Option<web_sys::Element> {
    web_sys::window()?.document()?.get_element_by_id(id)
}

fn option_id(position: usize) -> String {
    format!("search-hit-{position}")
}

/// Follows the link of the result at `position`, as a click would (through the router).
fn open_result(position: usize) {
    let link = element(&option_id(position))
        .and_then(|option| option.query_selector("a").ok().flatten())
        .and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(link) = link {
        link.click();
    }
}

fn scroll_option_into_view(position: usize) {
    if let Some(option) = element(&option_id(position)) {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Nearest);
        option.scroll_into_view_with_scroll_into_view_options(&options);
    }
}

/// A result on the page being read: the router sees no change of page (nor of fragment when
/// it is the current one), so scroll there here.
fn scroll_to_heading(id: &str) {
    request_animation_frame({
        let id = id.to_string();
        move || {
            if id.is_empty() {
                if let Some(window) = web_sys::window() {
                    window.scroll_to_with_x_and_y(0.0, 0.0);
                }
            } else if let Some(heading) = element(&id) {
                heading.scroll_into_view();
            }
        }
    });
}

fn pieces_view(pieces: Vec<Piece>) -> impl IntoView {
    pieces
        .into_iter()
        .map(|piece| {
            if piece.marked {
                view! { <mark>{piece.text}</mark> }.into_any()
            } else {
                piece.text.into_any()
            }
        })
        .collect_view()
}

/// The status line: loading, a problem, no results, or how many.
fn status_text(state: &IndexState, results: &Results, query: &str, words: &Ui) -> String {
    match state {
        IndexState::Idle => String::new(),
        IndexState::Loading => words.search_loading.to_string(),
        IndexState::Failed(problem) => problem.describe(words),
        IndexState::Ready(_) if query.trim().is_empty() => String::new(),
        IndexState::Ready(_) if results.total == 0 => {
            format!("{} “{}”.", words.search_none, query.trim())
        }
        IndexState::Ready(_) => {
            let noun = if results.total == 1 {
                words.search_result
            } else {
                words.search_results_count
            };
            if results.total > results.hits.len() {
                format!(
                    "{} {noun} · {} {} {}",
                    results.total,
                    words.search_shown_before,
                    results.hits.len(),
                    words.search_shown_after
                )
                .trim_end()
                .to_string()
            } else {
                format!("{} {noun}", results.total)
            }
        }
    }
}

/// The search box of the top bar, over the lessons of `language`.
#[component]
pub fn SearchBox(
    /// The page's language: the index searched and the interface's words.
    language: Language,
    /// The lesson being read (empty for none), to scroll when a result is on this page.
    #[prop(into)]
    slug: String,
) -> impl IntoView {
    let words = ui(language);
    let base = expect_context::<Base>();
    let url = StoredValue::new(base.link(&index_path(language)));
    let state = RwSignal::new(loaded(language).map_or(IndexState::Idle, IndexState::Ready));
    let query = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    let selected = RwSignal::new(0usize);
    let input = NodeRef::<leptos::html::Input>::new();
    let toggle = NodeRef::<leptos::html::Button>::new();

    let ensure_loaded = move || {
        if !matches!(
            state.get_untracked(),
            IndexState::Idle | IndexState::Failed(_)
        ) {
            return;
        }
        state.set(IndexState::Loading);
        spawn_local(async move {
            let url = url.get_value();
            match fetch_index(&url, language).await {
                Ok(searcher) => {
                    let searcher = Arc::new(searcher);
                    LOADED.with_borrow_mut(|all| all.push((language, searcher.clone())));
                    state.set(IndexState::Ready(searcher));
                }
                Err(problem) => state.set(IndexState::Failed(problem)),
            }
        });
    };
    let results = Memo::new(move |_| {
        state.with(|state| match state {
            IndexState::Ready(searcher) => query.with(|q| searcher.search(q, SHOWN)),
            _ => Results::default(),
        })
    });
    let shown = move || {
        open.get()
            && (!query.with(|q| q.trim().is_empty())
                || state.with(|s| matches!(s, IndexState::Failed(_))))
    };
    let focus_input = move || {
        request_animation_frame(move || {
            if let Some(input) = input.get_untracked() {
                let _ = input.focus();
            }
        })
    };
    let close = move || {
        open.set(false);
        // On a phone the box hides with the list: give the focus back to its button.
        if let Some(button) = toggle.get_untracked()
            && button.offset_width() > 0
        {
            let _ = button.focus();
        }
    };
    let shortcut = window_event_listener(ev::keydown, move |event| {
        let plain = !(event.ctrl_key() || event.meta_key() || event.alt_key());
        if event.key() == "/" && plain && !event.default_prevented() && !typing_in_a_field() {
            event.prevent_default();
            open.set(true);
            focus_input();
        }
    });
    on_cleanup(move || shortcut.remove());

    let on_keydown = move |event: web_sys::KeyboardEvent| {
        let count = results.with_untracked(|r| r.hits.len());
        let step = |forward: bool| {
            if count > 0 {
                selected.update(|s| {
                    *s = if forward {
                        (*s + 1) % count
                    } else {
                        (*s + count - 1) % count
                    }
                });
                scroll_option_into_view(selected.get_untracked());
            }
        };
        match event.key().as_str() {
            "ArrowDown" => {
                event.prevent_default();
                open.set(true);
                step(true);
            }
            "ArrowUp" => {
                event.prevent_default();
                open.set(true);
                step(false);
            }
            "Enter" => {
                event.prevent_default();
                if count > 0 {
                    open_result(selected.get_untracked().min(count - 1));
                }
            }
            "Escape" => {
                // Also keeps the browser from clearing the field.
                event.prevent_default();
                if open.get_untracked() {
                    close();
                } else {
                    query.set(String::new());
                }
            }
            _ => {}
        }
    };
    let current = StoredValue::new(slug);
    let lesson_link = StoredValue::new(base);
    let hit_views = move || {
        results
            .get()
            .hits
            .into_iter()
            .enumerate()
            .map(|(position, hit)| {
                let mut path = format!("{}/{}", language.code(), hit.slug);
                if !hit.id.is_empty() {
                    path = format!("{path}#{}", hit.id);
                }
                let href = lesson_link.with_value(|base| base.link(&path));
                let here = current.with_value(|slug| *slug == hit.slug);
                let id = hit.id.clone();
                let label = if hit.is_opening {
                    format!("§{}", hit.lesson)
                } else {
                    format!("§{} · {}", hit.lesson, hit.lesson_title)
                };
                view! {
                    <li
                        role="option"
                        id=option_id(position)
                        class="search-hit"
                        class:active=move || selected.get() == position
                        aria-selected=move || (selected.get() == position).to_string()
                        on:mousemove=move |_| selected.set(position)
                    >
                        // All of a result is lesson text, not the interface (the e2e checks skip it).
                        <a
                            href=href
                            tabindex="-1"
                            data-lesson-text=""
                            on:click=move |_| {
                                open.set(false);
                                if here {
                                    scroll_to_heading(&id);
                                }
                            }
                        >
                            <span class="search-hit-lesson">{label}</span>
                            <span class="search-hit-heading">{pieces_view(hit.heading)}</span>
                            <span class="search-hit-snippet">{pieces_view(hit.snippet)}</span>
                        </a>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div class="search" class:open=move || open.get()>
            <button
                node_ref=toggle
                class="search-toggle"
                type="button"
                aria-label=words.search
                title=words.search
                aria-expanded=move || open.get().to_string()
                aria-controls="search-box"
                on:mousedown=|event| event.prevent_default()
                on:click=move |_| {
                    let opening = !open.get_untracked();
                    open.set(opening);
                    if opening {
                        focus_input();
                    }
                }
            >
                <svg class="search-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                    <circle cx="10.5" cy="10.5" r="6.5"></circle>
                    <path d="M15.5 15.5 L21 21"></path>
                </svg>
            </button>
            <div class="search-box" id="search-box" role="search">
                <input
                    node_ref=input
                    id="search-input"
                    type="search"
                    role="combobox"
                    autocomplete="off"
                    spellcheck="false"
                    aria-autocomplete="list"
                    aria-controls="search-results"
                    aria-expanded=move || shown().to_string()
                    aria-activedescendant=move || {
                        (shown() && results.with(|r| !r.hits.is_empty()))
                            .then(|| option_id(selected.get()))
                    }
                    aria-label=words.search
                    placeholder=words.search_placeholder
                    prop:value=move || query.get()
                    on:focus=move |_| {
                        ensure_loaded();
                        open.set(true);
                    }
                    on:input=move |event| {
                        query.set(event_target_value(&event));
                        selected.set(0);
                        open.set(true);
                    }
                    on:keydown=on_keydown
                    on:blur=move |_| open.set(false)
                />
                <div class="search-panel" hidden=move || !shown()>
                    <p
                        class="search-status"
                        class:problem=move || state.with(|s| matches!(s, IndexState::Failed(_)))
                        role="status"
                    >
                        {move || {
                            state.with(|s| {
                                results.with(|r| query.with(|q| status_text(s, r, q, words)))
                            })
                        }}
                    </p>
                    // Pressing on a result keeps the focus in the box until the click opens it.
                    <ul
                        id="search-results"
                        class="search-results"
                        role="listbox"
                        aria-label=words.search_results
                        on:mousedown=|event| event.prevent_default()
                    >
                        {hit_views}
                    </ul>
                    <p
                        class="search-hint"
                        aria-hidden="true"
                        hidden=move || results.with(|r| r.hits.is_empty())
                    >
                        {words.search_hint}
                    </p>
                </div>
            </div>
        </div>
    }
}
