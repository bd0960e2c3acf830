//! Messages between the page and the training worker, sent as JSON strings through
//! `postMessage`. The worker runs one job at a time: starting a job stops the one before it
//! (its owner hears `Stopped`), so two runs never race for the GPU.

use crate::vocab::{Activation, Optimizer, Surface};
use serde::{Deserialize, Serialize};

use crate::device::{Backend, DeviceInfo, Measurement};
use crate::field::Invalid;
use crate::report::{EvalReport, LrPoint, McPrediction, StepReport};
use crate::settings::{DataSet, DataSize, RunSettings};

/// What a job does with its runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum JobKind {
    /// Train every run, interleaved step by step (an optimizer race has several).
    Train,
    /// Transfer learning: train model A on the 8 other classes (run 0), then task B (T-shirt vs
    /// pullover, 20 images) from A's layers frozen for `freeze_epochs` epochs (run 1), and B from
    /// scratch (run 2). Each run ends with its test accuracy.
    Transfer {
        /// Epochs with the reused layers frozen.
        freeze_epochs: u32,
    },
}

/// A parameter that can change while a run trains, without restarting it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "name", content = "value", rename_all = "kebab-case")]
pub enum Tune {
    /// Base learning rate (scales the schedule).
    Lr(f64),
    /// Momentum or β₁.
    Momentum(f64),
    /// Gradient clipping threshold.
    ClipThreshold(f64),
    /// Dropout rate.
    Dropout(f64),
}

impl Tune {
    /// Records the change in a run's settings (so a restart keeps it).
    pub fn apply(self, settings: &mut RunSettings) {
        match self {
            Tune::Lr(v) => settings.lr = v,
            Tune::Momentum(v) => settings.momentum = v,
            Tune::ClipThreshold(v) => settings.clip_threshold = v,
            Tune::Dropout(v) => settings.dropout = v,
        }
    }
}

/// Device memory as the allocator reports it (WebGPU; the CPU backend reports none).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Memory {
    /// Bytes of live tensors.
    pub in_use: u64,
    /// Bytes the allocator holds, including pages kept for reuse.
    pub reserved: u64,
}

/// One activation curve to compute.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurveRequest {
    /// The activation.
    pub activation: Activation,
    /// α or β (0: the activation's default).
    pub param: f64,
}

/// From the page to the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ToWorker {
    /// Choose the backend (None: WebGPU on a hardware adapter, else the CPU; see
    /// [`crate::device::choose`]). Answered by `Device`.
    Hello {
        /// The backend the reader asked for.
        prefer: Option<Backend>,
        /// The reader asked to measure both backends, even on a software adapter.
        #[serde(default)]
        measure: bool,
        /// Measurements the page kept from earlier visits (this adapter's are used).
        #[serde(default)]
        measured: Vec<Measurement>,
    },
    /// Start a job (stops any other). Answered by `Data` progress, `Started`, `Progress`…
    Start {
        /// Id chosen by the page, unique per page load.
        job: u32,
        /// What to do.
        kind: JobKind,
        /// One settings set per run.
        runs: Vec<RunSettings>,
        /// Start paused (the page then sends `Step` or `Resume`).
        paused: bool,
    },
    /// Pause after the current chunk.
    Pause {
        /// The job.
        job: u32,
    },
    /// Resume a paused job.
    Resume {
        /// The job.
        job: u32,
    },
    /// Train one step of every run, then pause.
    Step {
        /// The job.
        job: u32,
    },
    /// Stop the job and free its model, optimizer state and device memory.
    Reset {
        /// The job.
        job: u32,
    },
    /// Change a parameter of every run of the job, live.
    Tune {
        /// The job.
        job: u32,
        /// The change.
        tune: Tune,
    },
    /// MC-dropout prediction with run 0 of the job (finished or paused).
    Predict {
        /// The job.
        job: u32,
        /// Test images to predict, from the start of the test split.
        images: u32,
        /// Stochastic forward passes per image.
        samples: u32,
    },
    /// Activation values and derivatives on a grid. Answered by `Curves`.
    Curves {
        /// Request id.
        request: u32,
        /// The activations.
        curves: Vec<CurveRequest>,
        /// Grid start.
        lo: f64,
        /// Grid end.
        hi: f64,
        /// Grid points.
        points: u32,
    },
    /// The learning rate of every step of a run, without training. Answered by `LrCurve`.
    LrCurve {
        /// Request id.
        request: u32,
        /// The run (schedule, lr, epochs, batch size, data size).
        settings: RunSettings,
    },
    /// Optimizer paths on a 2-D surface. Answered by `Paths`.
    Paths {
        /// Request id.
        request: u32,
        /// The surface.
        surface: Surface,
        /// Optimizers to walk.
        optimizers: Vec<Optimizer>,
        /// Learning rate of all of them.
        lr: f64,
        /// μ of the momentum and Nesterov paths (their default 0.9 when absent).
        #[serde(default)]
        momentum: Option<f64>,
        /// Steps per path.
        steps: u32,
    },
}

/// Where a data download stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "phase", rename_all = "kebab-case")]
pub enum DataPhase {
    /// Downloading (or reading from the browser cache).
    Loading {
        /// Bytes received so far.
        done: u64,
        /// Bytes expected in all.
        total: u64,
        /// Files served from the browser's cache so far.
        cached_files: u32,
    },
    /// Decoded and ready.
    Ready {
        /// Training images.
        train: usize,
        /// Validation images.
        valid: usize,
        /// Test images.
        test: usize,
        /// Downloaded files the browser could not keep (storage full or unavailable): they
        /// will be downloaded again next time.
        uncached_files: u32,
    },
}

/// What the worker knows about one run when it starts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    /// Legend label.
    pub label: String,
    /// Optimizer steps per epoch.
    pub steps_per_epoch: usize,
    /// Steps of the whole run.
    pub total_steps: usize,
}

/// An image shown with predictions: raw pixels (HWC) and its label.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Image {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// 1 (grey) or 3 (RGB).
    pub channels: u8,
    /// Pixels, row by row, channels interleaved.
    pub pixels: Vec<u8>,
}

/// One curve of an activation function.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Curve {
    /// What was asked.
    pub request: CurveRequest,
    /// Grid points.
    pub z: Vec<f64>,
    /// f(z).
    pub value: Vec<f64>,
    /// f′(z).
    pub derivative: Vec<f64>,
}

/// One optimizer's walk on a surface.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Path {
    /// The optimizer.
    pub optimizer: Optimizer,
    /// (x, y, f) after each step, the start first; ends early on divergence.
    pub points: Vec<(f64, f64, f64)>,
}

/// From the worker to the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum FromWorker {
    /// The worker's code is loaded (sent once, before anything else).
    Loaded,
    /// The device in use (after `Hello`, whenever it falls back, and when a measurement picks
    /// the other backend for a job).
    Device(DeviceInfo),
    /// Both backends were measured on a job's model (the page keeps it for later visits).
    Measured(Measurement),
    /// Data download progress of a job.
    Data {
        /// The job.
        job: u32,
        /// Which data.
        data: DataSet,
        /// How much of it.
        size: DataSize,
        /// Progress.
        phase: DataPhase,
    },
    /// The job's runs are built and about to train.
    Started {
        /// The job.
        job: u32,
        /// One entry per run.
        runs: Vec<RunInfo>,
    },
    /// Steps trained by one run.
    Progress {
        /// The job.
        job: u32,
        /// Which run.
        run: usize,
        /// What happened.
        report: StepReport,
        /// Measured throughput of this chunk, in images.
        samples_per_second: f64,
        /// Measured throughput of this chunk, in optimizer steps.
        steps_per_second: f64,
    },
    /// A run's test result (transfer learning, and every run that finishes).
    Tested {
        /// The job.
        job: u32,
        /// Which run.
        run: usize,
        /// Test loss and accuracy.
        report: EvalReport,
    },
    /// The job is paused.
    Paused {
        /// The job.
        job: u32,
    },
    /// The job is running.
    Running {
        /// The job.
        job: u32,
    },
    /// Every run of the job is over.
    Finished {
        /// The job.
        job: u32,
        /// What the device's allocator holds now.
        memory: Option<Memory>,
        /// Size of the worker's WebAssembly memory.
        worker_bytes: u64,
    },
    /// The job was stopped (reset, or replaced by another job) and its memory freed.
    Stopped {
        /// The job.
        job: u32,
        /// What the device's allocator holds after the cleanup.
        memory: Option<Memory>,
        /// Size of the worker's WebAssembly memory (it never shrinks: growth across runs is a leak).
        worker_bytes: u64,
    },
    /// MC-dropout prediction.
    Prediction {
        /// The job.
        job: u32,
        /// Mean and std of class probabilities.
        prediction: McPrediction,
        /// The predicted images.
        images: Vec<Image>,
        /// Class names.
        classes: Vec<String>,
    },
    /// Activation curves.
    Curves {
        /// Request id.
        request: u32,
        /// One per requested activation.
        curves: Vec<Curve>,
    },
    /// A learning-rate curve.
    LrCurve {
        /// Request id.
        request: u32,
        /// Every step's lr.
        points: Vec<LrPoint>,
    },
    /// Optimizer paths (the page draws the surface under them itself, from
    /// [`crate::surface`]).
    Paths {
        /// Request id.
        request: u32,
        /// One path per optimizer.
        paths: Vec<Path>,
    },
    /// Something failed; the page words `problem` in the reader's language. `job` is set when a
    /// job failed.
    Failed {
        /// The job, if any.
        job: Option<u32>,
        /// Request id, if a request failed.
        request: Option<u32>,
        /// What went wrong.
        problem: Problem,
    },
}

impl FromWorker {
    /// The job a message is about, if any.
    pub fn job(&self) -> Option<u32> {
        match self {
            FromWorker::Data { job, .. }
            | FromWorker::Started { job, .. }
            | FromWorker::Progress { job, .. }
            | FromWorker::Tested { job, .. }
            | FromWorker::Paused { job }
            | FromWorker::Running { job }
            | FromWorker::Finished { job, .. }
            | FromWorker::Stopped { job, .. }
            | FromWorker::Prediction { job, .. } => Some(*job),
            FromWorker::Failed { job, .. } => *job,
            FromWorker::Loaded
            | FromWorker::Device(_)
            | FromWorker::Measured(_)
            | FromWorker::Curves { .. }
            | FromWorker::LrCurve { .. }
            | FromWorker::Paths { .. } => None,
        }
    }
}

/// What went wrong, as a code the page words in the reader's language. `detail` carries the
/// technical words (a file name and HTTP status, Burn's error), shown as they are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
pub enum Problem {
    /// The data could not be loaded.
    Data {
        /// Which file and how.
        problem: DataProblem,
    },
    /// The page asked for settings the worker refuses: a field out of its range.
    Settings {
        /// The field and its value.
        invalid: Invalid,
    },
    /// Training or a computation failed.
    Training {
        /// Burn's or the core's words.
        detail: String,
    },
    /// The worker did not understand a message from the page.
    Protocol {
        /// The decoder's words.
        detail: String,
    },
    /// A prediction was asked of a model that has not trained yet.
    NotTrained,
    /// The training worker could not start.
    WorkerDidNotStart {
        /// The browser's words.
        detail: String,
    },
    /// The training worker stopped (an uncaught error or a trap); a new one runs on the CPU.
    WorkerStopped {
        /// The browser's words.
        detail: String,
    },
}

/// Why the data could not be loaded, as a code with the file it concerns. `detail` carries the
/// browser's or the parser's own words, shown as they are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum DataProblem {
    /// The site was built without its data: its manifest is missing.
    NoManifest {
        /// The server's HTTP status.
        status: u16,
    },
    /// A file could not be fetched at all (offline, blocked, or a browser API failed).
    Unreachable {
        /// The file, as the site names it (`data/…`), or empty when no file was involved.
        file: String,
        /// The browser's words.
        detail: String,
    },
    /// The server answered with an HTTP error.
    Http {
        /// The file.
        file: String,
        /// The HTTP status.
        status: u16,
    },
    /// A file arrived with another size than the manifest says.
    Incomplete {
        /// The file.
        file: String,
        /// Bytes received.
        got: u64,
        /// Bytes the manifest lists.
        expected: u64,
    },
    /// A file's SHA-256 differs from the manifest.
    Corrupt {
        /// The file.
        file: String,
    },
    /// A file arrived intact but could not be read (its format, its labels).
    Unreadable {
        /// The file.
        file: String,
        /// The reader's words.
        detail: String,
    },
}

impl Problem {
    /// Whether trying again can help (a download failed, or the worker was replaced).
    pub fn retry(&self) -> bool {
        matches!(self, Problem::Data { .. } | Problem::WorkerStopped { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_change_is_kept_in_the_settings() {
        let mut s = RunSettings::default();
        Tune::Lr(0.5).apply(&mut s);
        Tune::Dropout(0.3).apply(&mut s);
        assert_eq!((s.lr, s.dropout), (0.5, 0.3));
        assert_eq!(s.momentum, RunSettings::default().momentum);
    }

    #[test]
    fn messages_round_trip_as_tagged_json() {
        let start = ToWorker::Start {
            job: 3,
            kind: JobKind::Transfer { freeze_epochs: 4 },
            runs: vec![RunSettings::default()],
            paused: false,
        };
        let text = serde_json::to_string(&start).expect("serializes");
        assert!(text.starts_with(r#"{"type":"start","job":3"#), "{text}");
        let back: ToWorker = serde_json::from_str(&text).expect("parses");
        assert_eq!(back, start);
        let tune: ToWorker =
            serde_json::from_str(r#"{"type":"tune","job":1,"tune":{"name":"lr","value":0.5}}"#)
                .expect("parses");
        assert_eq!(
            tune,
            ToWorker::Tune {
                job: 1,
                tune: Tune::Lr(0.5)
            }
        );
    }

    #[test]
    fn problems_travel_as_codes_and_say_when_a_retry_helps() {
        let failed = FromWorker::Failed {
            job: Some(2),
            request: None,
            problem: Problem::Data {
                problem: DataProblem::Http {
                    file: "data/x.gz".into(),
                    status: 503,
                },
            },
        };
        let text = serde_json::to_string(&failed).expect("serializes");
        assert!(
            text.contains(
                r#""problem":{"code":"data","problem":{"kind":"http","file":"data/x.gz","status":503}}"#
            ),
            "{text}"
        );
        assert_eq!(
            serde_json::from_str::<FromWorker>(&text).expect("parses"),
            failed
        );
        assert!(
            Problem::WorkerStopped {
                detail: String::new()
            }
            .retry()
        );
        assert!(
            !Problem::Training {
                detail: String::new()
            }
            .retry()
        );
        assert!(!Problem::NotTrained.retry());
    }
}
