//! The page's side of the training workers: starts them (the loader Trunk builds from the
//! `worker` crate, named by content hash after the build) the first time a widget needs one,
//! passes JSON messages both ways, and hands each widget the messages of its own jobs and
//! requests.
//!
//! Worker 0 does everything a single worker did: requests, jobs of one run, every job on WebGPU.
//! On the CPU a job of several runs (an optimizer race, a comparison) is split over a pool of
//! workers, one part each (`dl101_protocol::pool`), so every core trains; the widgets still see
//! one job. Helpers are started when a job is split (they load while part 0 gets its data),
//! always on the CPU, and closed after [`HELPER_IDLE_MS`] without work, which gives their memory
//! back. If a worker dies (a panic, an out-of-memory trap), its jobs fail with the reason; a dead
//! worker 0 is started again on the CPU at once, a helper when next needed.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use dl101_protocol::device::{Backend, CpuReason, DeviceInfo};
use dl101_protocol::message::{FromWorker, JobKind, ToWorker};
use dl101_protocol::pool::{Outcome, Split};
use dl101_protocol::settings::RunSettings;
use leptos::prelude::*;

use crate::prefs;

/// A helper worker with no part of any job for this long is closed.
pub const HELPER_IDLE_MS: u32 = 15_000;

/// What the device badge shows.
#[derive(Clone, Debug, PartialEq)]
pub enum WorkerState {
    /// Nothing asked for the worker yet (no widget used).
    Idle,
    /// The worker is loading or choosing its device.
    Starting,
    /// Training runs on this device.
    Ready(DeviceInfo),
}

type Listener = Rc<dyn Fn(&FromWorker)>;

mod workers;

use workers::{Slot, pool_size};

struct Inner {
    /// Worker `k` at index `k`; worker 0 is the page's main worker, the others its helpers.
    slots: RefCell<Vec<Option<Slot>>>,
    listeners: RefCell<Vec<(u32, Listener)>>,
    next_id: Cell<u32>,
    /// Reference-counted, not owned by whichever component first asked for the runtime (an
    /// arena signal would be disposed with that component).
    state: ArcRwSignal<WorkerState>,
    prefer: Cell<Option<Backend>>,
    /// The reader asked to measure which backend is faster.
    measure: Cell<bool>,
    /// What the page's own probe expects worker 0 to choose, before it has.
    expected: Cell<Option<Backend>>,
    crashes: Cell<u32>,
    /// The jobs in the workers, each with its parts, until every part has stopped.
    splits: RefCell<Vec<Split>>,
    /// A check for idle helpers is pending.
    idle: Cell<bool>,
}

/// A handle on the training workers, shared by every widget of the page.
#[derive(Clone)]
pub struct Runtime(Rc<Inner>);

thread_local! {
    static RUNTIME: RefCell<Option<Runtime>> = const { RefCell::new(None) };
}

/// The runtime of this page (created on first use; the worker itself starts on first `send`).
pub fn runtime() -> Runtime {
    RUNTIME.with(|cell| {
        cell.borrow_mut()
            .get_or_insert_with(|| {
                Runtime(Rc::new(Inner {
                    slots: RefCell::new(Vec::new()),
                    listeners: RefCell::new(Vec::new()),
                    next_id: Cell::new(1),
                    state: ArcRwSignal::new(WorkerState::Idle),
                    prefer: Cell::new(prefs::saved_backend()),
                    measure: Cell::new(prefs::saved_measure()),
                    expected: Cell::new(None),
                    crashes: Cell::new(0),
                    splits: RefCell::new(Vec::new()),
                    idle: Cell::new(false),
                }))
            })
            .clone()
    })
}

impl Runtime {
    /// The badge's state.
    pub fn state(&self) -> ArcRwSignal<WorkerState> {
        self.0.state.clone()
    }

    /// A fresh id for a job or request (unique for this page load).
    pub fn next_id(&self) -> u32 {
        let id = self.0.next_id.get();
        self.0.next_id.set(id.wrapping_add(1));
        id
    }

    /// Calls `listener` with every message from the workers until the returned id is removed.
    pub fn listen(&self, listener: impl Fn(&FromWorker) + 'static) -> u32 {
        let id = self.next_id();
        self.0.listeners.borrow_mut().push((id, Rc::new(listener)));
        id
    }

    /// Stops calling a listener.
    pub fn unlisten(&self, id: u32) {
        self.0.listeners.borrow_mut().retain(|(i, _)| *i != id);
    }

    /// The backend the page's own probe found the workers will choose (before worker 0 says).
    pub fn expect(&self, backend: Option<Backend>) {
        self.0.expected.set(backend);
    }

    /// Sends a message from a widget: a job is split over the pool where it trains on the CPU,
    /// commands go to the workers holding the job, requests to worker 0.
    pub fn send(&self, message: &ToWorker) {
        match message {
            ToWorker::Start {
                job,
                kind,
                runs,
                paused,
            } => {
                // One job at a time, as in one worker: the others' owners hear `Stopped`.
                let mut stops = Vec::new();
                for split in self.0.splits.borrow_mut().iter_mut() {
                    stops.extend(split.stop());
                }
                self.post_all(stops);
                self.start(*job, kind.clone(), runs.clone(), *paused);
            }
            ToWorker::Pause { job }
            | ToWorker::Resume { job }
            | ToWorker::Step { job }
            | ToWorker::Reset { job }
            | ToWorker::Tune { job, .. }
            | ToWorker::Predict { job, .. } => {
                let sends = self
                    .0
                    .splits
                    .borrow_mut()
                    .iter_mut()
                    .rev()
                    .find(|s| s.job == *job && s.live())
                    .map(|s| s.command(message))
                    .unwrap_or_default();
                self.post_all(sends);
            }
            ToWorker::Hello { .. }
            | ToWorker::Curves { .. }
            | ToWorker::LrCurve { .. }
            | ToWorker::Paths { .. } => self.post_to(0, message),
        }
    }

    fn start(&self, job: u32, kind: JobKind, runs: Vec<RunSettings>, paused: bool) {
        let workers = if self.on_cpu() { pool_size() } else { 1 };
        let (split, sends) = Split::new(job, self.next_id(), kind, runs, paused, workers);
        let helpers: Vec<usize> = split.workers().filter(|&w| w > 0).collect();
        self.0.splits.borrow_mut().push(split);
        self.post_all(sends);
        // The helpers' parts start once part 0 has its data; their workers load meanwhile
        // (a worker's wasm takes ~0.4 s to start), so they are ready when their parts come.
        for helper in helpers {
            self.ensure_worker(helper);
        }
    }

    /// Whether worker 0 trains on the CPU (or will: the reader's choice, else its own word,
    /// else the page's probe).
    fn on_cpu(&self) -> bool {
        match (self.0.prefer.get(), self.0.state.get_untracked()) {
            (Some(Backend::Cpu), _) => true,
            // The reader asked for WebGPU: the CPU only where WebGPU failed.
            (Some(Backend::Webgpu), WorkerState::Ready(info)) => {
                info.backend == Backend::Cpu
                    && !matches!(info.cpu_reason, Some(CpuReason::ChosenByReader))
            }
            (Some(Backend::Webgpu), _) => false,
            (None, WorkerState::Ready(info)) => info.backend == Backend::Cpu,
            (None, _) => self.0.expected.get() == Some(Backend::Cpu),
        }
    }

    /// Switches the backend (remembered for later visits); a running job restarts on it, from
    /// its start, with its live changes.
    pub fn choose_backend(&self, backend: Backend) {
        prefs::save_backend(backend);
        self.choose(Some(backend), false);
    }

    /// Lets each job train on the faster backend for its model, measured (remembered).
    pub fn choose_measured(&self) {
        prefs::save_measure();
        self.choose(None, true);
    }

    fn choose(&self, prefer: Option<Backend>, measure: bool) {
        self.0.prefer.set(prefer);
        self.0.measure.set(measure);
        let mut again = Vec::new();
        let mut stops = Vec::new();
        for split in self.0.splits.borrow_mut().iter_mut().filter(|s| s.live()) {
            again.push((split.job, split.restart()));
            stops.extend(split.stop());
            split.silence();
        }
        self.post_all(stops);
        self.post_to(0, &self.hello(0));
        for (job, (kind, runs, paused)) in again {
            self.start(job, kind, runs, paused);
        }
    }

    /// Worker `index`'s `Hello`: worker 0 follows the reader (and the measurements kept from
    /// earlier visits); helpers train on the CPU, since a job is split only there.
    fn hello(&self, index: usize) -> ToWorker {
        if index == 0 {
            ToWorker::Hello {
                prefer: self.0.prefer.get(),
                measure: self.0.measure.get(),
                measured: prefs::measurements(),
            }
        } else {
            ToWorker::Hello {
                prefer: Some(Backend::Cpu),
                measure: false,
                measured: Vec::new(),
            }
        }
    }

    /// How many workers train the job now (1 unless it is split over the pool).
    pub fn parts(&self, job: u32) -> usize {
        self.0
            .splits
            .borrow()
            .iter()
            .rev()
            .find(|s| s.job == job && s.live())
            .map_or(1, |s| s.workers().count())
    }

    fn post_all(&self, sends: Vec<(usize, ToWorker)>) {
        for (worker, message) in sends {
            self.post_to(worker, &message);
        }
    }

    fn dispatch(&self, worker: usize, message: FromWorker) {
        match &message {
            FromWorker::Loaded => {
                let hello = self.hello(worker);
                let mut slots = self.0.slots.borrow_mut();
                if let Some(Some(slot)) = slots.get_mut(worker) {
                    slot.loaded = true;
                    let queued = std::mem::take(&mut slot.queue);
                    for text in serde_json::to_string(&hello).into_iter().chain(queued) {
                        let _ = slot.worker.post_message(&text.into());
                    }
                }
                return;
            }
            FromWorker::Device(info) => {
                if worker != 0 {
                    return;
                }
                self.0.state.set(WorkerState::Ready(info.clone()));
            }
            FromWorker::Measured(measurement) => prefs::save_measurement(measurement),
            _ => {}
        }
        match message.job() {
            Some(wire) => {
                let outcome = self
                    .0
                    .splits
                    .borrow_mut()
                    .iter_mut()
                    .find(|s| s.wire == wire)
                    .map(|s| s.receive(worker, message))
                    .unwrap_or_default();
                self.settle(outcome);
            }
            // Requests, devices and protocol errors: worker 0 only.
            None if worker == 0 => self.tell(&message),
            None => {}
        }
    }

    /// Acts on what a split decided, forgets the splits that are over, and closes idle helpers.
    fn settle(&self, outcome: Outcome) {
        self.post_all(outcome.send);
        self.0.splits.borrow_mut().retain(|s| !s.over());
        for message in &outcome.emit {
            self.tell(message);
        }
        self.schedule_idle();
    }

    fn tell(&self, message: &FromWorker) {
        // Listeners may add or remove listeners: call a snapshot.
        let listeners: Vec<Listener> = self
            .0
            .listeners
            .borrow()
            .iter()
            .map(|(_, l)| l.clone())
            .collect();
        for listener in listeners {
            listener(message);
        }
    }
}
