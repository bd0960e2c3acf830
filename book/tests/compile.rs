//! The whole pipeline on small books written to a temporary folder, and on the real `content/`.
#![cfg(feature = "render")]
#![allow(clippy::unwrap_used)] // test scaffolding: a failed set-up should panic loudly

use std::path::{Path, PathBuf};

use book::render::compile;
use book::{Block, Language, WidgetSpec};

/// A repository-shaped folder: `content/` with a summary, and `public/`, `src/` for includes.
struct Repo(PathBuf);

impl Repo {
    fn new(name: &str) -> Repo {
        let root = std::env::temp_dir().join(format!("book-compile-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for dir in ["content/vi", "content/en", "public/img", "src"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        std::fs::write(
            root.join("content/summary.toml"),
            "languages = [\"vi\", \"en\"]\nsections = [\"00-a\", \"01-b\"]\n",
        )
        .unwrap();
        std::fs::write(
            root.join("src/code.rs"),
            "// ANCHOR: step\nlet y = x * 2;\n// ANCHOR_END: step\n",
        )
        .unwrap();
        Repo(root)
    }

    fn write(&self, path: &str, text: &str) -> &Repo {
        std::fs::write(self.0.join(path), text).unwrap();
        self
    }

    fn content(&self) -> PathBuf {
        self.0.join("content")
    }
}

impl Drop for Repo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const LESSON_A: &str = "# Bài A\n\n## Mục một\n\nVăn bản $x$.\n\n{{#widget sigmoid-saturation depth=5}}\n\n```rust\n{{#include src/code.rs:step}}\n```\n\n{{#check}}\nQ?\n{{#answer}}\nA.\n{{#end}}\n";
const LESSON_B: &str = "# B\n\nSee [A](00-a.md#muc-mot).\n";

fn good_repo(name: &str) -> Repo {
    let repo = Repo::new(name);
    repo.write("content/vi/00-a.md", LESSON_A)
        .write(
            "content/en/00-a.md",
            &LESSON_A.replace("# Bài A", "# Lesson A"),
        )
        .write("content/vi/01-b.md", LESSON_B)
        .write("content/en/01-b.md", LESSON_B);
    repo
}

#[test]
fn compiles_blocks_headings_widgets_and_includes() {
    let repo = good_repo("good");
    let compiled = compile(&repo.content()).unwrap();
    let vi = &compiled.books[0];
    assert_eq!(vi.language, Language::Vi);
    let lesson = &vi.lessons[0];
    assert_eq!(lesson.title, "Bài A");
    assert_eq!(lesson.headings[0].id, "muc-mot");
    assert!(matches!(
        lesson.blocks[1],
        Block::Widget(WidgetSpec::SigmoidSaturation { depth: 5 })
    ));
    let Block::Html(after) = &lesson.blocks[2] else {
        panic!("{:?}", lesson.blocks)
    };
    assert!(
        after.contains("hl-"),
        "included code is highlighted: {after}"
    );
    assert!(
        after.contains("2</span>") || after.contains("2;"),
        "{after}"
    );
    assert!(
        after.contains("<details class=\"check-answer\">"),
        "{after}"
    );
    // The site's own code is folded under a title in the lesson's language; closed by default.
    assert!(
        after.contains(
            "<details class=\"listing\"><summary>Mã Rust (Burn) mà widget chạy</summary>"
        ),
        "{after}"
    );
    assert!(!after.contains("dl101-included"), "{after}");
    let Block::Html(en) = &compiled.books[1].lessons[0].blocks[2] else {
        panic!()
    };
    assert!(
        en.contains("<summary>The Rust (Burn) code the widget runs</summary>"),
        "{en}"
    );
    let Block::Html(link) = &vi.lessons[1].blocks[0] else {
        panic!()
    };
    assert!(link.contains("href=\"vi/00-a#muc-mot\""), "{link}");
    assert!(compiled.inputs.iter().any(|p| p.ends_with("src/code.rs")));
}

fn error_of(repo: &Repo) -> String {
    compile(&repo.content()).unwrap_err().to_string()
}

#[test]
fn bad_widget_names_file_line_and_allowed_values() {
    let repo = good_repo("bad-widget");
    repo.write(
        "content/en/01-b.md",
        "# B\n\ntext\n\n{{#widget optimizer-race lr=5}}\n",
    );
    let err = error_of(&repo);
    assert!(
        err.contains(&format!("{}:5:", Path::new("en").join("01-b.md").display())),
        "{err}"
    );
    assert!(
        err.contains("\"5\" is not a number from 1e-5 to 1"),
        "{err}"
    );
}

#[test]
fn parity_mismatch_is_an_error() {
    let repo = good_repo("parity");
    repo.write(
        "content/en/00-a.md",
        &LESSON_A.replace("depth=5", "depth=6"),
    );
    let err = error_of(&repo);
    assert!(err.contains("directives differ"), "{err}");
    assert!(err.contains("sigmoid-saturation depth=6"), "{err}");
}

#[test]
fn missing_lesson_and_anchor_are_errors() {
    let repo = good_repo("missing");
    std::fs::remove_file(repo.0.join("content/en/01-b.md")).unwrap();
    assert!(error_of(&repo).contains("cannot read lesson"));
    let repo = good_repo("anchor");
    repo.write(
        "content/vi/00-a.md",
        &LESSON_A.replace("code.rs:step", "code.rs:nope"),
    );
    let err = error_of(&repo);
    assert!(err.contains("00-a.md:10:"), "{err}");
    assert!(err.contains("ANCHOR: nope"), "{err}");
}

#[test]
fn a_link_to_a_missing_heading_is_an_error() {
    let repo = good_repo("anchor-link");
    repo.write("content/en/01-b.md", "# B\n\nSee\n[A](00-a.md#nowhere).\n");
    let err = error_of(&repo);
    assert!(err.contains("01-b.md:4:"), "{err}");
    assert!(err.contains("no heading \"#nowhere\""), "{err}");
    assert!(err.contains("muc-mot"), "{err}");
}

#[test]
fn unclosed_check_is_an_error() {
    let repo = good_repo("check");
    repo.write("content/vi/01-b.md", "# B\n\n{{#check}}\nQ\n");
    let err = error_of(&repo);
    assert!(err.contains("01-b.md:3:"), "{err}");
    assert!(err.contains("not closed"), "{err}");
}

#[test]
fn advanced_passages_fold_with_their_title_and_must_close() {
    let repo = good_repo("advanced");
    let passage = |title: &str| {
        format!("# B\n\nIntro.\n\n{{{{#advanced {title}}}}}\nThe fixed point $x$.\n{{{{#end}}}}\n")
    };
    repo.write("content/vi/01-b.md", &passage("Điểm bất động <của> SELU"))
        .write("content/en/01-b.md", &passage("The fixed point of SELU"));
    let compiled = compile(&repo.content()).unwrap_or_else(|e| panic!("{e}"));
    let html = |book: usize| -> String {
        compiled.books[book].lessons[1]
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Html(h) => Some(h.clone()),
                Block::Widget(_) | Block::Experiment(_) => None,
            })
            .collect()
    };
    let vi = html(0);
    assert!(
        vi.contains("<details class=\"advanced\"><summary><span class=\"advanced-badge\">Nâng cao</span> Điểm bất động &lt;của&gt; SELU</summary>"),
        "{vi}"
    );
    assert!(
        vi.contains("<math"),
        "the passage is Markdown with math: {vi}"
    );
    assert!(html(1).contains(">Advanced</span> The fixed point of SELU"));

    repo.write("content/vi/01-b.md", "# B\n\n{{#advanced Lost}}\nText.\n");
    let err = error_of(&repo);
    assert!(
        err.contains("01-b.md:3:") && err.contains("not closed by {{#end}}"),
        "{err}"
    );

    repo.write(
        "content/vi/01-b.md",
        "# B\n\n{{#advanced T}}\n{{#widget sigmoid-saturation}}\n{{#end}}\n",
    );
    let err = error_of(&repo);
    assert!(err.contains("cannot stand inside {{#advanced}}"), "{err}");

    repo.write("content/vi/01-b.md", "# B\n\n{{#advanced}}\n{{#end}}\n");
    assert!(error_of(&repo).contains("needs a title"));
}

/// The real chapter compiles: every directive, formula, include, image and link is valid, and
/// Vietnamese and English carry the same directives in the same order.
#[test]
fn the_real_content_compiles_with_parity() {
    let content = manifest_dir().join("../content");
    let compiled = compile(&content).unwrap_or_else(|e| panic!("{e}"));
    let [vi, en] = &compiled.books[..] else {
        panic!("two languages")
    };
    assert_eq!(vi.lessons.len(), en.lessons.len());
    for (a, b) in vi.lessons.iter().zip(&en.lessons) {
        assert_eq!(a.slug, b.slug);
        assert!(!a.title.is_empty() && !b.title.is_empty());
        assert_ne!(a.title, b.title, "{} is translated", a.slug);
    }
    for lesson in vi.lessons.iter().chain(&en.lessons) {
        let html: String = lesson
            .blocks
            .iter()
            .filter_map(|b| {
                if let Block::Html(h) = b {
                    Some(h.as_str())
                } else {
                    None
                }
            })
            .collect();
        assert!(html.contains("<math"), "{} has formulas", lesson.slug);
        assert!(
            html.contains("data-lang=\"rust\""),
            "{} shows the Burn code",
            lesson.slug
        );
        assert!(
            html.contains("data-lang=\"python\""),
            "{} shows PyTorch code",
            lesson.slug
        );
        assert!(
            html.contains("class=\"check\""),
            "{} has self-check questions",
            lesson.slug
        );
        assert!(
            lesson.blocks.iter().any(|b| matches!(b, Block::Widget(_))),
            "{} has a widget",
            lesson.slug
        );
        // Every widget is followed by at least one guided experiment of it.
        for (i, block) in lesson.blocks.iter().enumerate() {
            if let Block::Widget(spec) = block {
                let next = lesson.blocks.get(i + 1);
                assert!(
                    matches!(next, Some(Block::Experiment(e)) if e.widget == spec.kind()),
                    "{}: the {} widget has no guided experiment",
                    lesson.slug,
                    spec.kind()
                );
            }
        }
        let mut experiment_count = 0;
        for block in &lesson.blocks {
            if let Block::Experiment(e) = block {
                experiment_count += 1;
                assert!(!e.question.trim().is_empty() && !e.answer.trim().is_empty());
                assert_eq!(e.chapter.len(), e.choices().len());
            }
        }
        assert!(experiment_count > 0, "{} has an experiment", lesson.slug);
    }
}

/// A guided experiment is read with its widget: it must follow it, name only settings the widget
/// shows, within their ranges, and every mistake names its line.
#[test]
fn experiments_follow_their_widget_and_its_settings() {
    let repo = good_repo("experiments");
    let lesson = |body: &str| format!("# B\n\nIntro.\n\n{body}");
    let good = "{{#widget normalization}}\n\n{{#experiment vary=norm:none,bn-after measure=test-accuracy pick=highest chapter=-,0.87 epochs=1}}\nWhich trains better?\n{{#answer}}\nBN, because $x$.\n{{#end}}\n{{#experiment vary=depth:5,20 measure=grad-ratio pick=below:0.01}}\nAnd deeper?\n{{#answer}}\nDeeper vanishes.\n{{#end}}\n\nAfter.\n";
    repo.write("content/vi/01-b.md", &lesson(good))
        .write("content/en/01-b.md", &lesson(good));
    let compiled = compile(&repo.content()).unwrap_or_else(|e| panic!("{e}"));
    let blocks = &compiled.books[0].lessons[1].blocks;
    let experiments: Vec<&book::Experiment> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Experiment(e) => Some(e),
            _ => None,
        })
        .collect();
    assert_eq!(experiments.len(), 2);
    assert_eq!(experiments[0].widget, book::WidgetKind::Normalization);
    assert_eq!(experiments[0].chapter, vec![None, Some(0.87)]);
    assert!(experiments[0].question.contains("Which trains better?"));
    assert!(
        experiments[0].answer.contains("<math"),
        "Markdown with math"
    );
    assert!(
        matches!(blocks.get(1), Some(Block::Widget(_)))
            && matches!(blocks.get(2), Some(Block::Experiment(_)))
            && matches!(blocks.get(4), Some(Block::Html(h)) if h.contains("After.")),
        "{blocks:?}"
    );

    let bad = |body: &str| {
        repo.write("content/vi/01-b.md", &lesson(body));
        error_of(&repo)
    };
    let err = bad(
        "{{#experiment vary=norm:none,ln measure=test-accuracy pick=highest}}\nQ\n{{#answer}}\nA\n{{#end}}\n",
    );
    assert!(
        err.contains("01-b.md:5:") && err.contains("right after its {{#widget}}"),
        "{err}"
    );
    let err = bad(
        "{{#widget normalization}}\nSome text.\n{{#experiment vary=norm:none,ln measure=test-accuracy pick=highest}}\nQ\n{{#answer}}\nA\n{{#end}}\n",
    );
    assert!(
        err.contains("01-b.md:7:") && err.contains("right after"),
        "{err}"
    );
    let err = bad(
        "{{#widget normalization}}\n{{#experiment vary=norm:none,ln measure=test-accuracy pick=highest lr=0.05 dropout=0.5}}\nQ\n{{#answer}}\nA\n{{#end}}\n",
    );
    assert!(
        err.contains("01-b.md:6:") && err.contains("has no setting \"dropout\""),
        "{err}"
    );
    let err = bad(
        "{{#widget normalization}}\n{{#experiment vary=norm:none,ln measure=test-accuracy pick=highest epochs=500}}\nQ\n{{#answer}}\nA\n{{#end}}\n",
    );
    assert!(
        err.contains("01-b.md:6:") && err.contains("\"epochs\""),
        "{err}"
    );
    let err = bad(
        "{{#widget normalization}}\n{{#experiment vary=norm:none,ln measure=test-accuracy pick=highest}}\nQ\n{{#end}}\n",
    );
    assert!(err.contains("{{#end}} must close"), "{err}");
    let err = bad(
        "{{#widget normalization}}\n{{#experiment vary=norm:none,ln measure=test-accuracy pick=highest}}\n{{#answer}}\nA\n{{#end}}\n",
    );
    assert!(err.contains("needs its question"), "{err}");
    // vi and en must run the same experiment.
    repo.write("content/vi/01-b.md", &lesson(good)).write(
        "content/en/01-b.md",
        &lesson(&good.replace("epochs=1", "epochs=2")),
    );
    let err = error_of(&repo);
    assert!(
        err.contains("directives differ") && err.contains("experiment"),
        "{err}"
    );
}

/// The crate's folder, read when the test runs (cargo sets it), so a test binary built from
/// another checkout of the repository still finds this checkout's files.
fn manifest_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}
