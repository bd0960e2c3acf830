//! Code highlighting at build time (syntect, pure Rust): classes only, colours live in the CSS.

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use super::escape;

/// Languages a fenced block may name, with the syntect token for each.
const LANGUAGES: [(&str, &str); 8] = [
    ("python", "py"),
    ("rust", "rs"),
    ("bash", "sh"),
    ("sh", "sh"),
    ("toml", "toml"),
    ("json", "json"),
    ("text", "txt"),
    ("", "txt"),
];

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Renders a fenced code block as `<pre><code>` with `hl-*` classes.
pub(crate) fn highlight(language: &str, code: &str) -> Result<String, String> {
    let Some((_, token)) = LANGUAGES.iter().find(|(name, _)| *name == language) else {
        let names: Vec<&str> = LANGUAGES
            .iter()
            .map(|(n, _)| *n)
            .filter(|n| !n.is_empty())
            .collect();
        return Err(format!(
            "unknown code language \"{language}\"; expected one of: {}",
            names.join(", ")
        ));
    };
    let label = if language.is_empty() {
        "text"
    } else {
        language
    };
    let set = syntaxes();
    let body = match set.find_syntax_by_token(token) {
        Some(syntax) if *token != "txt" => {
            let style = ClassStyle::SpacedPrefixed { prefix: "hl-" };
            let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, style);
            for line in LinesWithEndings::from(code) {
                generator
                    .parse_html_for_line_which_includes_newline(line)
                    .map_err(|e| format!("cannot highlight {language} code: {e}"))?;
            }
            generator.finalize()
        }
        _ => escape(code),
    };
    Ok(format!(
        "<pre class=\"code\" data-lang=\"{label}\"><code>{body}</code></pre>"
    ))
}

#[cfg(test)]
mod tests {
    use super::highlight;

    #[test]
    fn python_keywords_get_classes() {
        let html = highlight("python", "def f(x):\n    return x + 1\n").unwrap();
        assert!(
            html.contains("hl-keyword") || html.contains("hl-storage"),
            "{html}"
        );
        assert!(html.contains("data-lang=\"python\""), "{html}");
    }

    #[test]
    fn rust_is_highlighted_and_escaped() {
        let html = highlight("rust", "fn f() -> Vec<u8> { vec![] }\n").unwrap();
        assert!(html.contains("hl-"), "{html}");
        assert!(
            html.contains("&lt;") && html.contains("&gt;") && !html.contains("<u8>"),
            "{html}"
        );
    }

    #[test]
    fn plain_text_is_escaped_and_unknown_languages_refused() {
        assert!(highlight("text", "<b>\n").unwrap().contains("&lt;b&gt;"));
        let err = highlight("pyhton", "x\n").unwrap_err();
        assert!(err.contains("unknown code language \"pyhton\""), "{err}");
    }
}
