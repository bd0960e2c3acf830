//! The search index of each book (`search/<lang>.json`): every lesson cut into sections at its
//! `##`/`###` headings, the prose as plain text (code listings, widgets and the book's own labels
//! left out), inline formulas as their visible characters, and every formula's TeX apart.

use super::markdown::mathml_text;
use super::site::SiteFile;
use crate::search::{INDEX_VERSION, IndexedLesson, SearchIndex, Section, index_path};
use crate::{Block, Book, Lesson};

/// The index files of every book, one per language.
///
/// # Errors
/// An index cannot be written as JSON (which would be a bug in the types).
pub fn index_files(books: &[Book]) -> Result<Vec<SiteFile>, String> {
    books
        .iter()
        .map(|book| {
            let text = serde_json::to_string(&index(book))
                .map_err(|e| format!("cannot write the search index: {e}"))?;
            Ok(SiteFile {
                path: index_path(book.language).into(),
                text,
            })
        })
        .collect()
}

/// The search index of `book`: its lessons and their sections in reading order.
pub fn index(book: &Book) -> SearchIndex {
    SearchIndex {
        version: INDEX_VERSION,
        language: book.language,
        lessons: book
            .lessons
            .iter()
            .map(|l| IndexedLesson {
                slug: l.slug.clone(),
                title: l.title.clone(),
            })
            .collect(),
        sections: book
            .lessons
            .iter()
            .enumerate()
            .flat_map(|(position, lesson)| sections(position, lesson))
            .collect(),
    }
}

/// Elements that are not prose: code listings, the labels the book adds (folded listings,
/// self-checks, callouts) and the `#` of heading links.
fn is_skipped(name: &str, attrs: &str) -> bool {
    match name {
        "pre" | "summary" | "script" | "style" => true,
        "p" => attrs.contains("class=\"check-title\"") || attrs.contains("class=\"callout-title\""),
        "a" => attrs.contains("class=\"heading-anchor\""),
        _ => false,
    }
}

/// Elements whose edges separate words.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "li"
            | "ul"
            | "ol"
            | "td"
            | "th"
            | "tr"
            | "table"
            | "div"
            | "figure"
            | "figcaption"
            | "aside"
            | "blockquote"
            | "details"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "br"
            | "hr"
            | "dt"
            | "dd"
    )
}

/// The sections of one lesson, collected while its HTML is walked.
struct Sections<'a> {
    lesson: &'a Lesson,
    position: usize,
    done: Vec<Section>,
    id: String,
    heading: String,
    text: String,
    math: Vec<String>,
}

impl<'a> Sections<'a> {
    /// Closes the section in progress and opens the one under heading `id`.
    fn start(&mut self, id: &str, heading: &str) {
        self.finish();
        self.id = id.to_string();
        self.heading = heading.to_string();
    }

    fn finish(&mut self) {
        let text = self.text.split_whitespace().collect::<Vec<_>>().join(" ");
        self.done.push(Section {
            lesson: self.position,
            id: std::mem::take(&mut self.id),
            heading: std::mem::take(&mut self.heading),
            text,
            math: std::mem::take(&mut self.math).join(" ; "),
        });
        self.text.clear();
    }

    /// A formula: its TeX apart; inline ones also as the characters the reader sees.
    fn formula(&mut self, mathml: &str, display: bool) {
        if let Some(tex) = between(mathml, "<annotation", "</annotation>")
            .and_then(|inner| inner.split_once('>'))
            .map(|(_, tex)| decode(tex.trim()))
            // A one- or two-letter formula is in the text already; a repeated one once is enough.
            .filter(|tex| tex.chars().count() > 2 || display)
            && !self.math.contains(&tex)
        {
            self.math.push(tex);
        }
        if display {
            self.text.push(' ');
        } else {
            self.text.push_str(&mathml_text(mathml));
        }
    }

    /// Walks one HTML block of the lesson.
    fn walk(&mut self, html: &str) {
        let mut rest = html;
        while let Some(lt) = rest.find('<') {
            self.text.push_str(&decode(&rest[..lt]));
            let Some(gt) = rest[lt..].find('>') else {
                rest = &rest[lt..];
                break;
            };
            let tag = &rest[lt + 1..lt + gt];
            let tag_end = lt + gt + 1;
            if let Some(name) = tag.strip_prefix('/') {
                if is_block(name.trim()) {
                    self.text.push(' ');
                }
                rest = &rest[tag_end..];
                continue;
            }
            let tag = tag.trim_end_matches('/');
            let (name, attrs) = tag.split_once(char::is_whitespace).unwrap_or((tag, ""));
            let after = &rest[tag_end..];
            if name == "math" {
                let (inner_end, next) = close_of(after, "math");
                self.formula(
                    &rest[lt..tag_end + inner_end],
                    attrs.contains("display=\"block\""),
                );
                rest = next;
            } else if let Some(heading) = self.heading_of(name, attrs) {
                let (id, text) = (heading.id.clone(), heading.text.clone());
                self.start(&id, &text);
                rest = close_of(after, name).1;
            } else if is_skipped(name, attrs) {
                self.text.push(' ');
                rest = close_of(after, name).1;
            } else {
                if is_block(name) {
                    self.text.push(' ');
                }
                rest = after;
            }
        }
        self.text.push_str(&decode(rest));
    }

    /// The lesson's `##`/`###` heading that this `<h2 id="…">`/`<h3 id="…">` opens, if any.
    fn heading_of(&self, name: &str, attrs: &str) -> Option<&'a crate::Heading> {
        if name != "h2" && name != "h3" {
            return None;
        }
        let id = between(attrs, "id=\"", "\"")?;
        self.lesson.headings.iter().find(|h| h.id == id)
    }
}

fn sections(position: usize, lesson: &Lesson) -> Vec<Section> {
    let mut sections = Sections {
        lesson,
        position,
        done: Vec::new(),
        id: String::new(),
        heading: lesson.title.clone(),
        text: String::new(),
        math: Vec::new(),
    };
    for block in &lesson.blocks {
        match block {
            Block::Html(html) => sections.walk(html),
            Block::Widget(_) => sections.text.push(' '),
            // The question is read before a run: searchable like a self-check.
            Block::Experiment(e) => sections.walk(&e.question),
        }
    }
    sections.finish();
    sections.done
}

/// The text between the first `open` and the next `close` after it.
fn between<'t>(text: &'t str, open: &str, close: &str) -> Option<&'t str> {
    let start = text.find(open)? + open.len();
    let end = text[start..].find(close)? + start;
    Some(&text[start..end])
}

/// In `html` just after an opening `<name …>`: where its content ends (the matching `</name>`,
/// same-name elements nested inside counted) and the rest after that closing tag. An element
/// left open runs to the end.
fn close_of<'t>(html: &'t str, name: &str) -> (usize, &'t str) {
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut depth = 1;
    let mut at = 0;
    while let Some(lt) = html[at..].find('<').map(|i| i + at) {
        let tail = &html[lt..];
        if tail.starts_with(&close) {
            depth -= 1;
            if depth == 0 {
                return (lt, &html[lt + close.len()..]);
            }
        } else if tail.starts_with(&open)
            && tail[open.len()..].starts_with(|c: char| c == '>' || c.is_whitespace())
        {
            depth += 1;
        }
        at = lt + 1;
    }
    (html.len(), "")
}

/// HTML text with its character references decoded (`&amp;`, `&lt;`, `&#39;`, `&#x27;`, …).
fn decode(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').filter(|&semi| semi <= 10).and_then(|semi| {
            let name = &rest[1..semi];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, semi))
        });
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::math::to_mathml;
    use crate::{Heading, Language, WidgetSpec};

    fn lesson(blocks: Vec<Block>) -> Lesson {
        Lesson {
            slug: "06-optimizers".into(),
            title: "Các bộ tối ưu".into(),
            headings: vec![
                Heading {
                    level: 2,
                    id: "adam".into(),
                    text: "Adam".into(),
                },
                Heading {
                    level: 3,
                    id: "vi-sao".into(),
                    text: "Vì sao?".into(),
                },
            ],
            blocks,
        }
    }

    fn html(text: &str) -> Block {
        Block::Html(text.to_string())
    }

    #[test]
    fn sections_split_at_headings_with_the_opening_under_the_title() {
        let lesson = lesson(vec![
            html(
                "<p>Mở đầu &amp; <em>ý</em> chính.</p>\n<h2 id=\"adam\">Adam<a class=\"heading-anchor\" href=\"vi/06-optimizers#adam\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h2>\n<p>Hai</p><p>đoạn</p>",
            ),
            Block::Widget(WidgetSpec::parse("mc-dropout", &[]).unwrap()),
            html(
                "<h4 id=\"nho\">Nhỏ</h4><h3 id=\"vi-sao\">Vì sao?</h3><ul><li>một</li><li>hai</li></ul>",
            ),
        ]);
        let found = sections(3, &lesson);
        let summary: Vec<(&str, &str, &str)> = found
            .iter()
            .map(|s| (s.id.as_str(), s.heading.as_str(), s.text.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                ("", "Các bộ tối ưu", "Mở đầu & ý chính."),
                ("adam", "Adam", "Hai đoạn Nhỏ"),
                ("vi-sao", "Vì sao?", "một hai"),
            ]
        );
        assert!(found.iter().all(|s| s.lesson == 3));
    }

    #[test]
    fn code_listings_and_the_books_own_labels_are_left_out() {
        let lesson = lesson(vec![html(concat!(
            "<p>Gọi <code>optim.Adam</code>.</p>",
            "<pre class=\"code\" data-lang=\"python\"><code><span>import</span> torch</code></pre>",
            "<details class=\"listing\"><summary>Mã Rust (Burn) mà widget chạy</summary>\n<pre class=\"code\"><code>let x = 1;</code></pre></details>",
            "<div class=\"check\" role=\"group\"><p class=\"check-title\">Tự kiểm tra</p><div class=\"check-question\"><p>Hỏi?</p></div>",
            "<details class=\"check-answer\"><summary>Xem đáp án</summary><div><p>Đáp.</p></div></details></div>",
            "<aside class=\"callout callout-note\"><p class=\"callout-title\">Ghi chú</p>\n<p>Lưu ý.</p></aside>",
        ))]);
        let found = sections(0, &lesson);
        assert_eq!(found[0].text, "Gọi optim.Adam. Hỏi? Đáp. Lưu ý.");
    }

    #[test]
    fn formulas_give_their_visible_text_inline_and_their_tex_apart() {
        let inline = to_mathml(r"\eta = 0.05", false).unwrap();
        let display = to_mathml(r"\frac{a}{b} < 1", true).unwrap();
        let lesson = lesson(vec![html(&format!(
            "<p>Với {inline}, ta có</p>\n<p>{display}</p><p>xong.</p>"
        ))]);
        let found = sections(0, &lesson);
        assert_eq!(found[0].text, "Với η=0.05, ta có xong.");
        assert_eq!(found[0].math, r"\eta = 0.05 ; \frac{a}{b} < 1");
    }

    #[test]
    fn references_are_decoded_and_broken_ones_kept() {
        assert_eq!(
            decode("a &lt;b&gt; &#39;c&#x27; &amp;&amp; d & e &bogus;"),
            "a <b> 'c' && d & e &bogus;"
        );
    }

    #[test]
    fn the_index_names_lessons_in_order_and_one_file_per_language() {
        let book = Book {
            language: Language::En,
            lessons: vec![lesson(vec![html("<p>x</p>")])],
        };
        let index = index(&book);
        assert_eq!(index.version, INDEX_VERSION);
        assert_eq!(index.lessons[0].slug, "06-optimizers");
        assert_eq!(index.sections.len(), 1);
        let files = index_files(&[book]).unwrap();
        assert_eq!(files[0].path, std::path::PathBuf::from("search/en.json"));
        let back: SearchIndex = serde_json::from_str(&files[0].text).unwrap();
        assert_eq!(back, index);
    }
}
