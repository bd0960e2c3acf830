//! Entry point of the site's WebAssembly bundle.

fn main() {
    app::start();
}
