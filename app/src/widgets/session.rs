//! A widget's training session: the job it owns in the worker, what each run reported so far,
//! and the runs kept from earlier (in `localStorage`, versioned) to overlay on the charts.

use book::WidgetKind;
use dl101_protocol::message::{
    DataPhase, FromWorker, Image, JobKind, Memory, Problem, RunInfo, ToWorker, Tune,
};
use dl101_protocol::report::{
    EpochReport, EvalReport, Event, McPrediction, ProbeRecord, StepReport,
};
use dl101_protocol::settings::RunSettings;
use gloo_storage::errors::StorageError;
use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::prefs::storage_usable;
use crate::runtime::runtime;

/// Where a session stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    /// Nothing started.
    Idle,
    /// Waiting for the worker (loading its code, choosing the device).
    Starting,
    /// Downloading or reading the data.
    Loading {
        /// Bytes so far.
        done: u64,
        /// Bytes in all.
        total: u64,
        /// Files read from the browser cache.
        cached: u32,
    },
    /// Training.
    Running,
    /// Paused by the reader.
    Paused,
    /// Every run is over.
    Finished,
    /// Reset, or replaced by another widget's job.
    Stopped,
    /// Something failed; a retry is offered when trying again can help (`Problem::retry`).
    Failed {
        /// What went wrong (worded in the reader's language by the run bar).
        problem: Problem,
    },
}

impl Status {
    /// The status as the page's `data-status` attribute spells it (tests read it).
    pub fn code(&self) -> &'static str {
        match self {
            Status::Idle => "idle",
            Status::Starting => "starting",
            Status::Loading { .. } => "loading",
            Status::Running => "running",
            Status::Paused => "paused",
            Status::Finished => "finished",
            Status::Stopped => "stopped",
            Status::Failed { .. } => "failed",
        }
    }

    /// Whether the job is alive in the worker (training or paused).
    pub fn active(&self) -> bool {
        matches!(
            self,
            Status::Starting | Status::Loading { .. } | Status::Running | Status::Paused
        )
    }
}

/// Everything one run reported.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trace {
    /// Legend label.
    pub label: String,
    /// Steps per epoch and in all.
    pub info: Option<RunInfo>,
    /// Loss of every step.
    pub losses: Vec<f32>,
    /// Learning rate of every step.
    pub lrs: Vec<f64>,
    /// Epoch summaries.
    pub epochs: Vec<EpochReport>,
    /// Probe snapshots.
    pub probes: Vec<ProbeRecord>,
    /// Test result once the run is over.
    pub test: Option<EvalReport>,
    /// Step whose loss was not finite.
    pub diverged_at: Option<usize>,
    /// Steps done.
    pub steps: usize,
    /// Latest throughput.
    pub samples_per_second: f64,
    /// Latest steps per second.
    pub steps_per_second: f64,
}

/// A finished run, kept for comparison (stored as JSON).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedRun {
    /// Legend label.
    pub label: String,
    /// Its settings.
    pub settings: RunSettings,
    /// Per epoch: train loss, train accuracy, valid accuracy.
    pub epochs: Vec<(f64, f64, Option<f64>)>,
    /// Test accuracy.
    pub test: Option<f64>,
    /// It diverged.
    pub diverged: bool,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    version: u32,
    runs: Vec<SavedRun>,
}

const STORE_VERSION: u32 = 1;
/// Earlier runs kept per widget.
pub const KEEP_RUNS: usize = 5;

fn store_key(kind: WidgetKind) -> String {
    format!("dl101.runs.v{STORE_VERSION}.{}", kind.name())
}

/// Saved runs that could not be read (they are ignored, and the reader is told).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CorruptStorage;

/// An MC-dropout answer: the prediction, the images, the class names.
pub type Prediction = (McPrediction, Vec<Image>, Vec<String>);

/// Reads the saved runs of a widget (none where the browser refuses storage).
///
/// # Errors
/// [`CorruptStorage`] when the stored text is not a readable list of this version.
pub fn load_runs(kind: WidgetKind) -> Result<Vec<SavedRun>, CorruptStorage> {
    if !storage_usable() {
        return Ok(Vec::new());
    }
    match LocalStorage::get::<Stored>(store_key(kind)) {
        Ok(stored) if stored.version == STORE_VERSION => Ok(stored.runs),
        Err(StorageError::KeyNotFound(_)) => Ok(Vec::new()),
        _ => Err(CorruptStorage),
    }
}

/// Stores a widget's runs as JSON; where the browser refuses (no storage, quota full) they are
/// kept for this page only, silently.
fn save_runs(kind: WidgetKind, runs: &[SavedRun]) {
    if !storage_usable() {
        return;
    }
    let stored = Stored {
        version: STORE_VERSION,
        runs: runs.to_vec(),
    };
    let _ = LocalStorage::set(store_key(kind), &stored);
}

/// One widget's connection to the worker.
#[derive(Clone, Copy)]
pub struct Session {
    kind: WidgetKind,
    /// The job this widget owns in the worker.
    pub job: RwSignal<Option<u32>>,
    /// Where it stands.
    pub status: RwSignal<Status>,
    /// One trace per run of the current job.
    pub traces: RwSignal<Vec<Trace>>,
    /// Earlier runs of this widget.
    pub saved: RwSignal<Vec<SavedRun>>,
    /// The stored runs were unreadable and were ignored.
    pub storage_corrupt: RwSignal<bool>,
    /// Latest MC-dropout prediction.
    pub prediction: RwSignal<Option<Prediction>>,
    /// Device memory after the last reset or finish.
    pub memory: RwSignal<Option<Memory>>,
    /// Data files the last download read from the browser cache.
    pub cached_files: RwSignal<u32>,
    /// The worker's WebAssembly memory after the last reset or finish.
    pub worker_bytes: RwSignal<u64>,
    /// Data files of the last download that the browser could not keep in its cache.
    pub uncached_files: RwSignal<u32>,
    /// How many of `saved` the current job added (they are not "earlier" runs).
    saved_now: RwSignal<usize>,
    started_with: StoredValue<Option<(JobKind, Vec<RunSettings>)>>,
    /// The page's names for the current job's runs, by index (an experiment names its runs by
    /// what it varies); a run without one keeps the worker's label.
    labels: StoredValue<Vec<String>>,
    /// Progress not yet in `traces`: applied together every [`PROGRESS_MS`], so nine runs in
    /// several workers redraw the charts a few times a second, not at every chunk.
    pending: StoredValue<Vec<Progress>>,
    flush_due: StoredValue<bool>,
}

/// One `Progress` message of a run.
type Progress = (usize, StepReport, f64, f64);

/// How often the charts take in new steps while runs train.
const PROGRESS_MS: u32 = 200;

impl Session {
    /// A session listening to the worker; on unmount it stops its job and stops listening.
    pub fn new(kind: WidgetKind) -> Session {
        let (saved, corrupt) = match load_runs(kind) {
            Ok(runs) => (runs, false),
            Err(CorruptStorage) => (Vec::new(), true),
        };
        let session = Session {
            kind,
            job: RwSignal::new(None),
            status: RwSignal::new(Status::Idle),
            traces: RwSignal::new(Vec::new()),
            saved: RwSignal::new(saved),
            storage_corrupt: RwSignal::new(corrupt),
            prediction: RwSignal::new(None),
            memory: RwSignal::new(None),
            cached_files: RwSignal::new(0),
            worker_bytes: RwSignal::new(0),
            uncached_files: RwSignal::new(0),
            saved_now: RwSignal::new(0),
            started_with: StoredValue::new(None),
            labels: StoredValue::new(Vec::new()),
            pending: StoredValue::new(Vec::new()),
            flush_due: StoredValue::new(false),
        };
        let listener = runtime().listen(move |message| session.receive(message));
        on_cleanup(move || {
            let rt = runtime();
            rt.unlisten(listener);
            if let Some(Some(job)) = session.job.try_get_untracked() {
                rt.send(&ToWorker::Reset { job });
            }
        });
        session
    }

    fn mine(&self, job: u32) -> bool {
        self.job.try_get_untracked().flatten() == Some(job)
    }

    /// Puts the progress received so far into the traces.
    fn flush(&self) {
        let Some(pending) = self.pending.try_update_value(std::mem::take) else {
            return;
        };
        if pending.is_empty() {
            return;
        }
        self.traces.try_update(|traces| {
            for (run, report, samples_per_second, steps_per_second) in pending {
                if let Some(trace) = traces.get_mut(run) {
                    trace.losses.extend_from_slice(&report.losses);
                    trace.lrs.extend_from_slice(&report.lrs);
                    trace.probes.extend(report.probes.iter().cloned());
                    trace.steps = report.global_step;
                    trace.samples_per_second = samples_per_second;
                    trace.steps_per_second = steps_per_second;
                    for event in &report.events {
                        match event {
                            Event::EpochEnd(epoch) => trace.epochs.push(epoch.clone()),
                            Event::Diverged { step, .. } => trace.diverged_at = Some(*step),
                            _ => {}
                        }
                    }
                }
            }
        });
    }

    fn receive(&self, message: &FromWorker) {
        if let FromWorker::Progress {
            job,
            run,
            report,
            samples_per_second,
            steps_per_second,
        } = message
        {
            if self.mine(*job) {
                self.pending.try_update_value(|p| {
                    p.push((*run, report.clone(), *samples_per_second, *steps_per_second))
                });
                // A run's first steps show at once: that is what the reader waits for.
                let first = self
                    .traces
                    .try_with_untracked(|ts| ts.get(*run).is_some_and(|t| t.steps == 0))
                    .unwrap_or(false);
                if first {
                    self.flush();
                } else if self.flush_due.try_get_value() == Some(false) {
                    self.flush_due.try_set_value(true);
                    let session = *self;
                    gloo_timers::callback::Timeout::new(PROGRESS_MS, move || {
                        session.flush_due.try_set_value(false);
                        session.flush();
                    })
                    .forget();
                }
            }
            return;
        }
        // Everything else follows the steps before it.
        if message.job().is_some_and(|job| self.mine(job)) {
            self.flush();
        }
        match message {
            FromWorker::Data { job, phase, .. } if self.mine(*job) => match phase {
                DataPhase::Loading {
                    done,
                    total,
                    cached_files,
                } => {
                    self.cached_files.try_set(*cached_files);
                    self.status.try_set(Status::Loading {
                        done: *done,
                        total: *total,
                        cached: *cached_files,
                    });
                }
                DataPhase::Ready { uncached_files, .. } => {
                    self.uncached_files.try_set(*uncached_files);
                    self.status.try_set(Status::Starting);
                }
            },
            FromWorker::Started { job, runs } if self.mine(*job) => {
                let labels = self.labels.get_value();
                self.traces.try_set(
                    runs.iter()
                        .enumerate()
                        .map(|(i, info)| Trace {
                            label: labels.get(i).unwrap_or(&info.label).clone(),
                            info: Some(info.clone()),
                            ..Trace::default()
                        })
                        .collect(),
                );
            }
            FromWorker::Running { job } if self.mine(*job) => {
                self.status.try_set(Status::Running);
            }
            FromWorker::Paused { job } if self.mine(*job) => {
                self.status.try_set(Status::Paused);
            }
            FromWorker::Tested { job, run, report } if self.mine(*job) => {
                self.traces.try_update(|traces| {
                    if let Some(trace) = traces.get_mut(*run) {
                        trace.test = Some(*report);
                    }
                });
            }
            FromWorker::Finished {
                job,
                memory,
                worker_bytes,
            } if self.mine(*job) => {
                self.status.try_set(Status::Finished);
                self.memory.try_set(*memory);
                self.worker_bytes.try_set(*worker_bytes);
                self.remember_runs();
            }
            FromWorker::Stopped {
                job,
                memory,
                worker_bytes,
            } if self.mine(*job) => {
                self.memory.try_set(*memory);
                self.worker_bytes.try_set(*worker_bytes);
                self.job.try_set(None);
                self.status.try_set(Status::Stopped);
            }
            FromWorker::Prediction {
                job,
                prediction,
                images,
                classes,
            } if self.mine(*job) => {
                self.prediction.try_set(Some((
                    prediction.clone(),
                    images.clone(),
                    classes.clone(),
                )));
            }
            FromWorker::Failed { job, problem, .. } => {
                let for_me = match job {
                    Some(job) => self.mine(*job),
                    // A worker crash concerns every active session.
                    None => self.status.try_get_untracked().is_some_and(|s| s.active()),
                };
                if for_me {
                    self.status.try_set(Status::Failed {
                        problem: problem.clone(),
                    });
                    if job.is_none() {
                        self.job.try_set(None);
                    }
                }
            }
            _ => {}
        }
    }

    fn remember_runs(&self) {
        let Some((_, settings)) = self.started_with.get_value() else {
            return;
        };
        let traces = self.traces.get_untracked();
        // Read again, not from memory: another tab of the book may have saved runs of this widget
        // since this one loaded, and they are kept too.
        let mut saved = load_runs(self.kind).unwrap_or_else(|CorruptStorage| Vec::new());
        let before = saved.len();
        for (trace, settings) in traces.iter().zip(settings.iter().cycle()) {
            if trace.epochs.is_empty() && trace.test.is_none() {
                continue;
            }
            saved.push(SavedRun {
                label: trace.label.clone(),
                settings: settings.clone(),
                epochs: trace
                    .epochs
                    .iter()
                    .map(|e| (e.train_loss, e.train_accuracy, e.valid.map(|v| v.accuracy)))
                    .collect(),
                test: trace.test.map(|t| t.accuracy),
                diverged: trace.diverged_at.is_some(),
            });
        }
        let added = saved.len() - before;
        let excess = saved.len().saturating_sub(KEEP_RUNS * traces.len().max(1));
        saved.drain(..excess);
        save_runs(self.kind, &saved);
        self.saved.set(saved);
        self.saved_now.set(added);
    }

    /// Runs kept from before the current job (tracked).
    pub fn earlier(&self) -> Vec<SavedRun> {
        let now = self.saved_now.get();
        self.saved
            .with(|saved| saved[..saved.len().saturating_sub(now)].to_vec())
    }

    /// Forgets the earlier runs.
    pub fn clear_saved(&self) {
        self.saved.set(Vec::new());
        self.saved_now.set(0);
        self.storage_corrupt.set(false);
        save_runs(self.kind, &[]);
    }

    /// Starts a job (stopping this widget's previous one, and any other widget's).
    pub fn start(&self, kind: JobKind, runs: Vec<RunSettings>, paused: bool) {
        self.start_labelled(kind, runs, Vec::new(), paused);
    }

    /// Starts a job whose runs the page names itself (`labels`, by run).
    pub fn start_labelled(
        &self,
        kind: JobKind,
        runs: Vec<RunSettings>,
        labels: Vec<String>,
        paused: bool,
    ) {
        let rt = runtime();
        self.labels.set_value(labels);
        let job = rt.next_id();
        self.pending.set_value(Vec::new());
        self.job.set(Some(job));
        self.status.set(Status::Starting);
        self.traces.set(Vec::new());
        self.saved_now.set(0);
        self.prediction.set(None);
        self.started_with
            .set_value(Some((kind.clone(), runs.clone())));
        rt.send(&ToWorker::Start {
            job,
            kind,
            runs,
            paused,
        });
    }

    /// The settings the current job's first run started with (not tracked: read it where the
    /// traces are, which a start resets).
    pub fn first_settings(&self) -> Option<RunSettings> {
        self.started_with
            .with_value(|started| started.as_ref().and_then(|(_, runs)| runs.first().cloned()))
    }

    /// Starts the same job again (after a failed download).
    pub fn retry(&self) {
        if let Some((kind, runs)) = self.started_with.get_value() {
            self.start_labelled(kind, runs, self.labels.get_value(), false);
        }
    }

    fn send_for_job(&self, make: impl FnOnce(u32) -> ToWorker) {
        if let Some(job) = self.job.get_untracked() {
            runtime().send(&make(job));
        }
    }

    /// Pauses the job.
    pub fn pause(&self) {
        self.send_for_job(|job| ToWorker::Pause { job });
    }

    /// Resumes the job.
    pub fn resume(&self) {
        self.send_for_job(|job| ToWorker::Resume { job });
    }

    /// One step of every run, then pause.
    pub fn step(&self) {
        self.send_for_job(|job| ToWorker::Step { job });
    }

    /// Stops the job and frees its memory; the charts keep what was drawn.
    pub fn reset(&self) {
        self.send_for_job(|job| ToWorker::Reset { job });
        if self.job.get_untracked().is_none() {
            self.status.set(Status::Idle);
        }
    }

    /// Changes a parameter live.
    pub fn tune(&self, tune: Tune) {
        self.send_for_job(|job| ToWorker::Tune { job, tune });
        self.started_with.update_value(|started| {
            if let Some((_, runs)) = started {
                for s in runs.iter_mut() {
                    tune.apply(s);
                }
            }
        });
    }

    /// MC-dropout prediction with the trained model.
    pub fn predict(&self, images: u32, samples: u32) {
        self.send_for_job(|job| ToWorker::Predict {
            job,
            images,
            samples,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn raw() -> web_sys::Storage {
        web_sys::window()
            .and_then(|w| w.local_storage().ok().flatten())
            .expect("headless Chromium has localStorage")
    }

    fn run(label: &str) -> SavedRun {
        SavedRun {
            label: label.into(),
            settings: RunSettings::default(),
            epochs: vec![(0.5, 0.8, Some(0.75)), (0.4, 0.85, None)],
            test: Some(0.8),
            diverged: false,
        }
    }

    #[test]
    fn saved_runs_keep_the_json_written_before_gloo_storage() {
        let kind = WidgetKind::Regularization;
        let key = store_key(kind);
        let storage = raw();
        let _ = storage.remove_item(&key);
        assert_eq!(load_runs(kind), Ok(Vec::new()));
        // Text as earlier versions stored it (settings it leaves out take their defaults).
        let old = r#"{"version":1,"runs":[{"label":"old","settings":{"lr":0.1},
            "epochs":[[0.5,0.8,0.75],[0.4,0.85,null]],"test":0.8,"diverged":false}]}"#;
        storage.set_item(&key, old).expect("a short value fits");
        let mut expected = run("old");
        expected.settings.lr = 0.1;
        assert_eq!(load_runs(kind), Ok(vec![expected]));
        // And what is written now is the same text as before: `serde_json` of the versioned list.
        let runs = vec![run("a"), run("b")];
        save_runs(kind, &runs);
        let text = storage.get_item(&key).ok().flatten();
        let before = serde_json::to_string(&Stored {
            version: STORE_VERSION,
            runs: runs.clone(),
        })
        .ok();
        assert_eq!(text, before);
        assert_eq!(load_runs(kind), Ok(runs));
        let _ = storage.remove_item(&key);
    }

    #[test]
    fn unreadable_runs_are_reported_and_a_full_storage_is_ignored() {
        let kind = WidgetKind::McDropout;
        let key = store_key(kind);
        let storage = raw();
        for text in [
            "{not json",
            r#"{"version":2,"runs":[]}"#,
            r#"{"version":1}"#,
        ] {
            storage.set_item(&key, text).expect("a short value fits");
            assert_eq!(load_runs(kind), Err(CorruptStorage), "{text}");
        }
        save_runs(kind, &[run("kept")]);
        // Far past Chromium's quota for one origin: refused, silently, and the last runs stay.
        let huge = run(&"x".repeat(12 << 20));
        save_runs(kind, &[huge]);
        assert_eq!(load_runs(kind), Ok(vec![run("kept")]));
        let _ = storage.remove_item(&key);
    }

    /// Makes `window.localStorage` throw, as it does where the browser refuses storage, or puts
    /// the real one back (Chromium has it as an own property of `window`).
    fn refuse_storage(refuse: bool) {
        let script = if refuse {
            "window.__dl101Storage = Object.getOwnPropertyDescriptor(window, 'localStorage'); \
             Object.defineProperty(window, 'localStorage', { configurable: true, \
             get() { throw new DOMException('refused', 'SecurityError'); } });"
        } else {
            "const real = window.__dl101Storage; delete window.__dl101Storage; \
             if (real) { Object.defineProperty(window, 'localStorage', real); } \
             else { delete window.localStorage; }"
        };
        js_sys::Function::new_no_args(script)
            .call0(&wasm_bindgen::JsValue::NULL)
            .expect("the test can shadow window.localStorage");
    }

    #[test]
    fn a_browser_that_refuses_storage_still_works() {
        let kind = WidgetKind::OptimizerRace;
        refuse_storage(true);
        let usable = storage_usable();
        let loaded = load_runs(kind);
        // Would throw out of the WebAssembly if gloo-storage were reached.
        save_runs(kind, &[run("lost")]);
        let theme = crate::prefs::current_theme();
        crate::prefs::save_language(book::Language::En);
        let language = crate::prefs::saved_language();
        refuse_storage(false);
        assert!(!usable);
        assert_eq!(loaded, Ok(Vec::new()));
        assert!(matches!(
            theme,
            crate::prefs::Theme::Light | crate::prefs::Theme::Dark
        ));
        assert_eq!(language, None);
        assert!(storage_usable(), "localStorage is back");
        assert_eq!(load_runs(kind), Ok(Vec::new()));
    }
}
