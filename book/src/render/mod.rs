//! Build-time compiler: `content/summary.toml` + `content/<lang>/<slug>.md` → [`Book`]s.
//! Every mistake is a [`ContentError`] naming the file and line.

mod directive;
mod highlight;
mod include;
mod markdown;
mod math;
pub mod page;
pub mod search;
pub mod site;
mod slug;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::{Block, Book, Language, Lesson};
use directive::{Directive, Segment};
use markdown::LessonRenderer;

/// A mistake in the content, located at `file:line`.
#[derive(Debug, thiserror::Error)]
#[error("{}:{line}: {message}", file.display())]
pub struct ContentError {
    /// The file at fault.
    pub file: PathBuf,
    /// Its 1-based line (1 when the fault is the whole file).
    pub line: usize,
    /// What is wrong and what was expected.
    pub message: String,
}

/// All the books, plus every file they were built from (for rebuild tracking).
#[derive(Debug)]
pub struct Compiled {
    /// One book per language, in [`Language::ALL`] order.
    pub books: Vec<Book>,
    /// Lesson sources, the summary, and every included source file.
    pub inputs: Vec<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Summary {
    languages: Vec<String>,
    sections: Vec<String>,
}

/// Escapes text for HTML content and attribute values.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn error(file: &Path, line: usize, message: impl fmt::Display) -> ContentError {
    ContentError {
        file: file.to_path_buf(),
        line,
        message: message.to_string(),
    }
}

fn read_summary(path: &Path) -> Result<Summary, ContentError> {
    let text = std::fs::read_to_string(path).map_err(|e| error(path, 1, e))?;
    let summary: Summary = toml::from_str(&text).map_err(|e| {
        let line = e
            .span()
            .map_or(1, |span| text[..span.start].matches('\n').count() + 1);
        error(path, line, e.message())
    })?;
    let codes: Vec<&str> = Language::ALL.iter().map(|l| l.code()).collect();
    if summary.languages != codes {
        return Err(error(path, 1, format!("languages must be {codes:?}")));
    }
    for (index, slug) in summary.sections.iter().enumerate() {
        let valid = !slug.is_empty()
            && slug
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !valid || summary.sections[..index].contains(slug) {
            return Err(error(
                path,
                1,
                format!("section \"{slug}\" must be unique and [a-z0-9-]"),
            ));
        }
    }
    Ok(summary)
}

/// A `{{#check}}` or `{{#advanced}}` that has not met its `{{#end}}` yet.
#[derive(Clone, Copy)]
enum Open {
    Check { line: usize, answered: bool },
    Experiment { line: usize, answered: bool },
    Advanced { line: usize },
}

impl Open {
    fn line(self) -> usize {
        match self {
            Open::Check { line, .. } | Open::Experiment { line, .. } | Open::Advanced { line } => {
                line
            }
        }
    }
    fn name(self) -> &'static str {
        match self {
            Open::Check { .. } => "{{#check}}",
            Open::Experiment { .. } => "{{#experiment}}",
            Open::Advanced { .. } => "{{#advanced}}",
        }
    }
    fn not_closed(self) -> String {
        format!("{} of line {} is not closed", self.name(), self.line())
    }
    fn unclosed(self) -> &'static str {
        match self {
            Open::Check { .. } => "{{#check}} is not closed by {{#answer}} … {{#end}}",
            Open::Experiment { .. } => "{{#experiment}} is not closed by {{#answer}} … {{#end}}",
            Open::Advanced { .. } => "{{#advanced}} is not closed by {{#end}}",
        }
    }
}

/// One lesson file compiled, with its directives for the parity check.
struct Compiled1 {
    lesson: Lesson,
    directives: Vec<Directive>,
    included: Vec<PathBuf>,
    /// Links to lesson headings: (slug, fragment, source line).
    anchor_links: Vec<(String, String, usize)>,
}

fn compile_lesson(
    file: &Path,
    root: &Path,
    language: Language,
    slug: &str,
    slugs: &[String],
) -> Result<Compiled1, ContentError> {
    let source = std::fs::read_to_string(file)
        .map_err(|e| error(file, 1, format!("cannot read lesson: {e}")))?;
    let (segments, directives, included) =
        directive::split(&source, root).map_err(|(line, message)| error(file, line, message))?;
    let public = root.join("public");
    let mut renderer = LessonRenderer::new(language, slug, slugs, &public);
    let mut blocks = Vec::new();
    let mut html = String::new();
    // The {{#check}} or {{#advanced}} that is open, if any.
    let mut open: Option<Open> = None;
    // The experiment being read, and its question once `{{#answer}}` is met.
    let mut pending: Option<(Box<crate::Experiment>, String)> = None;
    let (show, hide, advanced) = match language {
        Language::Vi => ("Xem đáp án", "Tự kiểm tra", "Nâng cao"),
        Language::En => ("Show answer", "Check yourself", "Advanced"),
    };
    let mut anchor_links = Vec::new();
    for segment in segments {
        match segment {
            Segment::Markdown { text, lines } => {
                let rendered = renderer.render(&text).map_err(|(index, message)| {
                    error(file, lines.get(index).copied().unwrap_or(1), message)
                })?;
                html.push_str(&rendered);
                for (slug, fragment, index) in renderer.anchor_links.drain(..) {
                    anchor_links.push((slug, fragment, lines.get(index).copied().unwrap_or(1)));
                }
            }
            Segment::Widget { spec, line } => {
                if let Some(open) = open {
                    return Err(error(
                        file,
                        line,
                        format!("a widget cannot stand inside {}", open.name()),
                    ));
                }
                if renderer.title.is_none() {
                    return Err(error(file, line, "a lesson starts with its \"# Title\""));
                }
                if !html.is_empty() {
                    blocks.push(Block::Html(std::mem::take(&mut html)));
                }
                blocks.push(Block::Widget(spec));
            }
            Segment::Experiment { experiment, line } => {
                if let Some(open) = open {
                    return Err(error(file, line, open.not_closed()));
                }
                open = Some(Open::Experiment {
                    line,
                    answered: false,
                });
                pending = Some((experiment, String::new()));
            }
            Segment::Check { line } => {
                if let Some(open) = open {
                    return Err(error(file, line, open.not_closed()));
                }
                open = Some(Open::Check {
                    line,
                    answered: false,
                });
                html.push_str(&format!(
                    "<div class=\"check\" role=\"group\"><p class=\"check-title\">{hide}</p><div class=\"check-question\">"
                ));
            }
            Segment::Advanced { title, line } => {
                if let Some(open) = open {
                    return Err(error(file, line, open.not_closed()));
                }
                open = Some(Open::Advanced { line });
                html.push_str(&format!(
                    "<details class=\"advanced\"><summary><span class=\"advanced-badge\">{advanced}</span> {}</summary><div class=\"advanced-body\">\n",
                    escape(&title)
                ));
            }
            Segment::Answer { line } => match open {
                Some(Open::Check {
                    line: start,
                    answered: false,
                }) => {
                    open = Some(Open::Check {
                        line: start,
                        answered: true,
                    });
                    html.push_str(&format!(
                        "</div><details class=\"check-answer\"><summary>{show}</summary><div>"
                    ));
                }
                Some(Open::Experiment {
                    line: start,
                    answered: false,
                }) => {
                    open = Some(Open::Experiment {
                        line: start,
                        answered: true,
                    });
                    if let Some((_, question)) = pending.as_mut() {
                        *question = std::mem::take(&mut html);
                    }
                }
                _ => {
                    return Err(error(
                        file,
                        line,
                        "{{#answer}} must follow a {{#check}} or {{#experiment}} question",
                    ));
                }
            },
            Segment::End { line } => match open {
                Some(Open::Check { answered: true, .. }) => {
                    open = None;
                    html.push_str("</div></details></div>\n");
                }
                Some(Open::Advanced { .. }) => {
                    open = None;
                    html.push_str("</div></details>\n");
                }
                Some(Open::Experiment { answered: true, .. }) => {
                    open = None;
                    if let Some((mut experiment, question)) = pending.take() {
                        if question.trim().is_empty() {
                            return Err(error(file, line, "an experiment needs its question"));
                        }
                        experiment.question = question;
                        experiment.answer = std::mem::take(&mut html);
                        if experiment.references.iter().any(Option::is_some) {
                            let n = blocks
                                .iter()
                                .filter(|b| matches!(b, Block::Experiment(_)))
                                .count();
                            experiment.figure =
                                Some(format!("figures/{}/{slug}-{n}.svg", language.code()));
                        }
                        blocks.push(Block::Experiment(*experiment));
                    }
                }
                _ => {
                    return Err(error(
                        file,
                        line,
                        "{{#end}} must close a {{#check}} or {{#experiment}} … {{#answer}}, or an {{#advanced}} passage",
                    ));
                }
            },
        }
    }
    if let Some(open) = open {
        return Err(error(file, open.line(), open.unclosed()));
    }
    if !html.is_empty() {
        blocks.push(Block::Html(html));
    }
    let title = renderer
        .title
        .take()
        .ok_or_else(|| error(file, 1, "a lesson starts with its \"# Title\""))?;
    let lesson = Lesson {
        slug: slug.to_string(),
        title,
        headings: renderer.headings,
        blocks,
    };
    Ok(Compiled1 {
        lesson,
        directives,
        included,
        anchor_links,
    })
}

/// Compiles every lesson of `content_dir` (whose parent is the repository root) in every language,
/// and checks that all languages carry the same directives in the same order.
///
/// # Errors
/// The first [`ContentError`] met: an unreadable or malformed file, a bad directive or parameter,
/// bad math, an unknown code language, a missing include, image or lesson link, or a parity
/// mismatch between languages.
pub fn compile(content_dir: &Path) -> Result<Compiled, ContentError> {
    let root = content_dir.parent().unwrap_or(Path::new("."));
    let summary_path = content_dir.join("summary.toml");
    let summary = read_summary(&summary_path)?;
    let mut inputs = vec![summary_path];
    let mut books = Vec::new();
    let mut reference: Vec<(PathBuf, Vec<Directive>)> = Vec::new();
    for language in Language::ALL {
        let mut lessons = Vec::new();
        let mut anchor_links = Vec::new();
        for (index, slug) in summary.sections.iter().enumerate() {
            let file = content_dir.join(language.code()).join(format!("{slug}.md"));
            let compiled = compile_lesson(&file, root, language, slug, &summary.sections)?;
            if let Some((first_file, first)) = reference.get(index) {
                check_parity(first_file, first, &file, &compiled.directives)?;
            } else {
                reference.push((file.clone(), compiled.directives));
            }
            for (target, fragment, line) in compiled.anchor_links {
                anchor_links.push((file.clone(), line, target, fragment));
            }
            inputs.push(file);
            inputs.extend(compiled.included);
            lessons.push(compiled.lesson);
        }
        check_anchor_links(&lessons, &anchor_links)?;
        books.push(Book { language, lessons });
    }
    inputs.sort();
    inputs.dedup();
    Ok(Compiled { books, inputs })
}

/// Every `#fragment` of a link names a heading of its target lesson.
fn check_anchor_links(
    lessons: &[Lesson],
    links: &[(PathBuf, usize, String, String)],
) -> Result<(), ContentError> {
    for (file, line, slug, fragment) in links {
        let Some(lesson) = lessons.iter().find(|l| &l.slug == slug) else {
            continue;
        };
        if !lesson.headings.iter().any(|h| &h.id == fragment) {
            let known: Vec<&str> = lesson.headings.iter().map(|h| h.id.as_str()).collect();
            return Err(error(
                file,
                *line,
                format!(
                    "\"{slug}\" has no heading \"#{fragment}\"; its anchors are: {}",
                    known.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

fn check_parity(
    first_file: &Path,
    first: &[Directive],
    file: &Path,
    directives: &[Directive],
) -> Result<(), ContentError> {
    let keys = |list: &[Directive]| list.iter().map(Directive::parity_key).collect::<Vec<_>>();
    let (a, b) = (keys(first), keys(directives));
    if a == b {
        return Ok(());
    }
    let at = a
        .iter()
        .zip(&b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let show = |list: &[String]| list.get(at).cloned().unwrap_or_else(|| "(nothing)".into());
    Err(error(
        file,
        1,
        format!(
            "directives differ from {} at directive #{}: \"{}\" here, \"{}\" there",
            first_file.display(),
            at + 1,
            show(&b),
            show(&a)
        ),
    ))
}
