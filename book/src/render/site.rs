//! The files of the built site that come from the book rather than from Trunk: every lesson
//! route's page (`vi.html`, `vi/<slug>.html`, `404.html`), made from the site's `index.html`, so a
//! deep link or a reload works on any static host and each page names its language and lesson.

use std::path::PathBuf;

use super::escape;
use crate::{Book, Language};

/// A file of the built site: its path under the site root, and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteFile {
    /// Path relative to the site root, e.g. `vi/02-initialization.html`.
    pub path: PathBuf,
    /// The file's text.
    pub text: String,
}

/// The page of each route: `index.html` with the route's language in `<html lang>` and its
/// lesson's title in `<title>`. The first lesson of the first book stands for `404.html` and
/// the language roots.
///
/// # Errors
/// `index.html` lacks `<html lang="…">` or `<title>…</title>`, which the pages need.
pub fn route_pages(books: &[Book], index_html: &str) -> Result<Vec<SiteFile>, String> {
    let mut files = Vec::new();
    let page = |language: Language, title: Option<&str>| retitle(index_html, language, title);
    let default = books.first().map_or(Language::Vi, |b| b.language);
    files.push(SiteFile {
        path: "404.html".into(),
        text: page(default, None)?,
    });
    for book in books {
        let code = book.language.code();
        files.push(SiteFile {
            path: format!("{code}.html").into(),
            text: page(book.language, None)?,
        });
        for lesson in &book.lessons {
            files.push(SiteFile {
                path: format!("{code}/{}.html", lesson.slug).into(),
                text: page(book.language, Some(&lesson.title))?,
            });
        }
    }
    Ok(files)
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

    const INDEX: &str =
        "<!DOCTYPE html><html lang=\"vi\"><head><title>DL101 Live</title></head></html>";

    #[test]
    fn every_route_has_a_page_in_its_language_with_its_title() {
        let books = [
            book(Language::Vi, &["00-a", "01-b"]),
            book(Language::En, &["00-a", "01-b"]),
        ];
        let pages = route_pages(&books, INDEX).unwrap();
        let paths: Vec<String> = pages.iter().map(|p| p.path.display().to_string()).collect();
        assert_eq!(
            paths,
            [
                "404.html",
                "vi.html",
                "vi/00-a.html",
                "vi/01-b.html",
                "en.html",
                "en/00-a.html",
                "en/01-b.html"
            ]
        );
        let en = &pages[5].text;
        assert!(en.contains("<html lang=\"en\">"), "{en}");
        assert!(
            en.contains("<title>T &lt;00-a&gt; · DL101 Live</title>"),
            "{en}"
        );
        assert!(pages[0].text.contains("<title>DL101 Live</title>"));
    }

    #[test]
    fn an_index_without_lang_or_title_is_refused() {
        let books = [book(Language::Vi, &["00-a"])];
        assert!(route_pages(&books, "<html><title>x</title></html>").is_err());
        assert!(route_pages(&books, "<html lang=\"vi\"></html>").is_err());
    }
}
