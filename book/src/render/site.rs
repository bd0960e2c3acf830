//! The files of the built site that come from the book rather than from Trunk: each language's
//! book as its own JSON file (`books/<lang>.<hash>.json`, the hash of its text in the name, so it
//! can be cached for good) and every route's page (`index.html`, `vi.html`, `vi/<slug>.html`,
//! `404.html`), made from the site's `index.html`: each names its language and lesson, names every
//! book file in a `<meta>` for the app, and a lesson's page carries the lesson itself, pre-rendered
//! (`page.rs`), with a preload of its book, so the text shows before any script runs.

use std::path::PathBuf;

use super::escape;
use super::page::{BOOT_ID, lesson_body};
use crate::{Book, Language};

/// A file of the built site: its path under the site root, and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteFile {
    /// Path relative to the site root, e.g. `vi/02-initialization.html`.
    pub path: PathBuf,
    /// The file's text.
    pub text: String,
}

/// Every book-made file of the site: the book files, then the route pages naming them.
///
/// # Errors
/// As [`route_pages`]; or a book that cannot be written as JSON.
pub fn site_files(books: &[Book], index_html: &str) -> Result<Vec<SiteFile>, String> {
    let mut files = book_files(books)?;
    let names: Vec<(Language, String)> = books
        .iter()
        .map(|b| b.language)
        .zip(files.iter().map(|f| f.path.display().to_string()))
        .collect();
    files.extend(route_pages(books, &names, index_html)?);
    files.extend(figure_files(books)?);
    Ok(files)
}

/// Width and height of a figure, in CSS pixels (the SVG scales with the page).
pub const FIGURE_SIZE: (u32, u32) = (640, 300);

/// The static figure of each experiment that has the chapter's runs: their validation accuracy
/// per epoch, drawn by the widgets' chart code as SVG in the print theme.
///
/// # Errors
/// A figure the chart code cannot draw.
pub fn figure_files(books: &[Book]) -> Result<Vec<SiteFile>, String> {
    let mut files = Vec::new();
    for book in books {
        let words = crate::ui::ui(book.language);
        for lesson in &book.lessons {
            for block in &lesson.blocks {
                let crate::Block::Experiment(experiment) = block else {
                    continue;
                };
                let Some(path) = &experiment.figure else {
                    continue;
                };
                let spec = dl101_charts::runs::validation_figure(
                    words.figure_title,
                    words.epoch_axis,
                    words.accuracy_axis,
                    &experiment.reference_runs(),
                );
                let (w, h) = FIGURE_SIZE;
                let text = dl101_charts::svg(&spec, w, h, &dl101_charts::Theme::print())
                    .map_err(|e| format!("{path}: {e}"))?;
                files.push(SiteFile {
                    path: path.into(),
                    text,
                });
            }
        }
    }
    Ok(files)
}

/// Each book as JSON at `books/<lang>.<hash>.json`, the hash being that of the JSON text.
///
/// # Errors
/// A book that serde cannot write (it cannot happen with the book's plain types).
pub fn book_files(books: &[Book]) -> Result<Vec<SiteFile>, String> {
    books
        .iter()
        .map(|book| {
            let text = serde_json::to_string(book).map_err(|e| format!("book JSON: {e}"))?;
            Ok(SiteFile {
                path: format!("books/{}.{:016x}.json", book.language.code(), fnv1a(&text)).into(),
                text,
            })
        })
        .collect()
}

/// The page of each route: `index.html` with the route's language in `<html lang>`, its lesson's
/// title in `<title>`, a `<meta>` per book file (`book_names`: each language's path), and for a
/// lesson its pre-rendered text in place of the loading notice and a preload of its book. The
/// site's `index.html` itself, `404.html` and the language roots keep the notice.
///
/// # Errors
/// `index.html` lacks `<html lang="…">`, `<title>…</title>`, `</head>`, or the
/// `<div id="boot">…</div>` and `<noscript>…</noscript>` that a lesson's text replaces.
pub fn route_pages(
    books: &[Book],
    book_names: &[(Language, String)],
    index_html: &str,
) -> Result<Vec<SiteFile>, String> {
    let mut files = Vec::new();
    let metas: String = book_names
        .iter()
        .map(|(language, name)| {
            format!(
                "<meta name=\"{}\" content=\"{name}\">\n",
                language.book_meta_name()
            )
        })
        .collect();
    let named = with_head(index_html, &metas)?;
    let page = |language: Language, title: Option<&str>| retitle(&named, language, title);
    let default = books.first().map_or(Language::Vi, |b| b.language);
    for path in ["index.html", "404.html"] {
        files.push(SiteFile {
            path: path.into(),
            text: page(default, None)?,
        });
    }
    for book in books {
        let code = book.language.code();
        files.push(SiteFile {
            path: format!("{code}.html").into(),
            text: page(book.language, None)?,
        });
        let preload = book_names
            .iter()
            .find(|(language, _)| *language == book.language)
            .map(|(_, name)| {
                format!("<link rel=\"preload\" href=\"{name}\" as=\"fetch\" crossorigin>\n")
            })
            .unwrap_or_default();
        for (index, lesson) in book.lessons.iter().enumerate() {
            let titled = page(book.language, Some(&lesson.title))?;
            let body = lesson_body(book, index).unwrap_or_default();
            files.push(SiteFile {
                path: format!("{code}/{}.html", lesson.slug).into(),
                text: with_head(&with_body(&titled, &body)?, &preload)?,
            });
        }
    }
    Ok(files)
}

/// `html` with `extra` just before `</head>`.
fn with_head(html: &str, extra: &str) -> Result<String, String> {
    let at = html.find("</head>").ok_or("index.html has no </head>")?;
    Ok(format!("{}{extra}{}", &html[..at], &html[at..]))
}

/// `html` with `body` in place of its loading notice and its `<noscript>` message (the lesson
/// carries its own short note).
fn with_body(html: &str, body: &str) -> Result<String, String> {
    let start = html
        .find(&format!("<div id=\"{BOOT_ID}\""))
        .ok_or("index.html has no <div id=\"boot\">")?;
    let end = html[start..]
        .find("</noscript>")
        .ok_or("index.html has no </noscript> after <div id=\"boot\">")?
        + start
        + "</noscript>".len();
    Ok(format!("{}{body}{}", &html[..start], &html[end..]))
}

/// FNV-1a, 64 bits: a stable content hash for file names (not for security).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// `html` with `lang` and, when given, the lesson title before the site's own title.
fn retitle(html: &str, language: Language, lesson: Option<&str>) -> Result<String, String> {
    let lang_at = html
        .find("<html lang=\"")
        .ok_or("index.html has no <html lang=\"…\">")?
        + "<html lang=\"".len();
    let lang_end = html[lang_at..]
        .find('"')
        .ok_or("index.html: <html lang=\" is not closed")?
        + lang_at;
    let mut out = format!(
        "{}{}{}",
        &html[..lang_at],
        language.code(),
        &html[lang_end..]
    );
    if let Some(lesson) = lesson {
        let title_at = out.find("<title>").ok_or("index.html has no <title>")? + "<title>".len();
        out.insert_str(title_at, &format!("{} · ", escape(lesson)));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lesson;

    fn book(language: Language, slugs: &[&str]) -> Book {
        Book {
            language,
            lessons: slugs
                .iter()
                .map(|slug| Lesson {
                    slug: slug.to_string(),
                    title: format!("T <{slug}>"),
                    headings: Vec::new(),
                    blocks: Vec::new(),
                })
                .collect(),
        }
    }

    const INDEX: &str = "<!DOCTYPE html><html lang=\"vi\"><head><title>DL101 Live</title></head>\
        <body><div id=\"boot\" role=\"status\">…</div><noscript>needs JS</noscript></body></html>";

    #[test]
    fn every_route_has_a_page_in_its_language_with_its_title() {
        let books = [
            book(Language::Vi, &["00-a", "01-b"]),
            book(Language::En, &["00-a", "01-b"]),
        ];
        let files = site_files(&books, INDEX).unwrap();
        let pages = &files[2..];
        let paths: Vec<String> = files.iter().map(|p| p.path.display().to_string()).collect();
        assert!(paths[0].starts_with("books/vi.") && paths[0].ends_with(".json"));
        assert!(paths[1].starts_with("books/en."), "{paths:?}");
        assert_eq!(
            paths[2..],
            [
                "index.html",
                "404.html",
                "vi.html",
                "vi/00-a.html",
                "vi/01-b.html",
                "en.html",
                "en/00-a.html",
                "en/01-b.html"
            ]
        );
        let en = &pages[6].text;
        assert!(en.contains("<html lang=\"en\">"), "{en}");
        assert!(
            en.contains("<title>T &lt;00-a&gt; · DL101 Live</title>"),
            "{en}"
        );
        assert!(pages[0].text.contains("<title>DL101 Live</title>"));
        for page in pages {
            for file in &paths[..2] {
                assert!(
                    page.text.contains(&format!("content=\"{file}\">")),
                    "{file}"
                );
            }
        }
        // A lesson carries its text and preloads its own book; the others keep the notice.
        assert!(
            en.contains("<article class=\"lesson\" lang=\"en\">"),
            "{en}"
        );
        assert!(
            !en.contains("needs JS") && !en.contains("role=\"status\">…"),
            "{en}"
        );
        assert!(en.contains(&format!("<link rel=\"preload\" href=\"{}\"", paths[1])));
        assert!(!en.contains(&format!("<link rel=\"preload\" href=\"{}\"", paths[0])));
        assert!(pages[2].text.contains("needs JS") && !pages[2].text.contains("<article"));
    }

    #[test]
    fn a_book_file_is_named_by_its_content() {
        let a = book_files(&[book(Language::Vi, &["00-a"])]).unwrap();
        let b = book_files(&[book(Language::Vi, &["00-b"])]).unwrap();
        assert_ne!(a[0].path, b[0].path);
        assert_eq!(a, book_files(&[book(Language::Vi, &["00-a"])]).unwrap());
        let back: Book = serde_json::from_str(&a[0].text).unwrap();
        assert_eq!(back, book(Language::Vi, &["00-a"]));
    }

    #[test]
    fn an_index_without_lang_title_or_boot_is_refused() {
        let books = [book(Language::Vi, &["00-a"])];
        for index in [
            "<html><head><title>x</title></head></html>",
            "<html lang=\"vi\"><head></head></html>",
            "<html lang=\"vi\"><head><title>x</title></head><body></body></html>",
        ] {
            assert!(site_files(&books, index).is_err(), "{index}");
        }
    }
}
