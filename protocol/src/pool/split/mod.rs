//! One job spread over workers: its parts, what each worker last said, and the merged messages.

use crate::message::{FromWorker, JobKind, Memory, RunInfo, ToWorker};
use crate::settings::RunSettings;

use super::plan;

mod merge;

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
}
