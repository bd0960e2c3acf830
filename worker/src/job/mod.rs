//! The worker's driver: takes the page's messages between training chunks, runs at most one
//! job at a time, and reports. A chunk is sized to take about [`CHUNK_MS`], so a pause or a
//! slider change is heard within a fraction of a second and readbacks stay rare.

mod answers;
mod build;
mod measure;
mod train;

use std::rc::Rc;

use dl101_core::data::TaskData;
use dl101_core::page;
use dl101_core::presets::{TransferRuns, transfer_runs};
use dl101_core::queries;
use dl101_core::{ExperimentConfig, Trainer, cpu_device};
use dl101_protocol::message::{
    CurveRequest, DataPhase, DataProblem, FromWorker, JobKind, Memory, Problem, RunInfo, ToWorker,
    Tune,
};
use dl101_protocol::settings::{DataSet, DataSize, RunSettings};
use dl101_protocol::throughput::Throughput;
use dl101_protocol::vocab::{Optimizer, Surface};
use gloo_timers::future::TimeoutFuture;
use web_sys::DedicatedWorkerGlobalScope;

use crate::data::{Fetcher, Loaded, Progress};
use crate::{Devices, Inbox, post};

/// Wall time one training chunk aims for.
const CHUNK_MS: f64 = 120.0;
/// Most steps in one chunk.
const MAX_CHUNK: usize = 512;

/// One run of a job.
struct Run {
    /// `None` until it can be built (transfer: B-from-A waits for A).
    trainer: Option<Trainer>,
    /// Config to build it from, when it waits.
    waiting: Option<(ExperimentConfig, TaskData)>,
    info: RunInfo,
    steps_per_chunk: usize,
    /// Its recent speed, as the page shows it.
    throughput: Throughput,
    tested: bool,
}

impl Run {
    fn done(&self) -> bool {
        self.tested
    }
}

/// The job being run.
struct Job {
    id: u32,
    kind: JobKind,
    settings: Vec<RunSettings>,
    runs: Vec<Run>,
    paused: bool,
    step_once: bool,
    next: usize,
    finished: bool,
}

impl Job {
    fn wants_steps(&self) -> bool {
        !self.finished && (!self.paused || self.step_once)
    }
}

/// Owns the device, the decoded data and the current job.
pub struct Runner {
    scope: DedicatedWorkerGlobalScope,
    inbox: Inbox,
    devices: Devices,
    data: Vec<((DataSet, DataSize), Rc<Loaded>)>,
    job: Option<Job>,
}

fn memory(device: &burn::tensor::Device) -> Option<Memory> {
    device.memory_pool_usage().map(|usage| Memory {
        in_use: usage.bytes_in_use,
        reserved: usage.bytes_reserved,
    })
}

/// Bytes of this worker's WebAssembly memory.
fn worker_bytes() -> u64 {
    use wasm_bindgen::JsCast;
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| {
            u64::from(
                m.buffer()
                    .unchecked_into::<js_sys::ArrayBuffer>()
                    .byte_length(),
            )
        })
        .unwrap_or(0)
}

fn now() -> f64 {
    js_sys::Date::now()
}

impl Runner {
    /// A runner with no device chosen yet.
    pub fn new(scope: DedicatedWorkerGlobalScope, inbox: Inbox) -> Self {
        Runner {
            scope,
            inbox,
            devices: Devices::default(),
            data: Vec::new(),
            job: None,
        }
    }

    fn post(&self, message: &FromWorker) {
        post(&self.scope, message);
    }

    fn fail(&self, job: Option<u32>, request: Option<u32>, problem: Problem) {
        self.post(&FromWorker::Failed {
            job,
            request,
            problem,
        });
    }

    /// Runs forever: messages first, then a chunk of training, then a breath.
    pub async fn drive(&mut self) {
        loop {
            let message = self.inbox.borrow_mut().pop_front();
            if let Some(message) = message {
                self.handle(message).await;
                continue;
            }
            // `setTimeout`, not a resolved promise: a macrotask, so the worker's message queue
            // (the page's Pause, Tune, Reset) runs between two chunks. gloo-timers binds the
            // global `setTimeout`, which a dedicated worker has as well as a window.
            if self.job.as_ref().is_some_and(Job::wants_steps) {
                self.chunk().await;
                TimeoutFuture::new(0).await;
            } else {
                TimeoutFuture::new(30).await;
            }
        }
    }

    async fn device(&mut self) -> burn::tensor::Device {
        if self.devices.current.is_none() {
            self.devices
                .choose(&self.scope, None, false, Vec::new())
                .await;
            if let Some((_, info)) = &self.devices.current {
                self.post(&FromWorker::Device(info.clone()));
            }
        }
        match &self.devices.current {
            Some((device, _)) => device.clone(),
            None => cpu_device(),
        }
    }

    async fn handle(&mut self, message: ToWorker) {
        match message {
            ToWorker::Hello {
                prefer,
                measure,
                measured,
            } => {
                self.devices
                    .choose(&self.scope, prefer, measure, measured)
                    .await;
                if let Some((_, info)) = &self.devices.current {
                    self.post(&FromWorker::Device(info.clone()));
                }
                // A running job moves to the new device, from its start.
                if let Some(job) = self.job.take() {
                    self.start(job.id, job.kind, job.settings, job.paused).await;
                }
            }
            ToWorker::Start {
                job,
                kind,
                runs,
                paused,
            } => {
                self.stop_current();
                self.start(job, kind, runs, paused).await;
            }
            ToWorker::Pause { job } => {
                self.with_job(job, |j| j.paused = true, FromWorker::Paused { job })
            }
            ToWorker::Resume { job } => {
                self.with_job(job, |j| j.paused = false, FromWorker::Running { job })
            }
            ToWorker::Step { job } => self.with_job(
                job,
                |j| {
                    j.paused = true;
                    j.step_once = true;
                },
                FromWorker::Running { job },
            ),
            ToWorker::Reset { job } => {
                if self.job.as_ref().is_some_and(|j| j.id == job) {
                    self.stop_current();
                }
            }
            ToWorker::Tune { job, tune } => self.tune(job, tune),
            ToWorker::Predict {
                job,
                images,
                samples,
            } => self.predict(job, images as usize, samples as usize).await,
            ToWorker::Curves {
                request,
                curves,
                lo,
                hi,
                points,
            } => self.curves(request, &curves, lo, hi, points as usize),
            ToWorker::LrCurve { request, settings } => self.lr_curve(request, &settings),
            ToWorker::Paths {
                request,
                surface,
                optimizers,
                lr,
                momentum,
                steps,
            } => {
                self.paths(request, surface, &optimizers, lr, momentum, steps as usize)
                    .await
            }
        }
    }

    fn with_job(&mut self, id: u32, change: impl FnOnce(&mut Job), reply: FromWorker) {
        if let Some(job) = self.job.as_mut().filter(|j| j.id == id && !j.finished) {
            change(job);
            self.post(&reply);
        }
    }

    /// Drops the current job (model, optimizer state, data copies) and frees device memory.
    fn stop_current(&mut self) {
        if let Some(job) = self.job.take() {
            let id = job.id;
            drop(job);
            let memory = self.devices.current.as_ref().and_then(|(device, _)| {
                device.memory_cleanup();
                memory(device)
            });
            self.post(&FromWorker::Stopped {
                job: id,
                memory,
                worker_bytes: worker_bytes(),
            });
        }
    }
}

/// A training or computation failure, with Burn's or the core's words.
fn training(error: impl std::fmt::Display) -> Problem {
    Problem::Training {
        detail: error.to_string(),
    }
}
