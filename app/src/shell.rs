//! The book shell: routes, top bar (search, device badge, language, theme), table of contents.

use book::Language;
use dl101_protocol::device::Backend;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::{NavigateOptions, path};

use crate::book_data::{Library, book};
use crate::boot::WithBook;
use crate::device::{Compute, probe};
use crate::i18n::{other, ui};
use crate::lesson::LessonPage;
use crate::offline::{OfflineStatus, UpdateNotice};
use crate::prefs::{Theme, apply_theme, current_theme, save_language, saved_language};
use crate::search::SearchBox;

/// The site's path prefix (`""` at a domain root, `"/some/path"` under a sub-path), read from the
/// `<base href>` that Trunk writes from `--public-url`.
#[derive(Clone, Debug)]
pub struct Base(pub String);

impl Base {
    /// The base of this document.
    pub fn from_document() -> Base {
        let href = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector("base").ok().flatten())
            .and_then(|base| base.get_attribute("href"))
            .unwrap_or_default();
        Base(href.trim_end_matches('/').to_string())
    }

    /// An absolute path inside the site, e.g. `link("vi/02-initialization")`.
    pub fn link(&self, path: &str) -> String {
        format!("{}/{}", self.0, path.trim_start_matches('/'))
    }
}

/// The compute device offered to the widgets, probed once per page load.
#[derive(Clone, Copy)]
pub struct DeviceState(pub RwSignal<Compute>);

/// The colour theme in force.
#[derive(Clone, Copy)]
pub struct ThemeState(pub RwSignal<Theme>);

/// The whole site.
#[component]
pub fn App() -> impl IntoView {
    let base = Base::from_document();
    let theme = RwSignal::new(current_theme());
    apply_theme(theme.get_untracked(), false);
    let device = RwSignal::new(Compute::Probing);
    spawn_local(async move {
        let found = probe().await;
        crate::runtime::runtime().expect(found.backend());
        device.set(found);
    });
    provide_context(base.clone());
    provide_context(DeviceState(device));
    provide_context(ThemeState(theme));
    provide_context(Library::new());
    view! {
        <Router base=base.0.clone()>
            <Routes fallback=|| view! { <NotFound language=Language::Vi /> }>
                <Route path=path!("/") view=StartRedirect />
                <Route path=path!("/:lang") view=StartRedirect />
                <Route path=path!("/:lang/:slug") view=LessonRoute />
            </Routes>
        </Router>
    }
}

/// `/` and `/<lang>`: go to the first lesson in the chosen (or remembered, or default) language.
#[component]
fn StartRedirect() -> impl IntoView {
    let params = use_params_map();
    let navigate = use_navigate();
    let asked = params.read_untracked().get("lang");
    let language = match asked.as_deref() {
        Some(code) => Language::from_code(code),
        None => Some(saved_language().unwrap_or(Language::Vi)),
    };
    let Some(language) = language else {
        return view! { <NotFound language=Language::Vi /> }.into_any();
    };
    view! { <WithBook language ready=move |book| redirect_to_first(book, navigate.clone()) /> }
        .into_any()
}

/// Goes to the first lesson of `book`, replacing the address.
fn redirect_to_first(
    book: &'static book::Book,
    navigate: impl Fn(&str, NavigateOptions) + Clone + 'static,
) -> AnyView {
    let lang = book.language;
    match book.lessons.first() {
        Some(first) => {
            // The router adds the base path itself.
            let target = format!("/{}/{}", lang.code(), first.slug);
            request_animation_frame(move || {
                navigate(
                    &target,
                    NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                )
            });
            ().into_any()
        }
        None => view! { <NotFound language=lang /> }.into_any(),
    }
}

/// `/<lang>/<slug>`: a lesson, or "not found" for an unknown language or slug.
#[component]
fn LessonRoute() -> impl IntoView {
    let params = use_params_map();
    move || {
        let params = params.read();
        let language = params
            .get("lang")
            .and_then(|code| Language::from_code(&code));
        let slug = params.get("slug").unwrap_or_default();
        let Some(language) = language else {
            return view! { <NotFound language=Language::Vi /> }.into_any();
        };
        let ready = move |book: &'static book::Book| {
            let slug = slug.clone();
            if book.lesson(&slug).is_some() {
                save_language(language);
                view! { <Shell language slug=slug.clone()><LessonPage language slug /></Shell> }
                    .into_any()
            } else {
                view! { <NotFound language /> }.into_any()
            }
        };
        view! { <WithBook language ready /> }.into_any()
    }
}

/// The frame around every page: skip link, top bar, table of contents, main area.
#[component]
pub fn Shell(
    /// The page's language.
    language: Language,
    /// The current lesson, highlighted in the contents (empty for none).
    #[prop(into)]
    slug: String,
    children: Children,
) -> impl IntoView {
    let words = ui(language);
    let menu_open = RwSignal::new(false);
    set_document_language(language);
    let skip = move |event: web_sys::MouseEvent| {
        event.prevent_default();
        focus_main();
    };
    view! {
        <div class="layout" class:menu-open=move || menu_open.get()>
            <a class="skip-link" href="#main" on:click=skip>{words.skip_to_content}</a>
            <TopBar language slug=slug.clone() menu_open />
            <Contents language slug menu_open />
            <main id="main" tabindex="-1">{children()}</main>
            <UpdateNotice language />
        </div>
    }
}

fn set_document_language(language: Language) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", language.code());
    }
}

fn focus_main() {
    use wasm_bindgen::JsCast;
    let main = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("main"))
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(main) = main {
        let _ = main.focus();
    }
}

#[component]
fn TopBar(language: Language, slug: String, menu_open: RwSignal<bool>) -> impl IntoView {
    let words = ui(language);
    let base = expect_context::<Base>();
    let ThemeState(theme) = expect_context::<ThemeState>();
    let library = expect_context::<Library>();
    let target = other(language);
    // The other book is fetched when the reader reaches for the switch, not before.
    let prefetch = move || library.request(target);
    let switch_href = if slug.is_empty() {
        base.link(target.code())
    } else {
        base.link(&format!("{}/{slug}", target.code()))
    };
    let toggle_theme = move |_| {
        let next = theme.get_untracked().toggled();
        theme.set(next);
        apply_theme(next, true);
    };
    view! {
        <header class="topbar">
            <button
                class="menu-button"
                aria-controls="contents"
                aria-expanded=move || menu_open.get().to_string()
                on:click=move |_| menu_open.update(|open| *open = !*open)
            >
                <span aria-hidden="true">"☰"</span>
                <span class="menu-label">{words.menu}</span>
            </button>
            <a class="brand" href=base.link(language.code())>
                <span class="brand-name">{words.book_title}</span>
                <span class="brand-chapter">{words.chapter}</span>
            </a>
            <div class="topbar-tools">
                <SearchBox language slug=slug.clone() />
                <DeviceBadge language />
                <a
                    class="lang-switch"
                    href=switch_href
                    hreflang=target.code()
                    title=words.switch_language
                    aria-label=words.switch_language
                    on:pointerenter=move |_| prefetch()
                    on:focus=move |_| prefetch()
                    on:touchstart=move |_| prefetch()
                    on:click=move |_| save_language(target)
                >
                    {words.other_language_name}
                </a>
                <button
                    class="theme-toggle"
                    aria-label=move || if theme.get() == Theme::Dark { words.to_light } else { words.to_dark }
                    title=move || if theme.get() == Theme::Dark { words.to_light } else { words.to_dark }
                    on:click=toggle_theme
                >
                    <span aria-hidden="true">{move || if theme.get() == Theme::Dark { "☀" } else { "☾" }}</span>
                </button>
            </div>
        </header>
    }
}

#[component]
fn DeviceBadge(language: Language) -> impl IntoView {
    let DeviceState(device) = expect_context::<DeviceState>();
    let current = crate::device::shown(Some(device));
    let shown = move || current().unwrap_or(Compute::Probing);
    view! {
        <span
            class="device-badge"
            class:gpu=move || matches!(shown(), Compute::WebGpu(_))
            role="status"
            data-backend=move || match shown().backend() {
                Some(Backend::Webgpu) => "webgpu",
                Some(Backend::Cpu) => "cpu",
                None => "",
            }
            data-reason=move || match shown() {
                Compute::Cpu(reason, _) => reason.code(),
                _ => "",
            }
            title=move || shown().describe(language)
        >
            {move || shown().badge(language)}
        </span>
    }
}

#[component]
fn Contents(language: Language, slug: String, menu_open: RwSignal<bool>) -> impl IntoView {
    let words = ui(language);
    let base = expect_context::<Base>();
    let lessons = book(language).map_or(&[][..], |b| b.lessons.as_slice());
    view! {
        <nav id="contents" class="sidebar" aria-label=words.contents>
            <h2 class="sidebar-title">{words.contents}</h2>
            <ol class="toc">
                {lessons
                    .iter()
                    .map(|lesson| {
                        let current = lesson.slug == slug;
                        let href = base.link(&format!("{}/{}", language.code(), lesson.slug));
                        let headings = current.then(|| {
                            view! {
                                <ol class="toc-headings">
                                    {lesson
                                        .headings
                                        .iter()
                                        .filter(|h| h.level == 2)
                                        .map(|h| {
                                            let href = format!("{href}#{}", h.id);
                                            view! {
                                                <li>
                                                    <a href=href on:click=move |_| menu_open.set(false)>
                                                        {h.text.clone()}
                                                    </a>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ol>
                            }
                        });
                        view! {
                            <li class:current=current>
                                <a
                                    href=href.clone()
                                    aria-current=current.then_some("page")
                                    on:click=move |_| menu_open.set(false)
                                >
                                    {lesson.title.clone()}
                                </a>
                                {headings}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            <OfflineStatus language />
        </nav>
    }
}

/// Shown for an address that matches no lesson.
#[component]
pub fn NotFound(language: Language) -> impl IntoView {
    let words = ui(language);
    let base = expect_context::<Base>();
    let first = book(language)
        .and_then(|b| b.lessons.first())
        .map(|l| l.slug.clone())
        .unwrap_or_default();
    view! {
        <Shell language slug="">
            <article class="lesson not-found">
                <h1>{words.not_found_title}</h1>
                <p>{words.not_found_body}</p>
                <p><a href=base.link(&format!("{}/{first}", language.code()))>{words.go_to_start}</a></p>
            </article>
        </Shell>
    }
}
