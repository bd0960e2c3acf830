//! The search index of one language (made at build time by `render::search`, read by the page)
//! and the query over it. Matching is on folded text ([`crate::fold`]): every query word must
//! start a word of the section (heading, text or formulas' TeX); sections whose heading holds
//! every word rank first (a lesson's title before the headings inside lessons), then those with
//! more words in the heading, then the words side by side, then reading order.

use std::cmp::Reverse;

use serde::{Deserialize, Serialize};

use crate::Language;
use crate::fold::{Folded, fold};

/// The format of the index files; a file of another version is refused as broken.
pub const INDEX_VERSION: u32 = 1;

/// Where the index of `language` lies under the site root, e.g. `search/vi.json`.
pub fn index_path(language: Language) -> String {
    format!("search/{}.json", language.code())
}

/// Every section of every lesson of one language, in reading order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchIndex {
    /// [`INDEX_VERSION`] when written.
    pub version: u32,
    /// The language of every lesson in it.
    pub language: Language,
    /// The lessons in reading order; sections name them by position.
    pub lessons: Vec<IndexedLesson>,
    /// The sections in reading order.
    pub sections: Vec<Section>,
}

/// A lesson as the results name it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndexedLesson {
    /// URL segment, e.g. `06-optimizers`.
    pub slug: String,
    /// The lesson's title.
    pub title: String,
}

/// The text from one heading to the next (`##` or `###`), or the lesson's opening before its
/// first heading.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Position of its lesson in [`SearchIndex::lessons`].
    pub lesson: usize,
    /// The heading's anchor; empty for the lesson's opening.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// The heading's text; for the opening, the lesson's title.
    pub heading: String,
    /// The prose as the reader sees it (inline formulas as their visible characters; code
    /// listings left out), whitespace collapsed.
    pub text: String,
    /// The TeX source of the section's formulas, separated by ` ; `.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub math: String,
}

/// A piece of a result's heading or snippet, marked where it matched the query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    /// The text, as in the lesson.
    pub text: String,
    /// Whether this piece matched a query word.
    pub marked: bool,
}

/// One matching section, ready to show.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// The lesson's position in reading order (its `§` number).
    pub lesson: usize,
    /// The lesson's slug.
    pub slug: String,
    /// The heading's anchor (empty: the lesson's top).
    pub id: String,
    /// The lesson's title.
    pub lesson_title: String,
    /// Whether the section is the lesson's opening (its heading is the title).
    pub is_opening: bool,
    /// The heading, marked.
    pub heading: Vec<Piece>,
    /// A few lines around the best match, marked; `…` where cut.
    pub snippet: Vec<Piece>,
}

/// The best sections for a query, and how many matched in all.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Results {
    /// At most the asked number, best first.
    pub hits: Vec<Hit>,
    /// How many sections matched.
    pub total: usize,
}

/// The folded copies of a section's fields, made once when the index is loaded.
#[derive(Clone, Debug)]
struct FoldedSection {
    heading: String,
    text: String,
    math: String,
}

/// How well a section matches: sorted, the best come first.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Rank {
    /// Every query word is in the heading...
    whole_heading: Reverse<bool>,
    /// ...and that heading is a lesson's title.
    title: Reverse<bool>,
    /// How many query words are in the heading.
    heading_words: Reverse<usize>,
    /// The words stand side by side, in order, in the heading or the text.
    side_by_side: Reverse<bool>,
    /// Reading order.
    position: usize,
}

/// An index ready for queries.
#[derive(Clone, Debug)]
pub struct Searcher {
    index: SearchIndex,
    folded: Vec<FoldedSection>,
}

/// Characters of context shown before the match in a snippet, and in all.
const SNIPPET_BEFORE: usize = 50;
const SNIPPET_LENGTH: usize = 170;
/// Words of a query beyond this are ignored.
const MAX_WORDS: usize = 8;

/// The folded words of a query, each once: `"Tối ưu, tối!"` → `["toi", "uu"]`.
pub fn query_words(query: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in fold(query).split(|c: char| !c.is_alphanumeric()) {
        if !word.is_empty() && !words.iter().any(|w| w == word) && words.len() < MAX_WORDS {
            words.push(word.to_string());
        }
    }
    words
}

/// Byte offsets in `hay` where `word` starts a word (not preceded by a letter or digit).
fn word_starts<'a>(hay: &'a str, word: &'a str) -> impl Iterator<Item = usize> + 'a {
    hay.match_indices(word)
        .map(|(at, _)| at)
        .filter(move |&at| {
            !hay[..at]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
        })
}

fn contains_word(hay: &str, word: &str) -> bool {
    word_starts(hay, word).next().is_some()
}

/// Where the query's words stand side by side, in order, in `hay`.
fn phrase_at(hay: &str, words: &[String]) -> Option<usize> {
    if words.len() < 2 {
        return None;
    }
    let phrase = words.join(" ");
    word_starts(hay, &phrase).next()
}

impl Searcher {
    /// Prepares `index` for queries (folds every section once).
    pub fn new(index: SearchIndex) -> Searcher {
        let folded = index
            .sections
            .iter()
            .map(|s| FoldedSection {
                heading: fold(&s.heading),
                text: fold(&s.text),
                math: fold(&s.math),
            })
            .collect();
        Searcher { index, folded }
    }

    /// The index searched.
    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// The sections holding every word of `query`, best first, at most `limit` of them.
    pub fn search(&self, query: &str, limit: usize) -> Results {
        let words = query_words(query);
        if words.is_empty() {
            return Results::default();
        }
        let mut ranked: Vec<Rank> = Vec::new();
        for (position, folded) in self.folded.iter().enumerate() {
            let mut in_heading = 0;
            let mut all = true;
            for word in &words {
                if contains_word(&folded.heading, word) {
                    in_heading += 1;
                } else if !contains_word(&folded.text, word) && !contains_word(&folded.math, word) {
                    all = false;
                    break;
                }
            }
            if all {
                let whole = in_heading == words.len();
                let opening = self
                    .index
                    .sections
                    .get(position)
                    .is_some_and(|s| s.id.is_empty());
                ranked.push(Rank {
                    whole_heading: Reverse(whole),
                    title: Reverse(whole && opening),
                    heading_words: Reverse(in_heading),
                    side_by_side: Reverse(
                        phrase_at(&folded.heading, &words).is_some()
                            || phrase_at(&folded.text, &words).is_some(),
                    ),
                    position,
                });
            }
        }
        ranked.sort_unstable();
        let total = ranked.len();
        let hits = ranked
            .into_iter()
            .take(limit)
            .filter_map(|rank| self.hit(rank.position, &words))
            .collect();
        Results { hits, total }
    }

    fn hit(&self, position: usize, words: &[String]) -> Option<Hit> {
        let section = self.index.sections.get(position)?;
        let folded = self.folded.get(position)?;
        let lesson = self.index.lessons.get(section.lesson)?;
        let in_text = words.iter().any(|w| contains_word(&folded.text, w));
        let in_math = words.iter().any(|w| contains_word(&folded.math, w));
        let snippet = if !in_text && in_math {
            snippet(&section.math, words)
        } else {
            snippet(&section.text, words)
        };
        Some(Hit {
            lesson: section.lesson,
            slug: lesson.slug.clone(),
            id: section.id.clone(),
            lesson_title: lesson.title.clone(),
            is_opening: section.id.is_empty(),
            heading: mark(&section.heading, words, 0, section.heading.len()),
            snippet,
        })
    }
}

/// A window of `source` around its best match, with every match marked.
pub fn snippet(source: &str, words: &[String]) -> Vec<Piece> {
    let folded = Folded::new(source);
    let focus = phrase_at(&folded.text, words)
        .or_else(|| {
            words
                .iter()
                .find_map(|w| word_starts(&folded.text, w).next())
        })
        .unwrap_or(0);
    let (focus, _) = folded.source_range(source, focus, focus);
    let (start, end) = window(source, focus);
    let mut pieces = mark(source, words, start, end);
    if start > 0 {
        pieces.insert(0, plain("…"));
    }
    if end < source.len() {
        pieces.push(plain("…"));
    }
    pieces
}

fn plain(text: &str) -> Piece {
    Piece {
        text: text.to_string(),
        marked: false,
    }
}

/// About [`SNIPPET_LENGTH`] characters of `source` from a little before `focus`, cut at spaces.
fn window(source: &str, focus: usize) -> (usize, usize) {
    let before: Vec<usize> = source[..focus]
        .char_indices()
        .map(|(at, _)| at)
        .rev()
        .take(SNIPPET_BEFORE)
        .collect();
    let mut start = before.last().copied().unwrap_or(focus);
    // Begin at a word: after the first space of the context, if there is one.
    if start > 0
        && let Some(space) = source[start..focus].find(' ')
    {
        start += space + 1;
    }
    let mut end = source[start..]
        .char_indices()
        .nth(SNIPPET_LENGTH)
        .map_or(source.len(), |(at, _)| start + at);
    if end < source.len()
        && let Some(space) = source[focus.max(start)..end].rfind(' ')
    {
        end = focus.max(start) + space;
    }
    (start, end)
}

/// `source[start..end]` in pieces, the query words' matches marked.
fn mark(source: &str, words: &[String], start: usize, end: usize) -> Vec<Piece> {
    let folded = Folded::new(source);
    let mut ranges: Vec<(usize, usize)> = words
        .iter()
        .flat_map(|w| {
            word_starts(&folded.text, w)
                .map(|at| folded.source_range(source, at, at + w.len()))
                .collect::<Vec<_>>()
        })
        .filter(|&(from, to)| from >= start && to <= end)
        .collect();
    ranges.sort_unstable();
    let mut pieces = Vec::new();
    let mut at = start;
    for (from, to) in ranges {
        let from = from.max(at);
        if to <= from {
            continue;
        }
        if from > at {
            pieces.push(plain(&source[at..from]));
        }
        pieces.push(Piece {
            text: source[from..to].to_string(),
            marked: true,
        });
        at = to;
    }
    if at < end {
        pieces.push(plain(&source[at..end]));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(lesson: usize, id: &str, heading: &str, text: &str, math: &str) -> Section {
        Section {
            lesson,
            id: id.into(),
            heading: heading.into(),
            text: text.into(),
            math: math.into(),
        }
    }

    fn searcher() -> Searcher {
        let lesson = |slug: &str, title: &str| IndexedLesson {
            slug: slug.into(),
            title: title.into(),
        };
        Searcher::new(SearchIndex {
            version: INDEX_VERSION,
            language: Language::Vi,
            lessons: vec![
                lesson("00-why", "Vì sao mạng sâu khó huấn luyện"),
                lesson("06-optimizers", "Các bộ tối ưu nhanh hơn"),
            ],
            sections: vec![
                section(
                    0,
                    "",
                    "Vì sao mạng sâu khó huấn luyện",
                    "Một bộ tối ưu và chuẩn hóa theo lô.",
                    "",
                ),
                section(
                    0,
                    "tom-tat",
                    "Tóm tắt",
                    "Tôi thấy ưu điểm của chuẩn hoá.",
                    r"\sigma(z)",
                ),
                section(1, "", "Các bộ tối ưu nhanh hơn", "SGD thuần túy.", ""),
                section(
                    1,
                    "adam",
                    "Adam",
                    "Adam chia cho căn của v.",
                    r"\hat{m}_t / (\sqrt{\hat{v}_t} + \epsilon)",
                ),
                section(
                    1,
                    "chon-bo-toi-uu-nao",
                    "Chọn bộ tối ưu nào?",
                    "Bắt đầu với Adam.",
                    "",
                ),
            ],
        })
    }

    fn ids(results: &Results) -> Vec<String> {
        results
            .hits
            .iter()
            .map(|h| format!("{}#{}", h.slug, h.id))
            .collect()
    }

    fn marked(pieces: &[Piece]) -> Vec<&str> {
        pieces
            .iter()
            .filter(|p| p.marked)
            .map(|p| p.text.as_str())
            .collect()
    }

    #[test]
    fn heading_matches_rank_above_text_matches_then_reading_order() {
        let results = searcher().search("toi uu", 10);
        assert_eq!(
            ids(&results),
            [
                "06-optimizers#",
                "06-optimizers#chon-bo-toi-uu-nao",
                "00-why#",
                "00-why#tom-tat"
            ]
        );
        assert_eq!(results.total, 4);
        assert_eq!(marked(&results.hits[1].heading), ["tối", "ưu"]);
        assert_eq!(marked(&results.hits[2].snippet), ["tối", "ưu"]);
    }

    #[test]
    fn a_lessons_title_ranks_above_an_earlier_lessons_heading() {
        let lesson = |slug: &str, title: &str| IndexedLesson {
            slug: slug.into(),
            title: title.into(),
        };
        let searcher = Searcher::new(SearchIndex {
            version: INDEX_VERSION,
            language: Language::Vi,
            lessons: vec![
                lesson("03-activations", "Hàm kích hoạt"),
                lesson("04-normalization", "Chuẩn hóa theo lô"),
            ],
            sections: vec![
                section(0, "", "Hàm kích hoạt", "ReLU, ELU, SELU.", ""),
                section(0, "selu", "SELU và mạng tự chuẩn hóa", "Tự chuẩn hoá.", ""),
                section(1, "", "Chuẩn hóa theo lô", "Ioffe và Szegedy.", ""),
            ],
        });
        assert_eq!(
            ids(&searcher.search("chuan hoa", 10)),
            ["04-normalization#", "03-activations#selu"]
        );
    }

    #[test]
    fn words_side_by_side_rank_above_scattered_ones() {
        // "Tôi thấy ưu điểm" has both words, apart; "bộ tối ưu" has them together.
        let results = searcher().search("toi uu", 10);
        assert_eq!(results.hits[2].id, "");
        assert_eq!(results.hits[3].id, "tom-tat");
    }

    #[test]
    fn every_word_must_match_and_case_and_marks_do_not_matter() {
        assert_eq!(
            ids(&searcher().search("CHUAN HOA", 10)),
            ["00-why#", "00-why#tom-tat"]
        );
        assert_eq!(
            ids(&searcher().search("chuẩn hóa adam", 10)),
            Vec::<String>::new()
        );
        assert_eq!(searcher().search("  ,; ", 10), Results::default());
    }

    #[test]
    fn words_match_at_word_starts_only() {
        // "dam" is inside "Adam", not at a word start.
        assert_eq!(searcher().search("dam", 10).total, 0);
        assert_eq!(searcher().search("ada", 10).total, 2);
    }

    #[test]
    fn formulas_are_found_by_their_tex() {
        let results = searcher().search("sqrt", 10);
        assert_eq!(ids(&results), ["06-optimizers#adam"]);
        assert_eq!(marked(&results.hits[0].snippet), ["sqrt"]);
        assert_eq!(ids(&searcher().search("sigma", 10)), ["00-why#tom-tat"]);
    }

    #[test]
    fn the_limit_keeps_the_best_and_counts_all() {
        let results = searcher().search("toi", 1);
        assert_eq!(results.hits.len(), 1);
        assert_eq!(results.total, 4);
    }

    #[test]
    fn snippets_are_cut_at_words_around_the_match() {
        let long = format!(
            "{} mục tiêu tối ưu ở giữa {}",
            "chữ ".repeat(40),
            "đuôi ".repeat(60)
        );
        let pieces = snippet(&long, &query_words("toi uu"));
        let text: String = pieces.iter().map(|p| p.text.as_str()).collect();
        assert!(text.starts_with("…chữ "), "{text}");
        assert!(text.ends_with("đuôi…"), "{text}");
        assert!(text.chars().count() <= SNIPPET_LENGTH + 2, "{text}");
        assert_eq!(marked(&pieces), ["tối", "ưu"]);
        let short = snippet("Tối ưu", &query_words("toi"));
        assert_eq!(
            short,
            vec![
                Piece {
                    text: "Tối".into(),
                    marked: true
                },
                plain(" ưu")
            ]
        );
    }

    #[test]
    fn the_index_round_trips_through_json_without_empty_fields() {
        let index = searcher().index().clone();
        let json = serde_json::to_string(&index).unwrap_or_default();
        assert!(!json.contains("\"math\":\"\""), "{json}");
        let back: SearchIndex = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, index);
    }
}
