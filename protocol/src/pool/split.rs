//! One job spread over workers: its parts, what each worker last said, and the merged messages.

use crate::message::{DataPhase, FromWorker, JobKind, Memory, RunInfo, ToWorker};
use crate::settings::RunSettings;

use super::plan;

/// Where one part stands, as its worker last said.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Its `Start` waits for part 0's data.
    Waiting,
    /// Started in the worker, not yet `Started`; `paused` is what its `Start` said. A pause sent
    /// since may reach the worker only after it has trained a chunk, so until the worker says
    /// otherwise the part does what its `Start` said.
    Sent {
        paused: bool,
    },
    Running,
    Paused,
    Finished,
    Stopped,
}

#[derive(Clone, Debug)]
struct Part {
    worker: usize,
    runs: Vec<usize>,
    state: State,
    infos: Option<Vec<RunInfo>>,
    memory: Option<Memory>,
    worker_bytes: u64,
}

/// What the page shows of the whole job, as last emitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shown {
    Running,
    Paused,
    Finished,
}

/// What the runtime is to do after a message: messages for the widgets, messages to workers.
#[derive(Debug, Default, PartialEq)]
pub struct Outcome {
    /// For the page's listeners, in order.
    pub emit: Vec<FromWorker>,
    /// To the workers (by index), in order.
    pub send: Vec<(usize, ToWorker)>,
}

/// One job spread over workers.
#[derive(Clone, Debug)]
pub struct Split {
    /// The page's id of the job.
    pub job: u32,
    /// The id its parts have in the workers.
    pub wire: u32,
    kind: JobKind,
    runs: Vec<RunSettings>,
    parts: Vec<Part>,
    /// Messages of started parts, held until every part has started.
    held: Vec<FromWorker>,
    shown: Option<Shown>,
    /// `Started` went to the page.
    announced: bool,
    /// The page's last word: paused (start paused, pause, step) or not (resume).
    paused: bool,
    /// Replaced by a restart or failed: nothing more reaches the page.
    silent: bool,
}

fn sum_memory(a: Option<Memory>, b: Option<Memory>) -> Option<Memory> {
    match (a, b) {
        (Some(a), Some(b)) => Some(Memory {
            in_use: a.in_use + b.in_use,
            reserved: a.reserved + b.reserved,
        }),
        (a, b) => a.or(b),
    }
}

impl Split {
    /// Splits a job over `workers` workers (part `k` on worker `k`) and says what to send now.
    pub fn new(
        job: u32,
        wire: u32,
        kind: JobKind,
        runs: Vec<RunSettings>,
        paused: bool,
        workers: usize,
    ) -> (Split, Vec<(usize, ToWorker)>) {
        let parts = plan(&kind, runs.len(), workers)
            .into_iter()
            .enumerate()
            .map(|(worker, runs)| Part {
                worker,
                runs,
                state: State::Waiting,
                infos: None,
                memory: None,
                worker_bytes: 0,
            })
            .collect();
        let mut split = Split {
            job,
            wire,
            kind,
            runs,
            parts,
            held: Vec::new(),
            shown: None,
            announced: false,
            paused,
            silent: false,
        };
        let send = split.start_part(0).into_iter().collect();
        (split, send)
    }

    /// The workers this job uses.
    pub fn workers(&self) -> impl Iterator<Item = usize> + '_ {
        self.parts.iter().map(|p| p.worker)
    }

    /// The job's kind and runs as started, with the live changes made since, and whether it is
    /// paused: what a restart starts again.
    pub fn restart(&self) -> (JobKind, Vec<RunSettings>, bool) {
        (self.kind.clone(), self.runs.clone(), self.paused)
    }

    /// Every part is over in its worker: the split can be forgotten.
    pub fn over(&self) -> bool {
        self.parts
            .iter()
            .all(|p| matches!(p.state, State::Stopped | State::Waiting))
    }

    /// Whether the page still hears this job.
    pub fn live(&self) -> bool {
        !self.silent
    }

    fn start_part(&mut self, index: usize) -> Option<(usize, ToWorker)> {
        let part = self.parts.get_mut(index)?;
        if part.state != State::Waiting {
            return None;
        }
        part.state = State::Sent {
            paused: self.paused,
        };
        let runs = part.runs.iter().map(|&r| self.runs[r].clone()).collect();
        Some((
            part.worker,
            ToWorker::Start {
                job: self.wire,
                kind: self.kind.clone(),
                runs,
                paused: self.paused,
            },
        ))
    }

    /// A command of the page for this job, as messages to its workers: pause, resume, step and
    /// live changes go to every part, a prediction to the part with run 0, a reset stops every
    /// part (the widget hears one `Stopped` when all have).
    pub fn command(&mut self, message: &ToWorker) -> Vec<(usize, ToWorker)> {
        let wire = self.wire;
        let running =
            |p: &Part| matches!(p.state, State::Sent { .. } | State::Running | State::Paused);
        let alive = |p: &Part| running(p) || p.state == State::Finished;
        let every = |parts: &[Part], keep: &dyn Fn(&Part) -> bool, m: ToWorker| -> Vec<_> {
            parts
                .iter()
                .filter(|p| keep(p))
                .map(|p| (p.worker, m.clone()))
                .collect()
        };
        match message {
            ToWorker::Pause { .. } => {
                self.paused = true;
                every(&self.parts, &running, ToWorker::Pause { job: wire })
            }
            ToWorker::Resume { .. } => {
                self.paused = false;
                every(&self.parts, &running, ToWorker::Resume { job: wire })
            }
            ToWorker::Step { .. } => {
                self.paused = true;
                every(&self.parts, &running, ToWorker::Step { job: wire })
            }
            ToWorker::Tune { tune, .. } => {
                for s in &mut self.runs {
                    tune.apply(s);
                }
                every(
                    &self.parts,
                    &alive,
                    ToWorker::Tune {
                        job: wire,
                        tune: *tune,
                    },
                )
            }
            ToWorker::Predict {
                images, samples, ..
            } => self
                .parts
                .first()
                .map(|p| {
                    (
                        p.worker,
                        ToWorker::Predict {
                            job: wire,
                            images: *images,
                            samples: *samples,
                        },
                    )
                })
                .into_iter()
                .collect(),
            ToWorker::Reset { .. } => self.stop(),
            _ => Vec::new(),
        }
    }

    /// Stops every part: a reset, a newer job, or a restart (then [`Split::silence`] first).
    pub fn stop(&mut self) -> Vec<(usize, ToWorker)> {
        let wire = self.wire;
        let mut send = Vec::new();
        for part in &mut self.parts {
            match part.state {
                // Never started: nothing to stop.
                State::Waiting => part.state = State::Stopped,
                State::Stopped => {}
                _ => send.push((part.worker, ToWorker::Reset { job: wire })),
            }
        }
        send
    }

    /// Nothing more of this split reaches the page (its job was restarted under a new wire id).
    pub fn silence(&mut self) {
        self.silent = true;
    }

    /// A worker died. Its part is over; if it held a part of a live job, the others are stopped
    /// and the widget is told (`problem`).
    pub fn worker_lost(&mut self, worker: usize, failed: FromWorker) -> Outcome {
        let Some(index) = self.parts.iter().position(|p| p.worker == worker) else {
            return Outcome::default();
        };
        self.parts[index].state = State::Stopped;
        let mut outcome = Outcome {
            send: self.stop(),
            ..Outcome::default()
        };
        if !self.silent {
            outcome.emit.push(failed);
            self.silent = true;
        }
        outcome
    }

    /// A message from `worker` about this split's wire id, merged.
    pub fn receive(&mut self, worker: usize, message: FromWorker) -> Outcome {
        let mut outcome = Outcome::default();
        let Some(index) = self.parts.iter().position(|p| p.worker == worker) else {
            return outcome;
        };
        let job = self.job;
        match message {
            FromWorker::Data {
                data, size, phase, ..
            } => {
                // Part 0 has the data, or reads it from the browser's cache (then so will the
                // others, at once): the other parts can start without downloading it again.
                let ready = match &phase {
                    DataPhase::Ready { .. } => true,
                    DataPhase::Loading { cached_files, .. } => *cached_files > 0,
                };
                // A helper still reading its data once the job shows as training (its runs
                // foreseen) would only set the widget back to "loading": the page hears part 0's.
                if index == 0 || !self.announced {
                    self.emit(
                        &mut outcome,
                        FromWorker::Data {
                            job,
                            data,
                            size,
                            phase,
                        },
                    );
                }
                if ready && index == 0 {
                    self.start_rest(&mut outcome);
                }
            }
            FromWorker::Started { runs, .. } => {
                let part = &mut self.parts[index];
                part.infos = Some(runs);
                // As its `Start` said; the worker's word on a later pause or resume follows.
                if let State::Sent { paused } = part.state {
                    part.state = if paused {
                        State::Paused
                    } else {
                        State::Running
                    };
                }
                if index == 0 {
                    self.foresee();
                    self.start_rest(&mut outcome);
                }
                self.announce(&mut outcome);
            }
            FromWorker::Running { .. } => {
                self.parts[index].state = State::Running;
                self.show(&mut outcome);
            }
            FromWorker::Paused { .. } => {
                self.parts[index].state = State::Paused;
                self.show(&mut outcome);
            }
            FromWorker::Finished {
                memory,
                worker_bytes,
                ..
            } => {
                self.ended(index, State::Finished, memory, worker_bytes);
                self.show(&mut outcome);
            }
            FromWorker::Stopped {
                memory,
                worker_bytes,
                ..
            } => {
                self.ended(index, State::Stopped, memory, worker_bytes);
                if self.over() && !self.silent {
                    let (memory, worker_bytes) = self.totals();
                    self.silent = true;
                    outcome.emit.push(FromWorker::Stopped {
                        job,
                        memory,
                        worker_bytes,
                    });
                }
            }
            FromWorker::Progress {
                run,
                report,
                samples_per_second,
                steps_per_second,
                ..
            } => {
                let run = self.global_run(index, run);
                self.emit(
                    &mut outcome,
                    FromWorker::Progress {
                        job,
                        run,
                        report,
                        samples_per_second,
                        steps_per_second,
                    },
                );
            }
            FromWorker::Tested { run, report, .. } => {
                let run = self.global_run(index, run);
                self.emit(&mut outcome, FromWorker::Tested { job, run, report });
            }
            FromWorker::Prediction {
                prediction,
                images,
                classes,
                ..
            } => self.emit(
                &mut outcome,
                FromWorker::Prediction {
                    job,
                    prediction,
                    images,
                    classes,
                },
            ),
            FromWorker::Failed {
                request, problem, ..
            } => {
                let never_started = self.parts[index].infos.is_none();
                if !self.silent {
                    outcome.emit.push(FromWorker::Failed {
                        job: Some(job),
                        request,
                        problem,
                    });
                }
                if never_started {
                    // Its job could not start (data, settings): the other parts go too.
                    self.parts[index].state = State::Stopped;
                    self.silent = true;
                    outcome.send.extend(self.stop());
                }
            }
            // Not about a job.
            FromWorker::Loaded
            | FromWorker::Device(_)
            | FromWorker::Measured(_)
            | FromWorker::Curves { .. }
            | FromWorker::LrCurve { .. }
            | FromWorker::Paths { .. } => {}
        }
        outcome
    }

    /// Part `index` finished or stopped, with its worker's memory then.
    fn ended(&mut self, index: usize, state: State, memory: Option<Memory>, worker_bytes: u64) {
        let part = &mut self.parts[index];
        part.state = state;
        part.memory = memory;
        part.worker_bytes = worker_bytes;
    }

    fn global_run(&self, part: usize, run: usize) -> usize {
        self.parts[part].runs.get(run).copied().unwrap_or(run)
    }

    fn totals(&self) -> (Option<Memory>, u64) {
        self.parts.iter().fold((None, 0), |(memory, bytes), p| {
            (sum_memory(memory, p.memory), bytes + p.worker_bytes)
        })
    }

    fn announced(&self) -> bool {
        self.parts.iter().all(|p| p.infos.is_some())
    }

    /// The other parts' run infos from part 0's, where each of their runs trains like one of
    /// part 0's (same data, data size, batch size and epochs: a race, whose runs differ only in
    /// the optimizer): the page can then show every run, and part 0's steps, at once, without
    /// waiting for the helpers to load.
    fn foresee(&mut self) {
        let Some(first) = self.parts.first() else {
            return;
        };
        let Some(known) = first.infos.clone() else {
            return;
        };
        let shape = |s: &RunSettings| (s.data, s.size, s.batch_size, s.epochs);
        let model: Vec<_> = first
            .runs
            .iter()
            .zip(known)
            .map(|(&r, info)| (shape(&self.runs[r]), info))
            .collect();
        for part in self.parts.iter_mut().skip(1).filter(|p| p.infos.is_none()) {
            let infos: Option<Vec<RunInfo>> = part
                .runs
                .iter()
                .map(|&r| {
                    let s = &self.runs[r];
                    model
                        .iter()
                        .find(|(k, _)| *k == shape(s))
                        .map(|(_, info)| RunInfo {
                            label: s.label(),
                            ..info.clone()
                        })
                })
                .collect();
            part.infos = infos;
        }
    }

    /// Sends the parts that waited for part 0's data.
    fn start_rest(&mut self, outcome: &mut Outcome) {
        if self.silent {
            return;
        }
        for index in 1..self.parts.len() {
            outcome.send.extend(self.start_part(index));
        }
    }

    /// Passes a message on, or holds it until every part has started.
    fn emit(&mut self, outcome: &mut Outcome, message: FromWorker) {
        if self.silent {
            return;
        }
        let holds = matches!(
            message,
            FromWorker::Progress { .. } | FromWorker::Tested { .. }
        );
        if holds && !self.announced() {
            self.held.push(message);
        } else {
            outcome.emit.push(message);
        }
    }

    /// Once every part has started: one `Started` with every run, the job's state, then what
    /// was held.
    fn announce(&mut self, outcome: &mut Outcome) {
        if self.silent || !self.announced() {
            return;
        }
        if self.announced {
            self.show(outcome);
            return;
        }
        self.announced = true;
        // Each run under the page's index. A transfer job is one setting that its worker trains
        // as three runs (A, B ← A, B): all of them are the page's, as numbered by the worker.
        let this = &*self;
        let mut infos: Vec<(usize, RunInfo)> = this
            .parts
            .iter()
            .enumerate()
            .flat_map(|(index, p)| {
                p.infos
                    .iter()
                    .flatten()
                    .enumerate()
                    .map(move |(run, info)| (this.global_run(index, run), info.clone()))
            })
            .collect();
        infos.sort_by_key(|(run, _)| *run);
        outcome.emit.push(FromWorker::Started {
            job: self.job,
            runs: infos.into_iter().map(|(_, info)| info).collect(),
        });
        self.shown = None;
        self.show(outcome);
        outcome.emit.append(&mut self.held);
    }

    /// Emits the job's state when it changes: finished when every part is, paused when every
    /// part is paused or finished, else running.
    fn show(&mut self, outcome: &mut Outcome) {
        if self.silent || !self.announced() {
            return;
        }
        // A part not sent yet will start as the page last said; a part sent does as its `Start`
        // said until its worker tells otherwise (a pause may reach it after a chunk of steps).
        let as_said = |paused: bool| {
            if paused {
                State::Paused
            } else {
                State::Running
            }
        };
        let page = as_said(self.paused);
        let states = || {
            self.parts.iter().map(move |p| match p.state {
                State::Waiting => page,
                State::Sent { paused } => as_said(paused),
                state => state,
            })
        };
        let now = if states().all(|s| s == State::Finished) {
            Shown::Finished
        } else if states().all(|s| matches!(s, State::Paused | State::Finished)) {
            Shown::Paused
        } else {
            Shown::Running
        };
        if self.shown == Some(now) {
            return;
        }
        self.shown = Some(now);
        let job = self.job;
        outcome.emit.push(match now {
            Shown::Running => FromWorker::Running { job },
            Shown::Paused => FromWorker::Paused { job },
            Shown::Finished => {
                let (memory, worker_bytes) = self.totals();
                // The helpers' models are done with (a prediction asks part 0): free them now.
                let wire = self.wire;
                outcome.send.extend(
                    self.parts
                        .iter()
                        .skip(1)
                        .map(|p| (p.worker, ToWorker::Reset { job: wire })),
                );
                FromWorker::Finished {
                    job,
                    memory,
                    worker_bytes,
                }
            }
        });
    }
}
