//! `dl101 bench --gpu-calls`: counts what the wgpu backend asks of the GPU API during the timed
//! steps. wgpu-core logs each API call at trace level (`ComputePass::dispatch`, `Queue::submit`,
//! `Buffer::map_async`, `Queue::write_buffer`); a logger that only counts those gives kernels,
//! submissions, readbacks and uploads per training step without touching Burn or cubecl, and the
//! compute pipelines compiled (`Device::create_compute_pipeline`), which a first step pays for.

use std::fmt::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// What the GPU was asked to do, summed over the counted stretch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Calls {
    /// Compute dispatches: one per kernel that runs.
    pub dispatches: u64,
    /// Queue submissions.
    pub submits: u64,
    /// Buffers mapped for reading: readbacks to the CPU.
    pub readbacks: u64,
    /// `Queue::write_buffer` calls: uploads from the CPU.
    pub writes: u64,
    /// Compute pipelines created: kernels compiled for the driver.
    pub pipelines: u64,
}

struct Counter {
    on: AtomicBool,
    dispatches: AtomicU64,
    submits: AtomicU64,
    readbacks: AtomicU64,
    writes: AtomicU64,
    pipelines: AtomicU64,
}

static COUNTER: Counter = Counter {
    on: AtomicBool::new(false),
    dispatches: AtomicU64::new(0),
    submits: AtomicU64::new(0),
    readbacks: AtomicU64::new(0),
    writes: AtomicU64::new(0),
    pipelines: AtomicU64::new(0),
};

/// Installs the counting logger (once per process; it replaces no other logger, the runner has
/// none). Counting starts with [`start`].
///
/// # Errors
/// Another logger is already installed.
pub fn install() -> Result<(), String> {
    log::set_logger(&COUNTER).map_err(|e| format!("--gpu-calls: {e}"))?;
    log::set_max_level(log::LevelFilter::Trace);
    Ok(())
}

/// Zeroes the counts and starts counting.
pub fn start() {
    for count in [
        &COUNTER.dispatches,
        &COUNTER.submits,
        &COUNTER.readbacks,
        &COUNTER.writes,
        &COUNTER.pipelines,
    ] {
        count.store(0, Ordering::Relaxed);
    }
    COUNTER.on.store(true, Ordering::Relaxed);
}

/// Stops counting; what was counted since [`start`].
pub fn stop() -> Calls {
    COUNTER.on.store(false, Ordering::Relaxed);
    Calls {
        dispatches: COUNTER.dispatches.load(Ordering::Relaxed),
        submits: COUNTER.submits.load(Ordering::Relaxed),
        readbacks: COUNTER.readbacks.load(Ordering::Relaxed),
        writes: COUNTER.writes.load(Ordering::Relaxed),
        pipelines: COUNTER.pipelines.load(Ordering::Relaxed),
    }
}

/// The first bytes of a formatted message: enough to tell the calls apart, with no allocation.
struct Prefix {
    bytes: [u8; 32],
    len: usize,
}

impl Write for Prefix {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let room = self.bytes.len() - self.len;
        let take = s.len().min(room);
        self.bytes[self.len..self.len + take].copy_from_slice(&s.as_bytes()[..take]);
        self.len += take;
        if take < s.len() {
            Err(fmt::Error)
        } else {
            Ok(())
        }
    }
}

/// Which count a wgpu-core API log line adds to, if any.
fn classify(message: &[u8]) -> Option<&'static AtomicU64> {
    if message.starts_with(b"ComputePass::dispatch") {
        Some(&COUNTER.dispatches)
    } else if message == b"Queue::submit" {
        Some(&COUNTER.submits)
    } else if message.starts_with(b"Buffer::map_async") {
        Some(&COUNTER.readbacks)
    } else if message == b"Queue::write_buffer" {
        Some(&COUNTER.writes)
    } else if message.starts_with(b"Device::create_compute_pipeline") {
        Some(&COUNTER.pipelines)
    } else {
        None
    }
}

impl log::Log for Counter {
    fn enabled(&self, metadata: &log::Metadata) -> bool {
        metadata.level() == log::Level::Trace && metadata.target().starts_with("wgpu_core")
    }

    fn log(&self, record: &log::Record) {
        if !self.on.load(Ordering::Relaxed) || !self.enabled(record.metadata()) {
            return;
        }
        let mut prefix = Prefix {
            bytes: [0; 32],
            len: 0,
        };
        // A message longer than the prefix stops the formatting early; the prefix is enough.
        let _ = prefix.write_fmt(*record.args());
        if let Some(count) = classify(&prefix.bytes[..prefix.len]) {
            count.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn flush(&self) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_the_calls_apart() {
        let counted: [(&[u8], &AtomicU64); 5] = [
            (b"ComputePass::dispatch [4, 1, 1]", &COUNTER.dispatches),
            (b"Queue::submit", &COUNTER.submits),
            (b"Buffer::map_async Id(3,1) offset", &COUNTER.readbacks),
            (b"Queue::write_buffer", &COUNTER.writes),
            (b"Device::create_compute_pipeline", &COUNTER.pipelines),
        ];
        for (line, count) in counted {
            assert!(
                classify(line).is_some_and(|c| std::ptr::eq(c, count)),
                "{}",
                String::from_utf8_lossy(line)
            );
        }
        assert!(classify(b"Queue::submit returned submit index 3").is_none());
        assert!(classify(b"Device::create_buffer").is_none());
    }
}
