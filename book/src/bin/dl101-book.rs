//! `dl101-book site CONTENT STAGING`: compiles the lessons in `CONTENT` and writes the site's
//! book-made files (route pages, search indexes) into Trunk's staging folder `STAGING` (run by
//! `scripts/post_build.py`).
//! A content mistake stops it with `file:line`, as it stops the app's build.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(count) => {
            println!("dl101-book: {count} files written");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("dl101-book: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<usize, String> {
    let [command, content, staging] = args.as_slice() else {
        return Err("usage: dl101-book site CONTENT_DIR STAGING_DIR".into());
    };
    if command != "site" {
        return Err(format!("unknown command {command:?}; expected \"site\""));
    }
    let staging = PathBuf::from(staging);
    let compiled = book::render::compile(&PathBuf::from(content)).map_err(|e| e.to_string())?;
    let index_path = staging.join("index.html");
    let index = std::fs::read_to_string(&index_path)
        .map_err(|e| format!("{}: {e}", index_path.display()))?;
    let mut files = book::render::site::site_files(&compiled.books, &index)?;
    files.extend(book::render::search::index_files(&compiled.books)?);
    for file in &files {
        let path = staging.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, &file.text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(files.len())
}
