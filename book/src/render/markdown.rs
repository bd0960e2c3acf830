//! Markdown segments to HTML: CommonMark + tables + GFM callouts, with math as MathML, code
//! highlighted, headings anchored, lone images as figures, links to lessons resolved and raw HTML
//! escaped.

use std::collections::HashSet;
use std::path::Path;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html,
};

use super::directive::INCLUDED;
use super::{escape, highlight::highlight, math::to_mathml, slug::slugify};
use crate::{Heading, Language};

/// Renders the Markdown segments of one lesson, keeping state shared between segments.
#[derive(Debug)]
pub(crate) struct LessonRenderer<'a> {
    pub(crate) language: Language,
    pub(crate) slug: &'a str,
    /// Every lesson slug of the book, for checking links.
    pub(crate) slugs: &'a [String],
    /// The site's static folder, for checking image paths.
    pub(crate) public: &'a Path,
    pub(crate) title: Option<String>,
    pub(crate) headings: Vec<Heading>,
    /// Links to headings of lessons (`slug`, `fragment`, 0-based line in the segment), checked
    /// once every lesson of the book is known.
    pub(crate) anchor_links: Vec<(String, String, usize)>,
    ids: HashSet<String>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_MATH
        | Options::ENABLE_GFM
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_STRIKETHROUGH
}

/// The characters a reader sees in a MathML fragment (tags and the TeX annotation dropped).
pub(super) fn mathml_text(mathml: &str) -> String {
    let visible = match (mathml.find("<annotation"), mathml.find("</annotation>")) {
        (Some(start), Some(end)) => format!("{}{}", &mathml[..start], &mathml[end..]),
        _ => mathml.to_string(),
    };
    let mut text = String::new();
    let mut in_tag = false;
    let mut chars = visible.chars().peekable();
    while let Some(c) = chars.next() {
        // pulldown-latex writes `<` and `>` operators unescaped (`<mo>></mo>`): a `<` opens a
        // tag only before a letter or `/`, and a `>` closes one only inside a tag.
        let opens = c == '<'
            && chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == '/');
        match c {
            '<' if opens => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn plain_text(events: &[Event]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => text.push_str(t),
            Event::InlineHtml(html) if html.starts_with("<math") => {
                text.push_str(&mathml_text(html))
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_string()
}

impl<'a> LessonRenderer<'a> {
    pub(crate) fn new(
        language: Language,
        slug: &'a str,
        slugs: &'a [String],
        public: &'a Path,
    ) -> Self {
        LessonRenderer {
            language,
            slug,
            slugs,
            public,
            title: None,
            headings: Vec::new(),
            anchor_links: Vec::new(),
            ids: HashSet::new(),
        }
    }

    fn callout_title(&self, kind: BlockQuoteKind) -> (&'static str, &'static str) {
        let vi = self.language == Language::Vi;
        match kind {
            BlockQuoteKind::Note => ("note", if vi { "Ghi chú" } else { "Note" }),
            BlockQuoteKind::Tip => ("tip", if vi { "Mẹo" } else { "Tip" }),
            BlockQuoteKind::Important => ("important", if vi { "Quan trọng" } else { "Important" }),
            BlockQuoteKind::Warning => ("warning", if vi { "Cảnh báo" } else { "Warning" }),
            BlockQuoteKind::Caution => ("caution", if vi { "Thận trọng" } else { "Caution" }),
        }
    }

    /// Renders one Markdown segment; errors carry the 0-based line inside `text`.
    pub(crate) fn render(&mut self, text: &str) -> Result<String, (usize, String)> {
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count();
        let mut out: Vec<Event> = Vec::new();
        // Inline events held back while a heading, paragraph, code block or image is open.
        let mut held: Option<(Tag, Vec<Event>, usize)> = None;
        for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
            let at = |message: String| (line_of(range.start), message);
            if let Event::Start(Tag::Link { dest_url, .. }) = &event {
                self.note_anchor_link(dest_url, line_of(range.start));
            }
            let event = self.convert_leaf(event).map_err(at)?;
            if let Some((tag, inner, start)) = held.as_mut() {
                let closes = matches!(
                    (&*tag, &event),
                    (Tag::Heading { .. }, Event::End(TagEnd::Heading(_)))
                        | (Tag::Paragraph, Event::End(TagEnd::Paragraph))
                        | (Tag::CodeBlock(_), Event::End(TagEnd::CodeBlock))
                );
                if !closes {
                    inner.push(event);
                    continue;
                }
                let start = *start;
                let (tag, inner, _) = held.take().unwrap_or((Tag::Paragraph, Vec::new(), start));
                let html = self.close(tag, inner).map_err(|m| (line_of(start), m))?;
                out.extend(html);
                continue;
            }
            match event {
                Event::Start(tag @ (Tag::Heading { .. } | Tag::Paragraph | Tag::CodeBlock(_))) => {
                    held = Some((tag, Vec::new(), range.start));
                }
                Event::Start(Tag::BlockQuote(Some(kind))) => {
                    let (class, title) = self.callout_title(kind);
                    out.push(Event::Html(
                        format!("<aside class=\"callout callout-{class}\"><p class=\"callout-title\">{title}</p>\n").into(),
                    ));
                }
                Event::End(TagEnd::BlockQuote(Some(_))) => {
                    out.push(Event::Html("</aside>\n".into()))
                }
                Event::Start(Tag::Table(alignments)) => {
                    out.push(Event::Html("<div class=\"table-wrap\">".into()));
                    out.push(Event::Start(Tag::Table(alignments)));
                }
                Event::End(TagEnd::Table) => {
                    out.push(Event::End(TagEnd::Table));
                    out.push(Event::Html("</div>\n".into()));
                }
                other => out.push(other),
            }
        }
        let mut html_out = String::new();
        html::push_html(&mut html_out, out.into_iter());
        Ok(html_out)
    }

    /// Math to MathML, raw HTML to text, lesson links to routes: per-event conversions.
    fn convert_leaf<'e>(&self, event: Event<'e>) -> Result<Event<'e>, String> {
        Ok(match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.link_target(&dest_url)?.into();
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::InlineMath(latex) => Event::InlineHtml(to_mathml(&latex, false)?.into()),
            Event::DisplayMath(latex) => Event::InlineHtml(to_mathml(&latex, true)?.into()),
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => Event::Text("".into()),
            other => other,
        })
    }

    /// Finishes a held heading, paragraph or code block.
    fn close<'e>(&mut self, tag: Tag<'e>, inner: Vec<Event<'e>>) -> Result<Vec<Event<'e>>, String> {
        match tag {
            Tag::Heading { level, id, .. } => self.heading(level, id, inner),
            Tag::CodeBlock(kind) => {
                let (language, included) = match &kind {
                    CodeBlockKind::Fenced(info) => (
                        info.split_whitespace().next().unwrap_or(""),
                        info.split_whitespace().any(|word| word == INCLUDED),
                    ),
                    CodeBlockKind::Indented => ("", false),
                };
                let code: String = inner
                    .iter()
                    .map(|e| match e {
                        Event::Text(t) => t.as_ref(),
                        _ => "",
                    })
                    .collect();
                let html = highlight(language, &code)?;
                if !included {
                    return Ok(vec![Event::Html(html.into())]);
                }
                // The site's own code, folded: readers who know PyTorch open it when they want.
                let title = match self.language {
                    Language::Vi => "Mã Rust (Burn) mà widget chạy",
                    Language::En => "The Rust (Burn) code the widget runs",
                };
                Ok(vec![Event::Html(
                    format!(
                        "<details class=\"listing\"><summary>{title}</summary>\n{html}</details>\n"
                    )
                    .into(),
                )])
            }
            _ => self.paragraph(inner),
        }
    }

    fn heading<'e>(
        &mut self,
        level: HeadingLevel,
        explicit: Option<CowStr<'e>>,
        inner: Vec<Event<'e>>,
    ) -> Result<Vec<Event<'e>>, String> {
        let text = plain_text(&inner);
        if level == HeadingLevel::H1 {
            if self.title.is_some() {
                return Err(format!(
                    "a lesson has one \"# \" title; found a second: \"{text}\""
                ));
            }
            self.title = Some(text);
            return Ok(Vec::new());
        }
        if self.title.is_none() {
            return Err("a lesson starts with its \"# Title\"".into());
        }
        let base = explicit.map_or_else(|| slugify(&text), |id| id.to_string());
        let mut id = base.clone();
        let mut n = 2;
        while !self.ids.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        let number = match level {
            HeadingLevel::H2 => 2,
            HeadingLevel::H3 => 3,
            _ => 4,
        };
        if number <= 3 {
            self.headings.push(Heading {
                level: number,
                id: id.clone(),
                text,
            });
        }
        let mut inner_html = String::new();
        html::push_html(&mut inner_html, inner.into_iter());
        let href = format!("{}/{}#{id}", self.language.code(), self.slug);
        Ok(vec![Event::Html(
            format!(
                "<h{number} id=\"{id}\">{inner_html}<a class=\"heading-anchor\" href=\"{href}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{number}>\n"
            )
            .into(),
        )])
    }

    /// A paragraph; one that holds a single image becomes a `<figure>` with its title as caption.
    fn paragraph<'e>(&self, inner: Vec<Event<'e>>) -> Result<Vec<Event<'e>>, String> {
        for event in &inner {
            if let Event::Start(Tag::Image { dest_url, .. }) = event {
                self.check_image(dest_url)?;
            }
        }
        let is_figure = matches!(inner.first(), Some(Event::Start(Tag::Image { .. })))
            && matches!(inner.last(), Some(Event::End(TagEnd::Image)))
            && inner
                .iter()
                .filter(|e| matches!(e, Event::Start(Tag::Image { .. })))
                .count()
                == 1;
        if let (
            true,
            Some(Event::Start(Tag::Image {
                dest_url, title, ..
            })),
        ) = (is_figure, inner.first())
        {
            let alt = plain_text(&inner);
            let caption = if title.is_empty() {
                alt.clone()
            } else {
                title.to_string()
            };
            return Ok(vec![Event::Html(
                format!(
                    "<figure><img src=\"{}\" alt=\"{}\" loading=\"lazy\"><figcaption>{}</figcaption></figure>\n",
                    escape(dest_url),
                    escape(&alt),
                    escape(&caption)
                )
                .into(),
            )]);
        }
        let mut events = vec![Event::Start(Tag::Paragraph)];
        events.extend(inner);
        events.push(Event::End(TagEnd::Paragraph));
        Ok(events)
    }

    fn check_image(&self, url: &str) -> Result<(), String> {
        if url.contains("://") || url.starts_with('/') {
            return Err(format!(
                "image \"{url}\" must be a relative path under public/"
            ));
        }
        if !self.public.join(url).is_file() {
            return Err(format!("image \"{url}\" is not in public/"));
        }
        Ok(())
    }

    /// Remembers a `NN-slug.md#anchor` or `#anchor` link for the anchor check.
    fn note_anchor_link(&mut self, url: &str, line: usize) {
        if url.contains("://") {
            return;
        }
        let Some((path, fragment)) = url.split_once('#') else {
            return;
        };
        let slug = if path.is_empty() {
            self.slug
        } else {
            path.trim_end_matches(".md")
        };
        self.anchor_links
            .push((slug.to_string(), fragment.to_string(), line));
    }

    /// Rewrites `NN-slug.md#anchor` links to the lesson route; leaves other links alone.
    fn link_target(&self, url: &str) -> Result<String, String> {
        if url.contains("://") || url.starts_with('#') || url.starts_with("mailto:") {
            return Ok(url.to_string());
        }
        let (path, fragment) = url.split_once('#').unwrap_or((url, ""));
        let Some(slug) = path.strip_suffix(".md") else {
            return Ok(url.to_string());
        };
        if !self.slugs.iter().any(|s| s == slug) {
            return Err(format!("link to unknown lesson \"{path}\""));
        }
        let lang = self.language.code();
        Ok(if fragment.is_empty() {
            format!("{lang}/{slug}")
        } else {
            format!("{lang}/{slug}#{fragment}")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(text: &str) -> Result<(String, LessonRenderer<'static>), (usize, String)> {
        static SLUGS: [String; 0] = [];
        let mut renderer = LessonRenderer::new(Language::En, "01-x", &SLUGS, Path::new("."));
        let html = renderer.render(text)?;
        Ok((html, renderer))
    }

    #[test]
    fn title_headings_and_anchors() {
        let (html, r) =
            render("# The title\n\n## Khởi tạo He\n\n### Again {#mine}\n\n## Khởi tạo He\n")
                .unwrap();
        assert_eq!(r.title.as_deref(), Some("The title"));
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["khoi-tao-he", "mine", "khoi-tao-he-2"]);
        assert!(!html.contains("<h1"), "{html}");
        assert!(html.contains("<h2 id=\"khoi-tao-he\">"), "{html}");
        assert!(html.contains("href=\"en/01-x#mine\""), "{html}");
    }

    #[test]
    fn only_included_code_is_folded() {
        let (html, _) =
            render("# T\n\n```python\nx = 1\n```\n\n```rust dl101-included\nlet x = 1;\n```\n")
                .unwrap();
        assert_eq!(
            html.matches("<details class=\"listing\">").count(),
            1,
            "{html}"
        );
        let folded = html.find("<details").unwrap_or(0);
        assert!(html[..folded].contains("data-lang=\"python\""), "{html}");
        assert!(html[folded..].contains("data-lang=\"rust\""), "{html}");
    }

    #[test]
    fn math_in_a_heading_reaches_the_contents_as_text() {
        let (_, r) = render("# T\n\n## Race at $\\eta = 0.05$\n").unwrap();
        assert_eq!(r.headings[0].text, "Race at η=0.05");
    }

    #[test]
    fn unescaped_comparison_operators_stay_in_the_text() {
        let mathml = to_mathml("z > 0 < 1", false).unwrap();
        assert_eq!(mathml_text(&mathml), "z>0<1");
    }

    #[test]
    fn math_becomes_mathml_with_its_line() {
        let (html, _) = render("# T\n\nInline $x^2$ and\n\n$$\n\\frac{1}{4}\n$$\n").unwrap();
        assert!(html.contains("<math"), "{html}");
        assert!(html.contains("display=\"block\""), "{html}");
        let (line, message) = render("# T\n\nok\n\nbad $\\notacommand{1}$ here\n").unwrap_err();
        assert_eq!(line, 4);
        assert!(message.contains("bad math"), "{message}");
    }

    #[test]
    fn raw_html_is_escaped_not_injected() {
        let (html, _) = render("# T\n\n<script>alert(1)</script>\n\nText <b>bold</b>\n").unwrap();
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
    }

    #[test]
    fn callouts_code_and_tables() {
        let (html, _) = render(
            "# T\n\n> [!WARNING]\n> Careful.\n\n```python\nimport torch\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        )
        .unwrap();
        assert!(html.contains("callout-warning"), "{html}");
        assert!(
            html.contains("<p class=\"callout-title\">Warning</p>"),
            "{html}"
        );
        assert!(html.contains("data-lang=\"python\""), "{html}");
        assert!(html.contains("<table>"), "{html}");
    }

    #[test]
    fn missing_title_and_second_title_are_errors() {
        assert!(
            render("## No title\n")
                .unwrap_err()
                .1
                .contains("starts with")
        );
        assert!(
            render("# A\n\n# B\n")
                .unwrap_err()
                .1
                .contains("one \"# \" title")
        );
    }

    #[test]
    fn images_must_exist_and_links_must_name_lessons() {
        let err = render("# T\n\n![a](img/none.svg \"c\")\n").unwrap_err().1;
        assert!(err.contains("not in public/"), "{err}");
        let err = render("# T\n\nSee [x](99-nothing.md).\n").unwrap_err().1;
        assert!(err.contains("unknown lesson"), "{err}");
    }
}
