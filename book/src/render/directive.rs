//! Splits a lesson source into Markdown segments and directives, expanding `{{#include}}` lines
//! inside fenced code blocks. Line numbers are kept so every error names `file:line`.

use std::path::Path;

use super::include::read_anchor;
use crate::{Experiment, WidgetKind, WidgetSpec};

/// A piece of a lesson source, in order.
#[derive(Debug, PartialEq)]
pub(crate) enum Segment {
    /// Markdown text with, for each of its lines, the source line it came from (1-based).
    Markdown { text: String, lines: Vec<usize> },
    /// `{{#widget …}}`.
    Widget { spec: WidgetSpec, line: usize },
    /// `{{#experiment …}}`: a guided experiment of the widget just before it; its question
    /// follows, then `{{#answer}}`, the explanation, and `{{#end}}`.
    Experiment {
        experiment: Box<Experiment>,
        line: usize,
    },
    /// `{{#check}}`: a self-check question starts.
    Check { line: usize },
    /// `{{#answer}}`: its hidden answer starts.
    Answer { line: usize },
    /// `{{#advanced TITLE}}`: a passage for readers who want the mathematics, folded.
    Advanced { title: String, line: usize },
    /// `{{#end}}`: the question or the advanced passage ends.
    End { line: usize },
}

/// A directive as written, before its arguments are checked.
#[derive(Debug, PartialEq)]
pub(crate) enum Directive {
    Widget {
        name: String,
        pairs: Vec<(String, String)>,
    },
    Include {
        path: String,
        anchor: Option<String>,
    },
    Experiment {
        pairs: Vec<(String, String)>,
    },
    Check,
    Answer,
    Advanced {
        title: String,
    },
    End,
}

impl Directive {
    /// The directive's identity for the vi/en parity check.
    pub(crate) fn parity_key(&self) -> String {
        match self {
            Directive::Widget { name, pairs } => {
                let args: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
                format!("widget {name} {}", args.join(" "))
            }
            Directive::Include { path, anchor } => {
                format!("include {path}:{}", anchor.as_deref().unwrap_or(""))
            }
            Directive::Experiment { pairs } => {
                let args: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
                format!("experiment {}", args.join(" "))
            }
            Directive::Check => "check".into(),
            Directive::Answer => "answer".into(),
            // Titles are written in each language; only the passage's place must match.
            Directive::Advanced { .. } => "advanced".into(),
            Directive::End => "end".into(),
        }
    }
}

const DIRECTIVES: &str = "widget, experiment, include, check, answer, advanced, end";

/// Parses one line if it is a directive: `Ok(None)` for ordinary text.
pub(crate) fn parse_directive(line: &str) -> Result<Option<Directive>, String> {
    let trimmed = line.trim();
    let Some(start) = trimmed.find("{{#") else {
        return Ok(None);
    };
    let Some(inner) = trimmed
        .strip_prefix("{{#")
        .and_then(|rest| rest.strip_suffix("}}"))
    else {
        return Err(format!(
            "a directive must stand alone on its line, found \"{}\"",
            &trimmed[start..]
        ));
    };
    let mut words = inner.split_whitespace();
    let name = words.next().unwrap_or_default();
    let args: Vec<&str> = words.collect();
    let no_args = |directive: Directive| {
        if args.is_empty() {
            Ok(Some(directive))
        } else {
            Err(format!(
                "{{{{#{name}}}}} takes no arguments, got \"{}\"",
                args.join(" ")
            ))
        }
    };
    match name {
        "widget" => {
            let (widget, rest) = args
                .split_first()
                .ok_or_else(|| "{{#widget}} needs a widget name".to_string())?;
            Ok(Some(Directive::Widget {
                name: widget.to_string(),
                pairs: key_values(rest, "widget")?,
            }))
        }
        "experiment" => Ok(Some(Directive::Experiment {
            pairs: key_values(&args, "experiment")?,
        })),
        "include" => match args.as_slice() {
            [target] => {
                let (path, anchor) = match target.rsplit_once(':') {
                    Some((path, anchor)) => (path.to_string(), Some(anchor.to_string())),
                    None => (target.to_string(), None),
                };
                Ok(Some(Directive::Include { path, anchor }))
            }
            _ => Err("{{#include}} takes one argument: path/from/repo/root.rs:anchor".into()),
        },
        "check" => no_args(Directive::Check),
        "answer" => no_args(Directive::Answer),
        "advanced" if args.is_empty() => {
            Err("{{#advanced}} needs a title: {{#advanced What the passage shows}}".into())
        }
        "advanced" => Ok(Some(Directive::Advanced {
            title: args.join(" "),
        })),
        "end" => no_args(Directive::End),
        other => Err(format!(
            "unknown directive \"{other}\"; expected one of: {DIRECTIVES}"
        )),
    }
}

/// A committed reference run, `content/reference/NAME.json` from the repository root.
fn read_reference(
    root: &Path,
    name: &str,
) -> Result<(dl101_protocol::reference::Reference, std::path::PathBuf), String> {
    let file = root
        .join(dl101_protocol::reference::REFERENCE_DIR)
        .join(format!("{name}.json"));
    let text = std::fs::read_to_string(&file).map_err(|e| {
        format!(
            "reference run \"{name}\": cannot read {} ({e}); make it with scripts/reference.sh",
            file.display()
        )
    })?;
    let reference: dl101_protocol::reference::Reference = serde_json::from_str(&text)
        .map_err(|e| format!("reference run {}: {e}", file.display()))?;
    Ok((reference, file))
}

/// `key=value` arguments of a directive.
fn key_values(args: &[&str], directive: &str) -> Result<Vec<(String, String)>, String> {
    args.iter()
        .map(|arg| {
            arg.split_once('=')
                .map(|(key, value)| (key.to_string(), value.to_string()))
                .ok_or_else(|| format!("{directive} argument \"{arg}\" is not key=value"))
        })
        .collect()
}

/// An opening code fence: its character and length.
fn fence_of(line: &str) -> Option<(char, usize)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let ch = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let count = rest.chars().take_while(|c| *c == ch).count();
    (count >= 3).then_some((ch, count))
}

/// What [`split`] finds in a lesson: its segments, every directive in order (for the parity
/// check) and every file it included.
pub(crate) type Split = (Vec<Segment>, Vec<Directive>, Vec<std::path::PathBuf>);

/// Added to the info string of a code fence that holds an `{{#include}}`: the block shows the
/// site's own code, which the renderer folds under a title.
pub(crate) const INCLUDED: &str = "dl101-included";

/// Splits `source` into segments; `root` is the repository root that include paths start from.
/// Also returns every directive in order (for parity) and every file that was included.
pub(crate) fn split(source: &str, root: &Path) -> Result<Split, (usize, String)> {
    let mut segments = Vec::new();
    let mut directives = Vec::new();
    let mut included = Vec::new();
    let mut text = String::new();
    let mut lines = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    // Where the open fence's first line starts in `text`, and whether an include marked it.
    let mut fence_start = 0;
    let mut fence_marked = false;
    // The widget an `{{#experiment}}` here would drive: the last one, if nothing but its own
    // experiments came after it; and whether an experiment is open.
    let mut attach: Option<WidgetKind> = None;
    let mut in_experiment = false;

    let flush = |text: &mut String, lines: &mut Vec<usize>, segments: &mut Vec<Segment>| {
        if !text.trim().is_empty() {
            segments.push(Segment::Markdown {
                text: std::mem::take(text),
                lines: std::mem::take(lines),
            });
        } else {
            text.clear();
            lines.clear();
        }
    };

    for (index, line) in source.lines().enumerate() {
        let number = index + 1;
        if let Some((ch, len)) = fence {
            let closes = fence_of(line).is_some_and(|(c, l)| c == ch && l >= len)
                && line.trim().chars().all(|c| c == ch);
            if closes {
                fence = None;
            } else if line.trim_start().starts_with("{{#include") {
                let directive = parse_directive(line).map_err(|e| (number, e))?;
                if let Some(Directive::Include { path, anchor }) = &directive {
                    let (code, file) =
                        read_anchor(root, path, anchor.as_deref()).map_err(|e| (number, e))?;
                    if !fence_marked {
                        // The renderer folds a block of the site's own code (`INCLUDED`).
                        let end = text[fence_start..]
                            .find('\n')
                            .map_or(text.len(), |i| fence_start + i);
                        text.insert_str(end, &format!(" {INCLUDED}"));
                        fence_marked = true;
                    }
                    for code_line in code.lines() {
                        text.push_str(code_line);
                        text.push('\n');
                        lines.push(number);
                    }
                    included.push(file);
                }
                directives.extend(directive);
                continue;
            }
            text.push_str(line);
            text.push('\n');
            lines.push(number);
            continue;
        }
        if let Some(opened) = fence_of(line) {
            fence = Some(opened);
            fence_start = text.len();
            fence_marked = false;
            text.push_str(line);
            text.push('\n');
            lines.push(number);
            continue;
        }
        let Some(directive) = parse_directive(line).map_err(|e| (number, e))? else {
            text.push_str(line);
            text.push('\n');
            lines.push(number);
            continue;
        };
        let before = segments.len();
        flush(&mut text, &mut lines, &mut segments);
        if segments.len() > before && !in_experiment {
            attach = None;
        }
        let segment = match &directive {
            Directive::Widget { name, pairs } => {
                let spec = WidgetSpec::parse(name, pairs).map_err(|e| (number, e.0))?;
                attach = Some(spec.kind());
                Segment::Widget { spec, line: number }
            }
            Directive::Experiment { pairs } => {
                let widget = attach.filter(|_| !in_experiment).ok_or_else(|| {
                    (
                        number,
                        "an {{#experiment}} stands right after its {{#widget}} line (or after \
                         another experiment of it), with only blank lines between"
                            .to_string(),
                    )
                })?;
                in_experiment = true;
                let mut experiment = Experiment::parse(widget, pairs).map_err(|e| (number, e.0))?;
                for name in &experiment.reference_names {
                    experiment.references.push(match name {
                        Some(name) => {
                            let (reference, file) =
                                read_reference(root, name).map_err(|e| (number, e))?;
                            included.push(file);
                            Some(reference)
                        }
                        None => None,
                    });
                }
                Segment::Experiment {
                    experiment: Box::new(experiment),
                    line: number,
                }
            }
            Directive::Include { .. } => {
                return Err((
                    number,
                    "{{#include}} belongs inside a fenced code block".into(),
                ));
            }
            Directive::Check => {
                attach = None;
                Segment::Check { line: number }
            }
            Directive::Answer => Segment::Answer { line: number },
            Directive::Advanced { title } => {
                attach = None;
                Segment::Advanced {
                    title: title.clone(),
                    line: number,
                }
            }
            Directive::End => {
                // An experiment's end keeps its widget for the next experiment.
                if !std::mem::take(&mut in_experiment) {
                    attach = None;
                }
                Segment::End { line: number }
            }
        };
        directives.push(directive);
        segments.push(segment);
    }
    if fence.is_some() {
        return Err((source.lines().count(), "code block is not closed".into()));
    }
    flush(&mut text, &mut lines, &mut segments);
    Ok((segments, directives, included))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_each_directive() {
        assert_eq!(parse_directive("plain text").unwrap(), None);
        assert_eq!(
            parse_directive("{{#check}}").unwrap(),
            Some(Directive::Check)
        );
        assert_eq!(
            parse_directive("  {{#widget mc-dropout samples=10}}  ").unwrap(),
            Some(Directive::Widget {
                name: "mc-dropout".into(),
                pairs: vec![("samples".into(), "10".into())]
            })
        );
        assert_eq!(
            parse_directive("{{#include core/src/lib.rs:step}}").unwrap(),
            Some(Directive::Include {
                path: "core/src/lib.rs".into(),
                anchor: Some("step".into())
            })
        );
    }

    #[test]
    fn refuses_malformed_directives() {
        let err = parse_directive("{{#widgte x}}").unwrap_err();
        assert!(err.contains("unknown directive \"widgte\""), "{err}");
        let err = parse_directive("Try {{#widget mc-dropout}} here").unwrap_err();
        assert!(err.contains("stand alone"), "{err}");
        let err = parse_directive("{{#widget mc-dropout samples}}").unwrap_err();
        assert!(err.contains("not key=value"), "{err}");
        let err = parse_directive("{{#end now}}").unwrap_err();
        assert!(err.contains("takes no arguments"), "{err}");
    }

    #[test]
    fn keeps_source_lines_and_skips_code_fences() {
        let source =
            "# T\n\ntext\n```python\n{{#widget nope}}\n```\n{{#widget mc-dropout}}\nafter\n";
        let (segments, directives, _) = split(source, Path::new(".")).unwrap();
        assert_eq!(directives.len(), 1);
        match &segments[0] {
            Segment::Markdown { lines, text } => {
                assert_eq!(lines, &vec![1, 2, 3, 4, 5, 6]);
                assert!(text.contains("{{#widget nope}}"));
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(segments[1], Segment::Widget { line: 7, .. }));
        assert!(matches!(&segments[2], Segment::Markdown { lines, .. } if lines == &vec![8]));
    }

    #[test]
    fn widget_errors_carry_their_line() {
        let source = "# T\n\n{{#widget sigmoid-saturation depth=0}}\n";
        let (line, message) = split(source, Path::new(".")).unwrap_err();
        assert_eq!(line, 3);
        assert!(message.contains("from 1 to 100"), "{message}");
    }

    #[test]
    fn unclosed_fence_is_an_error() {
        let (_, message) = split("# T\n```rust\nfn x() {}\n", Path::new(".")).unwrap_err();
        assert!(message.contains("not closed"), "{message}");
    }
}
