//! Native runner: `dl101 <experiment|group|config.json>...` trains presets on the CPU backend
//! (or, `--device wgpu` in a build with the `wgpu` feature, the GPU), prints the chapter-style
//! table and writes JSON histories; `dl101 bench` measures samples/s.

#[cfg(not(target_arch = "wasm32"))]
mod bench;
#[cfg(not(target_arch = "wasm32"))]
mod gpu_calls;
#[cfg(not(target_arch = "wasm32"))]
mod run;

/// mimalloc keeps the memory a training step frees for the next step's tensors. glibc's malloc
/// handed the step's large buffers back to the kernel and faulted them in again at the next step:
/// with gemm's AVX-512 kernels that took more than half of a batch-32 step (README "Benchmark").
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use clap::Parser;
    run::main(run::Cli::parse())
}

#[cfg(target_arch = "wasm32")]
fn main() {}
