//! Native runner: `dl101 <experiment|group|config.json>...` trains presets on the CPU backend
//! (or, `--device wgpu` in a build with the `wgpu` feature, the GPU), prints the chapter-style
//! table and writes JSON histories; `dl101 bench` measures samples/s.

#[cfg(not(target_arch = "wasm32"))]
mod bench;
#[cfg(not(target_arch = "wasm32"))]
mod gpu_calls;
#[cfg(not(target_arch = "wasm32"))]
mod run;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use clap::Parser;
    run::main(run::Cli::parse())
}

#[cfg(target_arch = "wasm32")]
fn main() {}
