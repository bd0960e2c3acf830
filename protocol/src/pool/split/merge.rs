//! What the workers say about a split job, merged into what one worker would have said: the
//! page hears one `Started` once every part has, and the job's state once it changes.

use crate::message::{DataPhase, FromWorker, Memory, RunInfo, ToWorker};
use crate::settings::RunSettings;

use super::{Outcome, Shown, Split, State, sum_memory};

impl Split {
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
