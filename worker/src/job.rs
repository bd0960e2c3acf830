//! The worker's driver: takes the page's messages between training chunks, runs at most one
//! job at a time, and reports. A chunk is sized to take about [`CHUNK_MS`], so a pause or a
//! slider change is heard within a fraction of a second and readbacks stay rare.

use std::rc::Rc;

use dl101_core::data::TaskData;
use dl101_core::page;
use dl101_core::presets::{TransferRuns, transfer_runs};
use dl101_core::queries;
use dl101_core::surface::SurfaceFn;
use dl101_core::{ExperimentConfig, Trainer, cpu_device};
use dl101_protocol::message::{
    CurveRequest, DataPhase, FromWorker, JobKind, Memory, Problem, RunInfo, ToWorker, Tune,
};
use dl101_protocol::settings::{DataSet, DataSize, RunSettings};
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
            self.devices.choose(&self.scope, None).await;
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
            ToWorker::Hello { prefer } => {
                self.devices.choose(&self.scope, prefer).await;
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
                steps,
            } => {
                self.paths(request, surface, &optimizers, lr, steps as usize)
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

    /// Loads (or reuses) a dataset, reporting progress to the job's owner.
    async fn load(
        &mut self,
        job: u32,
        data: DataSet,
        size: DataSize,
    ) -> Result<Rc<Loaded>, String> {
        if let Some((_, loaded)) = self.data.iter().find(|(key, _)| *key == (data, size)) {
            return Ok(loaded.clone());
        }
        let scope = self.scope.clone();
        let last = std::cell::Cell::new(0.0);
        let report = move |progress: Progress| {
            // At most ~10 messages a second, and always the last one.
            let t = now();
            if t - last.get() > 100.0 || progress.done >= progress.total {
                last.set(t);
                post(
                    &scope,
                    &FromWorker::Data {
                        job,
                        data,
                        size,
                        phase: DataPhase::Loading {
                            done: progress.done,
                            total: progress.total,
                            cached_files: progress.cached,
                        },
                    },
                );
            }
        };
        let mut fetcher = Fetcher::new(&self.scope, &report).await;
        let loaded = Rc::new(fetcher.load(data, size).await.map_err(|e| e.0)?);
        self.post(&FromWorker::Data {
            job,
            data,
            size,
            phase: DataPhase::Ready {
                train: loaded.task.train.len(),
                valid: loaded.task.valid.len(),
                test: loaded.task.test.len(),
                uncached_files: fetcher.uncached(),
            },
        });
        // Keep at most two decoded datasets (CIFAR-10 in full is 150 MB).
        if self.data.len() >= 2 {
            self.data.remove(0);
        }
        self.data.push(((data, size), loaded.clone()));
        Ok(loaded)
    }

    async fn start(&mut self, id: u32, kind: JobKind, settings: Vec<RunSettings>, paused: bool) {
        let device = self.device().await;
        match self.build(id, &kind, &settings, &device).await {
            Ok(runs) => {
                self.post(&FromWorker::Started {
                    job: id,
                    runs: runs.iter().map(|r| r.info.clone()).collect(),
                });
                self.post(&if paused {
                    FromWorker::Paused { job: id }
                } else {
                    FromWorker::Running { job: id }
                });
                self.job = Some(Job {
                    id,
                    kind,
                    settings,
                    runs,
                    paused,
                    step_once: false,
                    next: 0,
                    finished: false,
                });
            }
            Err(problem) => self.fail(Some(id), None, problem),
        }
    }

    async fn build(
        &mut self,
        id: u32,
        kind: &JobKind,
        settings: &[RunSettings],
        device: &burn::tensor::Device,
    ) -> Result<Vec<Run>, Problem> {
        let first = settings.first().ok_or_else(|| Problem::Protocol {
            detail: "a job needs at least one run".into(),
        })?;
        match kind {
            JobKind::Train => {
                let mut runs = Vec::with_capacity(settings.len());
                for (i, s) in settings.iter().enumerate() {
                    let config = page::config(s, &format!("run-{i}"))
                        .map_err(|invalid| Problem::Settings { invalid })?;
                    let loaded = self
                        .load(id, s.data, s.size)
                        .await
                        .map_err(|detail| Problem::Data { detail })?;
                    runs.push(built(s.label(), config, loaded.task.clone(), device)?);
                }
                Ok(runs)
            }
            JobKind::Transfer { freeze_epochs } => {
                // Tasks A and B are cut from all 70,000 images, as the chapter does.
                let loaded = self
                    .load(id, DataSet::Fashion, DataSize::Full)
                    .await
                    .map_err(|detail| Problem::Data { detail })?;
                let fashion = loaded.fashion.as_ref().ok_or_else(|| Problem::Data {
                    detail: "Fashion-MNIST did not load".into(),
                })?;
                // The reader's lr and epochs reach all three runs (core's recipe).
                let TransferRuns { a, reuse, scratch } = transfer_runs(
                    first.lr,
                    first.epochs as usize,
                    *freeze_epochs as usize,
                    Some(first.size.train_images(DataSet::Fashion)),
                );
                let task_b = fashion.task_b();
                let reuse_steps = task_b.train.len().div_ceil(reuse.batch_size.max(1));
                let waiting = Run {
                    trainer: None,
                    info: RunInfo {
                        label: "B ← A".into(),
                        steps_per_epoch: reuse_steps,
                        total_steps: reuse_steps * reuse.epochs,
                    },
                    waiting: Some((reuse, task_b.clone())),
                    steps_per_chunk: 1,
                    tested: false,
                };
                Ok(vec![
                    built("A".into(), a, fashion.task_a(), device)?,
                    waiting,
                    built("B".into(), scratch, task_b, device)?,
                ])
            }
        }
    }

    /// Trains one chunk of the next run (or one step of every run for `Step`).
    async fn chunk(&mut self) {
        let Some(mut job) = self.job.take() else {
            return;
        };
        let outcome = if job.step_once {
            job.step_once = false;
            let mut outcome = Ok(());
            for index in 0..job.runs.len() {
                outcome = self.train(&mut job, index, Some(1)).await;
                if outcome.is_err() {
                    break;
                }
            }
            if outcome.is_ok() {
                self.post(&FromWorker::Paused { job: job.id });
            }
            outcome
        } else {
            match next_run(&mut job) {
                Some(index) => self.train(&mut job, index, None).await,
                None => Ok(()),
            }
        };
        if let Err(message) = outcome {
            if self.devices.on_webgpu() {
                // A kernel failed or the device was lost: carry on with the CPU, from the start.
                let info = self.devices.fail_webgpu(message);
                self.post(&FromWorker::Device(info));
                self.start(job.id, job.kind, job.settings, job.paused).await;
            } else {
                self.fail(Some(job.id), None, training(message));
            }
            return;
        }
        if job.runs.iter().all(Run::done) && !job.finished {
            job.finished = true;
            let memory = self.devices.current.as_ref().and_then(|(d, _)| memory(d));
            self.post(&FromWorker::Finished {
                job: job.id,
                memory,
                worker_bytes: worker_bytes(),
            });
        }
        self.job = Some(job);
    }

    async fn train(
        &mut self,
        job: &mut Job,
        index: usize,
        steps: Option<usize>,
    ) -> Result<(), String> {
        let device = self.device().await;
        if job.runs[index].trainer.is_none() {
            // Transfer: B ← A is built from A's trained layers once A is done.
            let source_done = index > 0 && job.runs[index - 1].done();
            let waiting = job.runs[index].waiting.take();
            match (source_done, waiting) {
                (true, Some((config, data))) => {
                    let source = job.runs[index - 1]
                        .trainer
                        .as_ref()
                        .ok_or("the source model is gone")?;
                    let trainer = Trainer::from_source(config, data, &device, source.model())
                        .map_err(|e| e.to_string())?;
                    job.runs[index].trainer = Some(trainer);
                }
                (_, waiting) => {
                    job.runs[index].waiting = waiting;
                    return Ok(());
                }
            }
        }
        let run = &mut job.runs[index];
        if run.done() {
            return Ok(());
        }
        let Some(trainer) = run.trainer.as_mut() else {
            return Ok(());
        };
        if !trainer.is_finished() {
            let steps = steps.unwrap_or(run.steps_per_chunk);
            let started = now();
            let report = trainer.advance(steps).await.map_err(|e| e.to_string())?;
            let elapsed = (now() - started).max(1.0);
            let batch = trainer.config().batch_size as f64;
            if report.steps > 0 {
                let per_step = elapsed / report.steps as f64;
                run.steps_per_chunk = ((CHUNK_MS / per_step) as usize).clamp(1, MAX_CHUNK);
            }
            let steps_per_second = report.steps as f64 / (elapsed / 1000.0);
            self.post(&FromWorker::Progress {
                job: job.id,
                run: index,
                report,
                samples_per_second: steps_per_second * batch,
                steps_per_second,
            });
        }
        if trainer.is_finished() && !run.tested {
            let report = trainer.evaluate_test().await.map_err(|e| e.to_string())?;
            run.tested = true;
            self.post(&FromWorker::Tested {
                job: job.id,
                run: index,
                report,
            });
        }
        Ok(())
    }

    fn tune(&mut self, id: u32, tune: Tune) {
        let Some(job) = self.job.as_mut().filter(|j| j.id == id) else {
            return;
        };
        for s in job.settings.iter_mut() {
            tune.apply(s);
        }
        for trainer in job.runs.iter_mut().filter_map(|r| r.trainer.as_mut()) {
            match tune {
                Tune::Lr(v) => trainer.set_base_lr(v),
                Tune::Momentum(v) => trainer.set_momentum(v),
                Tune::ClipThreshold(v) => trainer.set_clip_threshold(v),
                Tune::Dropout(v) => trainer.set_dropout_rate(v),
            }
        }
    }

    async fn predict(&mut self, id: u32, images: usize, samples: usize) {
        let Some(trainer) = self
            .job
            .as_ref()
            .filter(|j| j.id == id)
            .and_then(|j| j.runs.first())
            .and_then(|r| r.trainer.as_ref())
        else {
            self.fail(Some(id), None, Problem::NotTrained);
            return;
        };
        let images = images.clamp(1, 24);
        let samples = samples.clamp(1, 1000);
        match trainer.mc_dropout(images, samples).await {
            Ok(prediction) => {
                let test = &trainer.data().test;
                let pictures = (0..images.min(test.len()))
                    .map(|i| queries::picture(test.image(i), test.features))
                    .collect();
                let classes = trainer.data().class_names.clone();
                self.post(&FromWorker::Prediction {
                    job: id,
                    prediction,
                    images: pictures,
                    classes,
                });
            }
            Err(e) => self.fail(Some(id), None, training(e)),
        }
    }

    fn curves(&self, request: u32, curves: &[CurveRequest], lo: f64, hi: f64, points: usize) {
        self.post(&FromWorker::Curves {
            request,
            curves: queries::activation_curves(curves, lo, hi, points),
        });
    }

    fn lr_curve(&self, request: u32, settings: &RunSettings) {
        match queries::lr_curve(settings) {
            Ok(points) => self.post(&FromWorker::LrCurve { request, points }),
            Err(e) => self.fail(None, Some(request), training(e)),
        }
    }

    async fn paths(
        &self,
        request: u32,
        shape: Surface,
        optimizers: &[Optimizer],
        lr: f64,
        steps: usize,
    ) {
        match queries::optimizer_paths(shape, optimizers, lr, steps, &cpu_device()).await {
            Ok(paths) => self.post(&FromWorker::Paths {
                request,
                view: shape.view(),
                grid: shape.grid(80),
                minimum: shape.minimum(),
                paths,
            }),
            Err(e) => self.fail(None, Some(request), training(e)),
        }
    }
}

fn built(
    label: String,
    config: ExperimentConfig,
    data: TaskData,
    device: &burn::tensor::Device,
) -> Result<Run, Problem> {
    let trainer = Trainer::new(config, data, device).map_err(training)?;
    Ok(Run {
        info: RunInfo {
            label,
            steps_per_epoch: trainer.steps_per_epoch(),
            total_steps: trainer.total_steps(),
        },
        trainer: Some(trainer),
        waiting: None,
        steps_per_chunk: 1,
        tested: false,
    })
}

/// The run to train next: round robin for a race, in order for transfer learning.
fn next_run(job: &mut Job) -> Option<usize> {
    let count = job.runs.len();
    match job.kind {
        JobKind::Train => {
            for offset in 0..count {
                let index = (job.next + offset) % count;
                if !job.runs[index].done() {
                    job.next = (index + 1) % count;
                    return Some(index);
                }
            }
            None
        }
        JobKind::Transfer { .. } => job.runs.iter().position(|r| !r.done()),
    }
}

/// A training or computation failure, with Burn's or the core's words.
fn training(error: impl std::fmt::Display) -> Problem {
    Problem::Training {
        detail: error.to_string(),
    }
}
