//! Heading anchors: ASCII, lowercase, hyphenated, diacritics folded by [`crate::fold`] (`Khởi tạo` → `khoi-tao`).

/// Math letters common in headings, spelled as in LaTeX (`ℓ₂` → `ell-2`, `η` → `eta`).
fn spell(c: char) -> Option<&'static str> {
    const NAMES: [(char, &str); 12] = [
        ('ℓ', "ell"),
        ('α', "alpha"),
        ('β', "beta"),
        ('γ', "gamma"),
        ('ε', "epsilon"),
        ('η', "eta"),
        ('θ', "theta"),
        ('λ', "lambda"),
        ('μ', "mu"),
        ('σ', "sigma"),
        ('τ', "tau"),
        ('ψ', "psi"),
    ];
    NAMES
        .iter()
        .find(|(letter, _)| *letter == c)
        .map(|(_, name)| *name)
}

/// The anchor for a heading's text.
pub(crate) fn slugify(text: &str) -> String {
    let mut spelled = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        match spell(c) {
            Some(name) => {
                spelled.push(' ');
                spelled.push_str(name);
                spelled.push(' ');
            }
            None => spelled.push(c),
        }
    }
    let mut slug = String::new();
    let mut gap = false;
    for c in crate::fold::fold(&spelled).chars() {
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
        assert_eq!(slugify("Đạo hàm σ′ ≤ 1/4"), "dao-ham-sigma-1-4");
        assert_eq!(slugify("  Tóm tắt  "), "tom-tat");
        assert_eq!(slugify("∑"), "section");
        assert_eq!(slugify("ỨNG DỤNG"), "ung-dung");
        assert_eq!(slugify("Phạt ℓ2 và ℓ1"), "phat-ell-2-va-ell-1");
        assert_eq!(slugify("Cuộc đua ở η=0.05"), "cuoc-dua-o-eta-0-05");
    }
}
