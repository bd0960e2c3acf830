//! A lesson pre-rendered into its route's page at build time: the app's frame (skip link, top
//! bar, contents, main column) around the lesson, with the app's classes and words
//! ([`crate::ui`]), so the reader sees the text before any script runs and the app, mounting the
//! same structure over it, moves nothing. A widget is its card with a note until the app runs.
//!
//! The markup mirrors `app/src/shell.rs` (`Shell`, `TopBar`, `Contents`) and
//! `app/src/lesson.rs` (`LessonPage`); `e2e/textfirst.test.mjs` checks that the two agree.
//! Links are relative to the page's `<base href>`, as the lessons' own links are.

use super::escape;
use crate::ui::{other, ui, widget_name};
use crate::{Block, Book, Language, Lesson};

/// The `id` of the element that holds the pre-rendered page; the app removes it when it mounts.
pub const BOOT_ID: &str = "boot";

/// The page body for lesson `index` of `book`: `<div id="boot" class="layout">…</div>`.
/// `None` when there is no such lesson.
pub fn lesson_body(book: &Book, index: usize) -> Option<String> {
    let lesson = book.lessons.get(index)?;
    let language = book.language;
    let words = ui(language);
    let code = language.code();
    let here = format!("{code}/{}", lesson.slug);
    let mut out = format!(
        "<div id=\"{BOOT_ID}\" class=\"layout\">\
         <a class=\"skip-link\" href=\"{here}#main\">{}</a>",
        words.skip_to_content
    );
    out.push_str(&top_bar(book, &lesson.slug));
    out.push_str(&contents(book, &lesson.slug));
    out.push_str(&format!(
        "<main id=\"main\" tabindex=\"-1\">\
         <noscript><p class=\"noscript-note\">{}</p></noscript>\
         <article class=\"lesson\" lang=\"{code}\">\
         <p class=\"lesson-number\">§{index}</p><h1>{}</h1>",
        words.noscript_note,
        escape(&lesson.title)
    ));
    for (i, block) in lesson.blocks.iter().enumerate() {
        match block {
            Block::Html(html) => out.push_str(&format!("<div class=\"prose\">{html}</div>")),
            Block::Widget(spec) => {
                let kind = spec.kind();
                let name = widget_name(kind, language);
                // Its experiments read as text: the question, and the explanation folded.
                let experiments: String = lesson.blocks[i + 1..]
                    .iter()
                    .map_while(|b| match b {
                        Block::Experiment(e) => Some(format!(
                            "<div class=\"experiment\" data-state=\"text\">\
                             <p class=\"experiment-badge\">{}</p>\
                             <div class=\"experiment-question\">{}</div>\
                             <details class=\"experiment-answer\"><summary>{}</summary>{}</details></div>",
                            words.experiment_badge,
                            e.question,
                            words.experiment_explained,
                            e.answer
                        )),
                        _ => None,
                    })
                    .collect();
                let figure = widget_figure(lesson, i, language);
                out.push_str(&format!(
                    "<section class=\"widget-card\" data-widget=\"{}\" aria-label=\"{name}\">\
                     <header class=\"widget-head\"><span class=\"widget-icon\" aria-hidden=\"true\">▶</span>\
                     <h4 class=\"widget-title\">{name}</h4></header>\
                     <div class=\"experiments\">{experiments}</div>{figure}\
                     <p class=\"widget-waiting\">{}</p></section>",
                    kind.name(),
                    words.widget_waiting
                ));
            }
            Block::Experiment(_) => {}
        }
    }
    out.push_str(&prev_next(book, index));
    out.push_str("</article></main></div>");
    Some(out)
}

/// The static figure of the widget at `blocks[index]`: that of its first experiment with the
/// chapter's runs, as the app shows it (in print, and when the worker cannot start).
pub fn widget_figure(lesson: &Lesson, index: usize, language: Language) -> String {
    let words = ui(language);
    let figure = lesson.blocks[index + 1..]
        .iter()
        .map_while(|b| match b {
            Block::Experiment(e) => Some(e),
            _ => None,
        })
        .find_map(|e| e.figure.as_deref());
    let (w, h) = super::site::FIGURE_SIZE;
    figure.map_or_else(String::new, |src| {
        format!(
            "<figure class=\"widget-figure\"><img src=\"{src}\" alt=\"{title}\" width=\"{w}\" height=\"{h}\">\
             <figcaption>{caption}</figcaption></figure>",
            title = escape(words.figure_title),
            caption = escape(words.figure_caption),
        )
    })
}

/// The top bar as the app draws it before the device probe has answered.
fn top_bar(book: &Book, slug: &str) -> String {
    let language = book.language;
    let words = ui(language);
    let target = other(language).code();
    format!(
        "<header class=\"topbar\">\
         <button class=\"menu-button\" aria-controls=\"contents\" aria-expanded=\"false\">\
         <span aria-hidden=\"true\">☰</span><span class=\"menu-label\">{menu}</span></button>\
         <a class=\"brand\" href=\"{code}\"><span class=\"brand-name\">{title}</span>\
         <span class=\"brand-chapter\">{chapter}</span></a>\
         <div class=\"topbar-tools\">\
         <div class=\"search\"><button class=\"search-toggle\" type=\"button\" aria-label=\"{search}\" title=\"{search}\" aria-expanded=\"false\" aria-controls=\"search-box\">\
         <svg class=\"search-icon\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" focusable=\"false\"><circle cx=\"10.5\" cy=\"10.5\" r=\"6.5\"></circle><path d=\"M15.5 15.5 L21 21\"></path></svg></button>\
         <div class=\"search-box\" id=\"search-box\" role=\"search\"><input id=\"search-input\" type=\"search\" aria-label=\"{search}\" placeholder=\"{search_placeholder}\" disabled>\
         <div class=\"search-panel\" hidden><p class=\"search-status\" role=\"status\"></p><ul id=\"search-results\" class=\"search-results\" role=\"listbox\"></ul><p class=\"search-hint\" aria-hidden=\"true\" hidden></p></div></div></div>\
         <span class=\"device-badge\" role=\"status\" data-backend=\"\" data-reason=\"\" title=\"{probing}\">{probing}</span>\
         <a class=\"lang-switch\" href=\"{target}/{slug}\" hreflang=\"{target}\" title=\"{switch}\" aria-label=\"{switch}\">{other_name}</a>\
         <button class=\"theme-toggle\" aria-label=\"{to_dark}\" title=\"{to_dark}\"><span aria-hidden=\"true\">☾</span></button>\
         </div></header>",
        menu = words.menu,
        search = words.search,
        search_placeholder = words.search_placeholder,
        code = language.code(),
        title = words.book_title,
        chapter = words.chapter,
        probing = words.device_probing,
        switch = words.switch_language,
        other_name = words.other_language_name,
        to_dark = words.to_dark,
    )
}

/// The contents column: every lesson, the current one open on its `##` headings.
fn contents(book: &Book, slug: &str) -> String {
    let words = ui(book.language);
    let code = book.language.code();
    let mut out = format!(
        "<nav id=\"contents\" class=\"sidebar\" aria-label=\"{0}\">\
         <h2 class=\"sidebar-title\">{0}</h2><ol class=\"toc\">",
        words.contents
    );
    for lesson in &book.lessons {
        let href = format!("{code}/{}", lesson.slug);
        let title = escape(&lesson.title);
        if lesson.slug != slug {
            out.push_str(&format!("<li><a href=\"{href}\">{title}</a></li>"));
            continue;
        }
        out.push_str(&format!(
            "<li class=\"current\"><a href=\"{href}\" aria-current=\"page\">{title}</a><ol class=\"toc-headings\">"
        ));
        for heading in lesson.headings.iter().filter(|h| h.level == 2) {
            out.push_str(&format!(
                "<li><a href=\"{href}#{}\">{}</a></li>",
                heading.id,
                escape(&heading.text)
            ));
        }
        out.push_str("</ol></li>");
    }
    out.push_str("</ol></nav>");
    out
}

/// The previous / next links under the lesson.
fn prev_next(book: &Book, index: usize) -> String {
    let words = ui(book.language);
    let code = book.language.code();
    let mut out = format!(
        "<nav class=\"prev-next\" aria-label=\"{} / {}\">",
        words.previous, words.next
    );
    let link = |i: usize, class: &str, label: String| {
        book.lessons.get(i).map(|l| {
            format!(
                "<a class=\"{class}\" href=\"{code}/{}\" rel=\"{class}\">\
                 <span class=\"prev-next-label\">{label}</span>\
                 <span class=\"prev-next-title\">{}</span></a>",
                l.slug,
                escape(&l.title)
            )
        })
    };
    if let Some(previous) = index
        .checked_sub(1)
        .and_then(|i| link(i, "prev", format!("← {}", words.previous)))
    {
        out.push_str(&previous);
    }
    if let Some(next) = link(index + 1, "next", format!("{} →", words.next)) {
        out.push_str(&next);
    }
    out.push_str("</nav>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Heading;

    fn book() -> Book {
        let lesson = |slug: &str, blocks| Lesson {
            slug: slug.into(),
            title: format!("T <{slug}>"),
            headings: vec![Heading {
                level: 2,
                id: "h".into(),
                text: "H & h".into(),
            }],
            blocks,
        };
        Book {
            language: Language::Vi,
            lessons: vec![
                lesson("00-a", vec![Block::Html("<p>x <math></math></p>".into())]),
                lesson("01-b", Vec::new()),
            ],
        }
    }

    #[test]
    fn a_lesson_page_has_the_frame_the_text_and_relative_links() {
        let html = lesson_body(&book(), 0).unwrap_or_default();
        for part in [
            "<div id=\"boot\" class=\"layout\">",
            "<header class=\"topbar\">",
            "<nav id=\"contents\" class=\"sidebar\" aria-label=\"Mục lục\">",
            "<li class=\"current\"><a href=\"vi/00-a\" aria-current=\"page\">T &lt;00-a&gt;</a>",
            "<a href=\"vi/00-a#h\">H &amp; h</a>",
            "<a class=\"lang-switch\" href=\"en/00-a\" hreflang=\"en\"",
            "<article class=\"lesson\" lang=\"vi\"><p class=\"lesson-number\">§0</p><h1>T &lt;00-a&gt;</h1>",
            "<div class=\"prose\"><p>x <math></math></p></div>",
            "<a class=\"next\" href=\"vi/01-b\" rel=\"next\">",
        ] {
            assert!(html.contains(part), "{part} in {html}");
        }
        assert!(
            !html.contains("rel=\"prev\""),
            "the first lesson has no previous"
        );
        assert!(lesson_body(&book(), 2).is_none());
    }
}
