//! Training speed as the run bar shows it: the steps of the last couple of seconds of training
//! time, not of the last chunk alone. A chunk that also ran an epoch's validation pass, or a first
//! step that compiled the GPU kernels, is one chunk among several instead of the whole reading,
//! and a finished run shows its recent speed rather than that of its last, validating chunk.

use std::collections::VecDeque;

/// The training time the rate averages over, in milliseconds.
pub const WINDOW_MS: f64 = 2000.0;

/// The recent chunks of one run: steps and the milliseconds they took.
#[derive(Clone, Debug, Default)]
pub struct Throughput {
    chunks: VecDeque<(usize, f64)>,
}

impl Throughput {
    /// Adds a chunk of `steps` steps that took `ms` milliseconds; the steps per second of the
    /// newest chunks that cover [`WINDOW_MS`] (all of them, until they do).
    pub fn record(&mut self, steps: usize, ms: f64) -> f64 {
        self.chunks.push_back((steps, ms.max(1e-3)));
        let mut newer_ms: f64 = self.chunks.iter().skip(1).map(|c| c.1).sum();
        while self.chunks.len() > 1 && newer_ms >= WINDOW_MS {
            self.chunks.pop_front();
            newer_ms -= self.chunks.front().map_or(0.0, |c| c.1);
        }
        let (steps, ms) = self
            .chunks
            .iter()
            .fold((0, 0.0), |(s, t), &(steps, ms)| (s + steps, t + ms));
        steps as f64 * 1000.0 / ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_slow_chunk_is_averaged_with_the_recent_ones() {
        let mut rate = Throughput::default();
        // 100 steps per 100 ms: 1,000 steps/s.
        for _ in 0..30 {
            assert!((rate.record(100, 100.0) - 1000.0).abs() < 1e-9);
        }
        // A last chunk of 1 step that also validated for 500 ms: the last chunk alone would
        // read 2 steps/s; with the 2 s before it, (1,500 + 1) steps in 2.0 s.
        let last = rate.record(1, 500.0);
        assert!((last - 1501.0 / 2.0).abs() < 1e-9, "{last}");
    }

    #[test]
    fn old_chunks_leave_the_window() {
        let mut rate = Throughput::default();
        // A slow start (a first step that compiled for 3 s) ...
        assert!((rate.record(1, 3000.0) - 1.0 / 3.0).abs() < 1e-9);
        // ... is forgotten once 2 s of newer training cover the window.
        let mut now = 0.0;
        for _ in 0..25 {
            now = rate.record(10, 100.0);
        }
        assert!((now - 100.0).abs() < 1e-9, "{now}");
        assert!(rate.chunks.len() <= 21, "{}", rate.chunks.len());
    }
}
