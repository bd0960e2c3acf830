//! `{{#include path:anchor}}`: the lines between `ANCHOR: name` and `ANCHOR_END: name` markers of a
//! compiled source file, so code shown in the book is the code that runs.

use std::path::{Path, PathBuf};

/// Is this line an `ANCHOR:` or `ANCHOR_END:` marker (in a `//` or `#` comment)?
fn marker(line: &str) -> Option<(bool, &str)> {
    let body = line
        .trim()
        .trim_start_matches("//")
        .trim_start_matches('#')
        .trim();
    if let Some(name) = body.strip_prefix("ANCHOR_END:") {
        Some((false, name.trim()))
    } else {
        body.strip_prefix("ANCHOR:").map(|name| (true, name.trim()))
    }
}

/// Removes the indentation common to every non-blank line.
fn dedent(lines: &[&str]) -> String {
    let indent = lines
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out = String::new();
    for line in lines {
        out.push_str(line.get(indent..).unwrap_or("").trim_end());
        out.push('\n');
    }
    out
}

/// Reads the anchored region (or the whole file without markers) of `root/path`.
pub(crate) fn read_anchor(
    root: &Path,
    path: &str,
    anchor: Option<&str>,
) -> Result<(String, PathBuf), String> {
    let file = root.join(path);
    let source = std::fs::read_to_string(&file)
        .map_err(|e| format!("cannot include \"{path}\" (from the repository root): {e}"))?;
    let mut inside = anchor.is_none();
    let mut found = anchor.is_none();
    let mut closed = anchor.is_none();
    let mut kept = Vec::new();
    for line in source.lines() {
        match (marker(line), anchor) {
            (Some((true, name)), Some(wanted)) if name == wanted => {
                inside = true;
                found = true;
            }
            (Some((false, name)), Some(wanted)) if name == wanted && inside => {
                inside = false;
                closed = true;
            }
            (Some(_), _) => {}
            (None, _) if inside => kept.push(line),
            (None, _) => {}
        }
    }
    let name = anchor.unwrap_or_default();
    if !found {
        return Err(format!("\"{path}\" has no \"ANCHOR: {name}\" marker"));
    }
    if !closed {
        return Err(format!("\"{path}\": anchor \"{name}\" has no ANCHOR_END"));
    }
    if kept.iter().all(|line| line.trim().is_empty()) {
        return Err(format!("\"{path}\": anchor \"{name}\" is empty"));
    }
    Ok((dedent(&kept), file))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> (tempdir::Dir, &'static str) {
        let dir = tempdir::Dir::new();
        let source = "fn a() {}\n    // ANCHOR: step\n    let x = 1;\n    // ANCHOR: inner\n        x + 1\n    // ANCHOR_END: inner\n    // ANCHOR_END: step\n";
        std::fs::write(dir.path().join("code.rs"), source).unwrap();
        (dir, "code.rs")
    }

    #[test]
    fn extracts_and_dedents_the_region_without_markers() {
        let (dir, file) = fixture();
        let (code, _) = read_anchor(dir.path(), file, Some("step")).unwrap();
        assert_eq!(code, "let x = 1;\n    x + 1\n");
    }

    #[test]
    fn missing_anchor_and_file_are_errors() {
        let (dir, file) = fixture();
        let err = read_anchor(dir.path(), file, Some("nope")).unwrap_err();
        assert!(err.contains("no \"ANCHOR: nope\""), "{err}");
        let err = read_anchor(dir.path(), "missing.rs", Some("step")).unwrap_err();
        assert!(err.contains("cannot include \"missing.rs\""), "{err}");
    }

    /// A throw-away directory under the system temp dir.
    mod tempdir {
        use std::path::{Path, PathBuf};
        use std::sync::atomic::{AtomicUsize, Ordering};

        pub struct Dir(PathBuf);
        impl Dir {
            pub fn new() -> Dir {
                static NEXT: AtomicUsize = AtomicUsize::new(0);
                let n = NEXT.fetch_add(1, Ordering::Relaxed);
                let path =
                    std::env::temp_dir().join(format!("book-test-{}-{n}", std::process::id()));
                std::fs::create_dir_all(&path).unwrap();
                Dir(path)
            }
            pub fn path(&self) -> &Path {
                &self.0
            }
        }
        impl Drop for Dir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }
}
