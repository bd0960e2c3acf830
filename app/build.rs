//! Compiles `content/` at build time so a content mistake fails the app's build with `file:line`,
//! before Trunk runs. The app embeds none of it: `dl101-book` writes each language's book into
//! the site as its own file, and the app fetches the reader's (see `src/book_data.rs`).

use std::path::PathBuf;

fn main() {
    let manifest =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into()));
    let content = manifest.join("../content");
    println!("cargo:rerun-if-changed={}", content.display());
    match book::render::compile(&content) {
        Ok(compiled) => {
            for input in &compiled.inputs {
                println!("cargo:rerun-if-changed={}", input.display());
            }
        }
        Err(error) => {
            eprintln!("error: {error}");
            std::process::exit(1);
        }
    }
}
