//! Heading anchors: ASCII, lowercase, hyphenated, Vietnamese diacritics folded (`Khởi tạo` → `khoi-tao`).

/// The base letter of a Latin letter with diacritics (Vietnamese and common Western ones).
fn fold(c: char) -> char {
    const GROUPS: [(&str, char); 7] = [
        ("àáảãạăằắẳẵặâầấẩẫậäå", 'a'),
        ("èéẻẽẹêềếểễệë", 'e'),
        ("ìíỉĩịïî", 'i'),
        ("òóỏõọôồốổỗộơờớởỡợöø", 'o'),
        ("ùúủũụưừứửữựüû", 'u'),
        ("ỳýỷỹỵÿ", 'y'),
        ("đ", 'd'),
    ];
    GROUPS
        .iter()
        .find(|(letters, _)| letters.contains(c))
        .map_or(c, |(_, base)| *base)
}

/// The anchor for a heading's text.
pub(crate) fn slugify(text: &str) -> String {
    let mut slug = String::new();
    let mut gap = false;
    for c in text.chars().flat_map(char::to_lowercase).map(fold) {
        if c.is_ascii_alphanumeric() {
            if gap && !slug.is_empty() {
                slug.push('-');
            }
            slug.push(c);
            gap = false;
        } else {
            gap = true;
        }
    }
    if slug.is_empty() {
        "section".into()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn folds_vietnamese_and_punctuation() {
        assert_eq!(
            slugify("Khởi tạo He (He initialization)"),
            "khoi-tao-he-he-initialization"
        );
        assert_eq!(slugify("Đạo hàm σ′ ≤ 1/4"), "dao-ham-1-4");
        assert_eq!(slugify("  Tóm tắt  "), "tom-tat");
        assert_eq!(slugify("∑"), "section");
        assert_eq!(slugify("ỨNG DỤNG"), "ung-dung");
    }
}
