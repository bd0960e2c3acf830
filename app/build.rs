//! Compiles `content/` into one JSON book per language at build time, so the site ships lessons
//! already rendered (HTML + MathML) and a content mistake fails the build with `file:line`.

use std::path::PathBuf;

fn main() {
    let manifest =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into()));
    let content = manifest.join("../content");
    println!("cargo:rerun-if-changed={}", content.display());
    let compiled = match book::render::compile(&content) {
        Ok(compiled) => compiled,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::exit(1);
        }
    };
    for input in &compiled.inputs {
        println!("cargo:rerun-if-changed={}", input.display());
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()));
    for book in &compiled.books {
        let path = out.join(format!("book-{}.json", book.language.code()));
        let json = match serde_json::to_string(book) {
            Ok(json) => json,
            Err(error) => {
                eprintln!("error: cannot serialise the book: {error}");
                std::process::exit(1);
            }
        };
        if let Err(error) = std::fs::write(&path, json) {
            eprintln!("error: cannot write {}: {error}", path.display());
            std::process::exit(1);
        }
    }
}
