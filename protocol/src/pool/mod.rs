//! Training one job in several workers: which runs each worker trains, and how their messages
//! merge back into the messages one worker would have sent. Pure bookkeeping, so it is tested
//! natively; the page's runtime owns the workers and calls it.
//!
//! A job with several independent runs (an optimizer race, a comparison of schedules) is split
//! into parts, one per worker; each part is an ordinary job of the worker under its own *wire id*
//! (so a restarted job never meets the messages of the job it replaces). Part 0 starts at once;
//! the others start when part 0 has its data, so a first visit downloads the data once and the
//! other workers read it from the browser's cache. The page hears one `Started` with every run
//! once every part has started (messages of parts that started earlier wait until then), one
//! `Paused` when every part has paused or finished, one `Finished` and one `Stopped` when all
//! have, with their memory summed. Every run keeps its own seed and random stream, so it trains
//! to the same numbers in any worker.

use crate::message::JobKind;

mod split;
#[cfg(test)]
mod tests;

pub use split::{Outcome, Split};

/// Most training workers a page starts.
pub const MAX_WORKERS: usize = 4;

/// How many training workers a page uses: the reader's own choice (`asked`, 1 to
/// [`MAX_WORKERS`]) if any, else one per logical core (`navigator.hardwareConcurrency`, the page's
/// main thread is idle while they train), at most [`MAX_WORKERS`] and at most one per GB of
/// `navigator.deviceMemory` where the browser tells it.
pub fn pool_size(cores: Option<f64>, memory_gb: Option<f64>, asked: Option<usize>) -> usize {
    if let Some(asked) = asked {
        return asked.clamp(1, MAX_WORKERS);
    }
    let by_cores = cores.filter(|c| c.is_finite() && *c >= 1.0).unwrap_or(1.0);
    let by_memory = memory_gb
        .filter(|m| m.is_finite() && *m > 0.0)
        .map_or(f64::INFINITY, |m| m.floor().max(1.0));
    by_cores.min(by_memory).min(MAX_WORKERS as f64) as usize
}

/// The runs of each part, in order: `runs` runs over at most `workers` workers, as evenly as they
/// go and each part a run of consecutive indices. Transfer learning stays in one worker (its runs
/// build on each other).
pub fn plan(kind: &JobKind, runs: usize, workers: usize) -> Vec<Vec<usize>> {
    let parts = match kind {
        JobKind::Train => workers.clamp(1, runs.max(1)),
        JobKind::Transfer { .. } => 1,
    };
    let mut out = Vec::with_capacity(parts);
    let mut next = 0;
    for part in 0..parts {
        let size = runs / parts + usize::from(part < runs % parts);
        out.push((next..next + size).collect());
        next += size;
    }
    out
}
