//! One lesson: title, rendered body with its widgets, previous/next links; deep links scroll to
//! their heading once the body is in the page.

use book::{Block, Language};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::book_data::book;
use crate::i18n::ui;
use crate::shell::Base;
use crate::widgets::Widget;

/// Scrolls the element named by the URL fragment into view, if there is one.
fn scroll_to_fragment(fragment: &str) {
    let id = fragment.trim_start_matches('#');
    if id.is_empty() {
        return;
    }
    let id = js_sys::decode_uri_component(id).map_or_else(|_| id.to_string(), String::from);
    if let Some(element) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(&id))
    {
        element.scroll_into_view();
    }
}

/// The lesson `slug` in `language` (the route has checked that it exists).
#[component]
pub fn LessonPage(language: Language, slug: String) -> impl IntoView {
    let words = ui(language);
    let base = expect_context::<Base>();
    let Some(book) = book(language) else {
        return ().into_any();
    };
    let Some(index) = book.position(&slug) else {
        return ().into_any();
    };
    let lesson = &book.lessons[index];
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(&format!("{} · {}", lesson.title, words.book_title));
    }
    let location = use_location();
    Effect::new(move |_| {
        let fragment = location.hash.get();
        request_animation_frame(move || scroll_to_fragment(&fragment));
    });
    let link = |i: usize| {
        book.lessons.get(i).map(|l| {
            (
                base.link(&format!("{}/{}", language.code(), l.slug)),
                l.title.clone(),
            )
        })
    };
    let previous = index.checked_sub(1).and_then(link);
    let next = link(index + 1);
    view! {
        <article class="lesson" lang=language.code()>
            <p class="lesson-number">{format!("§{index}")}</p>
            <h1>{lesson.title.clone()}</h1>
            {lesson
                .blocks
                .iter()
                .enumerate()
                .filter_map(|(i, block)| match block {
                    Block::Html(html) => Some(view! { <div class="prose" inner_html=html.clone()></div> }.into_any()),
                    Block::Widget(spec) => {
                        // A widget's guided experiments follow it; the widget draws them.
                        let experiments = lesson.blocks[i + 1..]
                            .iter()
                            .map_while(|b| match b {
                                Block::Experiment(e) => Some(e.clone()),
                                _ => None,
                            })
                            .collect::<Vec<_>>();
                        Some(view! { <Widget spec=spec.clone() experiments language /> }.into_any())
                    }
                    Block::Experiment(_) => None,
                })
                .collect_view()}
            <nav class="prev-next" aria-label=format!("{} / {}", words.previous, words.next)>
                {previous.map(|(href, title)| view! {
                    <a class="prev" href=href rel="prev">
                        <span class="prev-next-label">{format!("← {}", words.previous)}</span>
                        <span class="prev-next-title">{title}</span>
                    </a>
                })}
                {next.map(|(href, title)| view! {
                    <a class="next" href=href rel="next">
                        <span class="prev-next-label">{format!("{} →", words.next)}</span>
                        <span class="prev-next-title">{title}</span>
                    </a>
                })}
            </nav>
        </article>
    }
    .into_any()
}
