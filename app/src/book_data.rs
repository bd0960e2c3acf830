//! The lessons compiled at build time (see `build.rs`), parsed once on first use.

use std::sync::OnceLock;

use book::{Book, Language};

static VI: &str = include_str!(concat!(env!("OUT_DIR"), "/book-vi.json"));
static EN: &str = include_str!(concat!(env!("OUT_DIR"), "/book-en.json"));

fn parse(json: &str, language: Language) -> Book {
    // The JSON was written by our own build script from the same types, so this cannot fail in
    // practice; an empty book (rendered as "not found") is the safe answer if it ever did.
    serde_json::from_str(json).unwrap_or(Book {
        language,
        lessons: Vec::new(),
    })
}

/// The book in `language`.
pub fn book(language: Language) -> &'static Book {
    static BOOKS: OnceLock<[Book; 2]> = OnceLock::new();
    let books = BOOKS.get_or_init(|| [parse(VI, Language::Vi), parse(EN, Language::En)]);
    match language {
        Language::Vi => &books[0],
        Language::En => &books[1],
    }
}
