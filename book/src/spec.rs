//! The compiled book as the app receives it: languages, lessons, headings and blocks.

use serde::{Deserialize, Serialize};

use crate::{Experiment, WidgetSpec};

/// A language the book is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Vietnamese, the primary language of the course.
    Vi,
    /// English, mirroring the Vietnamese text.
    En,
}

impl Language {
    /// Every language, the default first.
    pub const ALL: [Language; 2] = [Language::Vi, Language::En];

    /// The code used in URLs, file paths and `lang` attributes.
    pub fn code(self) -> &'static str {
        match self {
            Language::Vi => "vi",
            Language::En => "en",
        }
    }

    /// The `<meta name>` under which every page of the site names this language's book file
    /// (written by `dl101-book`, read by the app before it fetches the book).
    pub fn book_meta_name(self) -> String {
        format!("dl101-book-{}", self.code())
    }

    /// Parses a URL or file-path code (`vi`, `en`).
    pub fn from_code(code: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|lang| lang.code() == code)
    }
}

/// The whole chapter in one language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Book {
    /// The language every lesson of this book is written in.
    pub language: Language,
    /// Lessons in reading order (the order of `content/summary.toml`).
    pub lessons: Vec<Lesson>,
}

impl Book {
    /// The lesson with this slug, if any.
    pub fn lesson(&self, slug: &str) -> Option<&Lesson> {
        self.lessons.iter().find(|lesson| lesson.slug == slug)
    }

    /// The position of the lesson with this slug in reading order.
    pub fn position(&self, slug: &str) -> Option<usize> {
        self.lessons.iter().position(|lesson| lesson.slug == slug)
    }
}

/// One section of the chapter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lesson {
    /// URL segment and file stem, e.g. `02-initialization`.
    pub slug: String,
    /// The text of the lesson's `#` heading.
    pub title: String,
    /// The `##` and `###` headings, for the table of contents.
    pub headings: Vec<Heading>,
    /// The body: rendered HTML interleaved with live widgets.
    pub blocks: Vec<Block>,
}

/// A heading inside a lesson, with its anchor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Heading {
    /// 2 for `##`, 3 for `###`.
    pub level: u8,
    /// The `id` of the heading element (the URL fragment).
    pub id: String,
    /// The heading's plain text.
    pub text: String,
}

/// A piece of a lesson body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Block {
    /// Sanitised HTML made at build time from Markdown (raw HTML in the source is escaped).
    Html(String),
    /// A live widget.
    Widget(WidgetSpec),
    /// A guided experiment of the widget before it.
    Experiment(Experiment),
}
