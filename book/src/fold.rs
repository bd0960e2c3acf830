//! Text folded for matching: lowercase, Vietnamese and common Latin diacritics dropped, `đ` → `d`.
//! One function for the heading anchors and the build-time search index (`render`) and for the
//! reader's query in the browser, so both sides always fold alike.
//!
//! Hand-made rather than `unicode-normalization` (NFD, then drop the marks) or `deunicode`: NFD
//! leaves `đ` alone, so a table was needed anyway; a precomposed letter folds to exactly one
//! letter, which keeps match positions simple to map back for the snippets; and the page's
//! bundle gets no Unicode tables. Decomposed input (base letter + combining marks, as some
//! Vietnamese keyboards type it) folds the same, because combining marks are dropped.

/// The base letter of a lowercase Latin letter with diacritics; other characters unchanged.
fn base_letter(c: char) -> char {
    match c {
        'à' | 'á' | 'ả' | 'ã' | 'ạ' | 'ă' | 'ằ' | 'ắ' | 'ẳ' | 'ẵ' | 'ặ' | 'â' | 'ầ' | 'ấ' | 'ẩ'
        | 'ẫ' | 'ậ' | 'ä' | 'å' | 'ā' | 'ą' => 'a',
        'è' | 'é' | 'ẻ' | 'ẽ' | 'ẹ' | 'ê' | 'ề' | 'ế' | 'ể' | 'ễ' | 'ệ' | 'ë' | 'ē' | 'ę' | 'ě' => {
            'e'
        }
        'ì' | 'í' | 'ỉ' | 'ĩ' | 'ị' | 'ï' | 'î' | 'ī' => 'i',
        'ò' | 'ó' | 'ỏ' | 'õ' | 'ọ' | 'ô' | 'ồ' | 'ố' | 'ổ' | 'ỗ' | 'ộ' | 'ơ' | 'ờ' | 'ớ' | 'ở'
        | 'ỡ' | 'ợ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ù' | 'ú' | 'ủ' | 'ũ' | 'ụ' | 'ư' | 'ừ' | 'ứ' | 'ử' | 'ữ' | 'ự' | 'ü' | 'û' | 'ū' | 'ů'
        | 'ű' => 'u',
        'ỳ' | 'ý' | 'ỷ' | 'ỹ' | 'ỵ' | 'ÿ' => 'y',
        'đ' => 'd',
        'ç' | 'ć' | 'č' => 'c',
        'ñ' | 'ń' | 'ň' => 'n',
        'ś' | 'š' | 'ş' => 's',
        'ź' | 'ž' | 'ż' => 'z',
        'ł' => 'l',
        'ř' => 'r',
        'ğ' => 'g',
        other => other,
    }
}

/// Whether `c` is a combining diacritical mark (U+0300–U+036F), as in decomposed text.
fn is_combining_mark(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// Appends the folded form of `c` to `out`: nothing for a combining mark, usually one character.
pub fn fold_char_into(c: char, out: &mut String) {
    for lower in c.to_lowercase() {
        if !is_combining_mark(lower) {
            out.push(base_letter(lower));
        }
    }
}

/// `text` folded: `"Chuẩn hoá"` → `"chuan hoa"`, `"Tối ưu"` → `"toi uu"`, `"Đạo"` → `"dao"`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char_into(c, &mut out);
    }
    out
}

/// `text` folded, with where each folded byte came from: `origin[i]` is the byte offset in
/// `text` of the character that made folded byte `i`, and `origin[folded.len()]` is `text.len()`.
/// Used to mark in the original text what matched in the folded one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Folded {
    /// The folded text.
    pub text: String,
    origin: Vec<usize>,
    source_len: usize,
}

impl Folded {
    /// Folds `source`, remembering the origin of each folded byte.
    pub fn new(source: &str) -> Folded {
        let mut text = String::with_capacity(source.len());
        let mut origin = Vec::with_capacity(source.len() + 1);
        for (at, c) in source.char_indices() {
            let before = text.len();
            fold_char_into(c, &mut text);
            origin.resize(origin.len() + (text.len() - before), at);
        }
        origin.push(source.len());
        Folded {
            text,
            origin,
            source_len: source.len(),
        }
    }

    /// The byte range in the source of the folded byte range `start..end`, widened to whole
    /// source characters, and over the combining marks that follow them.
    pub fn source_range(&self, source: &str, start: usize, end: usize) -> (usize, usize) {
        let from = self.origin.get(start).copied().unwrap_or(self.source_len);
        if end <= start {
            return (from, from);
        }
        let last = self.origin.get(end - 1).copied().unwrap_or(self.source_len);
        let mut to = source[last..]
            .chars()
            .next()
            .map_or(self.source_len, |c| last + c.len_utf8());
        for c in source[to..].chars() {
            if !is_combining_mark(c) {
                break;
            }
            to += c.len_utf8();
        }
        (from, to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every precomposed Vietnamese letter, lower then upper case, and the same letters in
    /// Unicode's canonical decomposition (NFD, from Python's `unicodedata`).
    const PRECOMPOSED: &str = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ\
        ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ";
    const DECOMPOSED: &str = "a\u{300}a\u{301}a\u{309}a\u{303}a\u{323}a\u{306}a\u{306}\u{300}a\u{306}\u{301}a\u{306}\u{309}a\u{306}\u{303}a\u{323}\u{306}a\u{302}a\u{302}\u{300}a\u{302}\u{301}a\u{302}\u{309}a\u{302}\u{303}a\u{323}\u{302}\
        e\u{300}e\u{301}e\u{309}e\u{303}e\u{323}e\u{302}e\u{302}\u{300}e\u{302}\u{301}e\u{302}\u{309}e\u{302}\u{303}e\u{323}\u{302}\
        i\u{300}i\u{301}i\u{309}i\u{303}i\u{323}\
        o\u{300}o\u{301}o\u{309}o\u{303}o\u{323}o\u{302}o\u{302}\u{300}o\u{302}\u{301}o\u{302}\u{309}o\u{302}\u{303}o\u{323}\u{302}o\u{31b}o\u{31b}\u{300}o\u{31b}\u{301}o\u{31b}\u{309}o\u{31b}\u{303}o\u{31b}\u{323}\
        u\u{300}u\u{301}u\u{309}u\u{303}u\u{323}u\u{31b}u\u{31b}\u{300}u\u{31b}\u{301}u\u{31b}\u{309}u\u{31b}\u{303}u\u{31b}\u{323}\
        y\u{300}y\u{301}y\u{309}y\u{303}y\u{323}\u{111}\
        A\u{300}A\u{301}A\u{309}A\u{303}A\u{323}A\u{306}A\u{306}\u{300}A\u{306}\u{301}A\u{306}\u{309}A\u{306}\u{303}A\u{323}\u{306}A\u{302}A\u{302}\u{300}A\u{302}\u{301}A\u{302}\u{309}A\u{302}\u{303}A\u{323}\u{302}\
        E\u{300}E\u{301}E\u{309}E\u{303}E\u{323}E\u{302}E\u{302}\u{300}E\u{302}\u{301}E\u{302}\u{309}E\u{302}\u{303}E\u{323}\u{302}\
        I\u{300}I\u{301}I\u{309}I\u{303}I\u{323}\
        O\u{300}O\u{301}O\u{309}O\u{303}O\u{323}O\u{302}O\u{302}\u{300}O\u{302}\u{301}O\u{302}\u{309}O\u{302}\u{303}O\u{323}\u{302}O\u{31b}O\u{31b}\u{300}O\u{31b}\u{301}O\u{31b}\u{309}O\u{31b}\u{303}O\u{31b}\u{323}\
        U\u{300}U\u{301}U\u{309}U\u{303}U\u{323}U\u{31b}U\u{31b}\u{300}U\u{31b}\u{301}U\u{31b}\u{309}U\u{31b}\u{303}U\u{31b}\u{323}\
        Y\u{300}Y\u{301}Y\u{309}Y\u{303}Y\u{323}\u{110}";

    #[test]
    fn every_vietnamese_letter_folds_alike_precomposed_or_decomposed() {
        let bases = "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd";
        let expected = format!("{bases}{bases}");
        assert_eq!(PRECOMPOSED.chars().count(), 134);
        assert_eq!(fold(PRECOMPOSED), expected);
        assert_eq!(fold(DECOMPOSED), expected);
    }

    #[test]
    fn queries_without_marks_meet_the_text() {
        assert_eq!(fold("Tối ưu"), "toi uu");
        assert_eq!(fold("chuẩn hoá"), fold("Chuẩn hóa"));
        assert_eq!(fold("Chuẩn hóa"), "chuan hoa");
        assert_eq!(fold("ĐẠO HÀM"), "dao ham");
        assert_eq!(fold("Batch Normalization"), "batch normalization");
        assert_eq!(fold("σ′(z) ≤ ¼"), "σ′(z) ≤ ¼");
        assert_eq!(fold("Σ"), "σ");
    }

    #[test]
    fn folded_ranges_map_back_to_whole_source_letters() {
        let source = "Bộ tối ưu";
        let folded = Folded::new(source);
        assert_eq!(folded.text, "bo toi uu");
        let at = folded.text.find("toi uu").unwrap_or(0);
        let (from, to) = folded.source_range(source, at, at + "toi uu".len());
        assert_eq!(&source[from..to], "tối ưu");
        let decomposed = "hoa\u{301} x";
        let folded = Folded::new(decomposed);
        assert_eq!(folded.text, "hoa x");
        let (from, to) = folded.source_range(decomposed, 0, 3);
        assert_eq!(&decomposed[from..to], "hoa\u{301}");
        assert_eq!(
            folded.source_range(decomposed, 5, 5),
            (decomposed.len(), decomposed.len())
        );
    }
}
