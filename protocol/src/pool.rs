//! Training one job in several workers: which runs each worker trains, and how their messages
//! merge back into the messages one worker would have sent. Pure bookkeeping, so it is tested
//! natively; the page's runtime owns the workers and calls it.
//!
//! A job with several independent runs (an optimizer race, a comparison of schedules) is split
//! into parts, one per worker; each part is an ordinary job of the worker under its own *wire id*
//! (so a restarted job never meets the messages of the job it replaces). Part 0 starts at once;
//! the others start when part 0 has its data, so a first visit downloads the data once and the
//! other workers read it from the browser's cache. The page hears one `Started` with every run
//! once every part has started (messages of parts that started earlier wait until then), one
//! `Paused` when every part has paused or finished, one `Finished` and one `Stopped` when all
//! have, with their memory summed. Every run keeps its own seed and random stream, so it trains
//! to the same numbers in any worker.

use crate::message::{DataPhase, FromWorker, JobKind, Memory, RunInfo, ToWorker};
use crate::settings::RunSettings;

/// Most training workers a page starts.
pub const MAX_WORKERS: usize = 4;

/// How many training workers a page uses: the reader's own choice (`asked`, 1 to
/// [`MAX_WORKERS`]) if any, else one per logical core (`navigator.hardwareConcurrency`, the page's
/// main thread is idle while they train), at most [`MAX_WORKERS`] and at most one per GB of
/// `navigator.deviceMemory` where the browser tells it.
pub fn pool_size(cores: Option<f64>, memory_gb: Option<f64>, asked: Option<usize>) -> usize {
    if let Some(asked) = asked {
        return asked.clamp(1, MAX_WORKERS);
    }
    let by_cores = cores.filter(|c| c.is_finite() && *c >= 1.0).unwrap_or(1.0);
    let by_memory = memory_gb
        .filter(|m| m.is_finite() && *m > 0.0)
        .map_or(f64::INFINITY, |m| m.floor().max(1.0));
    by_cores.min(by_memory).min(MAX_WORKERS as f64) as usize
}

/// The runs of each part, in order: `runs` runs over at most `workers` workers, as evenly as they
/// go and each part a run of consecutive indices. Transfer learning stays in one worker (its runs
/// build on each other).
pub fn plan(kind: &JobKind, runs: usize, workers: usize) -> Vec<Vec<usize>> {
    let parts = match kind {
        JobKind::Train => workers.clamp(1, runs.max(1)),
        JobKind::Transfer { .. } => 1,
    };
    let mut out = Vec::with_capacity(parts);
    let mut next = 0;
    for part in 0..parts {
        let size = runs / parts + usize::from(part < runs % parts);
        out.push((next..next + size).collect());
        next += size;
    }
    out
}

/// Where one part stands, as its worker last said.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Its `Start` waits for part 0's data.
    Waiting,
    /// Started in the worker, not yet `Started`.
    Sent,
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
    /// Its `Start` said paused.
    paused_at_start: bool,
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
                paused_at_start: false,
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
            shown: paused.then_some(Shown::Paused),
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
        (
            self.kind.clone(),
            self.runs.clone(),
            self.shown == Some(Shown::Paused),
        )
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
        part.state = State::Sent;
        part.paused_at_start = self.shown == Some(Shown::Paused);
        let runs = part.runs.iter().map(|&r| self.runs[r].clone()).collect();
        Some((
            part.worker,
            ToWorker::Start {
                job: self.wire,
                kind: self.kind.clone(),
                runs,
                paused: self.shown == Some(Shown::Paused),
            },
        ))
    }

    /// A command of the page for this job, as messages to its workers: pause, resume, step and
    /// live changes go to every part, a prediction to the part with run 0, a reset stops every
    /// part (the widget hears one `Stopped` when all have).
    pub fn command(&mut self, message: &ToWorker) -> Vec<(usize, ToWorker)> {
        let wire = self.wire;
        let running = |p: &Part| matches!(p.state, State::Sent | State::Running | State::Paused);
        let alive = |p: &Part| running(p) || p.state == State::Finished;
        let every = |parts: &[Part], keep: &dyn Fn(&Part) -> bool, m: ToWorker| -> Vec<_> {
            parts
                .iter()
                .filter(|p| keep(p))
                .map(|p| (p.worker, m.clone()))
                .collect()
        };
        match message {
            ToWorker::Pause { .. } => every(&self.parts, &running, ToWorker::Pause { job: wire }),
            ToWorker::Resume { .. } => every(&self.parts, &running, ToWorker::Resume { job: wire }),
            ToWorker::Step { .. } => every(&self.parts, &running, ToWorker::Step { job: wire }),
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
                self.emit(
                    &mut outcome,
                    FromWorker::Data {
                        job,
                        data,
                        size,
                        phase,
                    },
                );
                if ready && index == 0 {
                    self.start_rest(&mut outcome);
                }
            }
            FromWorker::Started { runs, .. } => {
                let part = &mut self.parts[index];
                part.infos = Some(runs);
                part.state = if part.paused_at_start {
                    State::Paused
                } else {
                    State::Running
                };
                if index == 0 {
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
                let part = &mut self.parts[index];
                part.state = State::Finished;
                part.memory = memory;
                part.worker_bytes = worker_bytes;
                self.show(&mut outcome);
            }
            FromWorker::Stopped {
                memory,
                worker_bytes,
                ..
            } => {
                let part = &mut self.parts[index];
                part.state = State::Stopped;
                part.memory = memory;
                part.worker_bytes = worker_bytes;
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
        let mut infos: Vec<(usize, RunInfo)> = self
            .parts
            .iter()
            .flat_map(|p| {
                p.runs
                    .iter()
                    .copied()
                    .zip(p.infos.iter().flatten().cloned())
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
        let states = || self.parts.iter().map(|p| p.state);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::StepReport;
    use crate::settings::{DataSet, DataSize};

    #[test]
    fn the_pool_follows_cores_and_memory_and_the_readers_choice() {
        assert_eq!(pool_size(Some(2.0), None, None), 2);
        assert_eq!(pool_size(Some(16.0), Some(8.0), None), MAX_WORKERS);
        assert_eq!(pool_size(Some(8.0), Some(2.0), None), 2);
        assert_eq!(pool_size(Some(8.0), Some(0.5), None), 1);
        assert_eq!(pool_size(None, None, None), 1);
        assert_eq!(pool_size(Some(f64::NAN), None, None), 1);
        assert_eq!(pool_size(Some(16.0), None, Some(1)), 1);
        assert_eq!(pool_size(Some(1.0), None, Some(9)), MAX_WORKERS);
    }

    #[test]
    fn runs_are_shared_evenly_in_order_and_transfer_stays_whole() {
        assert_eq!(
            plan(&JobKind::Train, 9, 2),
            vec![vec![0, 1, 2, 3, 4], vec![5, 6, 7, 8]]
        );
        assert_eq!(plan(&JobKind::Train, 3, 4), vec![vec![0], vec![1], vec![2]]);
        assert_eq!(plan(&JobKind::Train, 1, 4), vec![vec![0]]);
        assert_eq!(
            plan(&JobKind::Transfer { freeze_epochs: 4 }, 3, 4),
            vec![vec![0, 1, 2]]
        );
    }

    fn settings(n: usize) -> Vec<RunSettings> {
        (0..n)
            .map(|i| RunSettings {
                seed: i as u64,
                ..RunSettings::default()
            })
            .collect()
    }

    fn info(label: &str) -> RunInfo {
        RunInfo {
            label: label.into(),
            steps_per_epoch: 10,
            total_steps: 10,
        }
    }

    fn progress(job: u32, run: usize, step: usize) -> FromWorker {
        FromWorker::Progress {
            job,
            run,
            report: StepReport {
                global_step: step,
                ..StepReport::default()
            },
            samples_per_second: 1.0,
            steps_per_second: 1.0,
        }
    }

    fn ready(job: u32) -> FromWorker {
        FromWorker::Data {
            job,
            data: DataSet::Fashion,
            size: DataSize::Quick,
            phase: DataPhase::Ready {
                train: 1,
                valid: 1,
                test: 1,
                uncached_files: 0,
            },
        }
    }

    fn seeds(message: &ToWorker) -> Vec<u64> {
        match message {
            ToWorker::Start { runs, .. } => runs.iter().map(|s| s.seed).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn a_race_in_two_workers_reads_as_one_job() {
        let (mut split, send) = Split::new(7, 100, JobKind::Train, settings(3), false, 2);
        // Part 0 alone first: the data is downloaded once.
        assert_eq!(send.len(), 1);
        assert_eq!((send[0].0, seeds(&send[0].1)), (0, vec![0, 1]));
        let out = split.receive(0, ready(100));
        assert!(matches!(out.emit[..], [FromWorker::Data { job: 7, .. }]));
        assert_eq!(out.send.len(), 1);
        assert_eq!((out.send[0].0, seeds(&out.send[0].1)), (1, vec![2]));
        // Part 0 trains before part 1 has started: held, in order.
        let out = split.receive(
            0,
            FromWorker::Started {
                job: 100,
                runs: vec![info("a"), info("b")],
            },
        );
        assert!(out.emit.is_empty() && out.send.is_empty());
        split.receive(0, FromWorker::Running { job: 100 });
        assert!(split.receive(0, progress(100, 1, 5)).emit.is_empty());
        let out = split.receive(
            1,
            FromWorker::Started {
                job: 100,
                runs: vec![info("c")],
            },
        );
        assert_eq!(
            out.emit,
            vec![
                FromWorker::Started {
                    job: 7,
                    runs: vec![info("a"), info("b"), info("c")]
                },
                FromWorker::Running { job: 7 },
                progress(7, 1, 5),
            ]
        );
        // Part 1's run 0 is the job's run 2.
        assert_eq!(
            split.receive(1, progress(100, 0, 3)).emit,
            vec![progress(7, 2, 3)]
        );
        // Paused once both parts have paused.
        let pauses = split.command(&ToWorker::Pause { job: 7 });
        assert_eq!(
            pauses,
            vec![
                (0, ToWorker::Pause { job: 100 }),
                (1, ToWorker::Pause { job: 100 })
            ]
        );
        assert!(
            split
                .receive(0, FromWorker::Paused { job: 100 })
                .emit
                .is_empty()
        );
        assert_eq!(
            split.receive(1, FromWorker::Paused { job: 100 }).emit,
            vec![FromWorker::Paused { job: 7 }]
        );
        // A part that finished counts as paused; both finished is finished, memory summed.
        split.receive(1, FromWorker::Running { job: 100 });
        let done = |bytes| FromWorker::Finished {
            job: 100,
            memory: None,
            worker_bytes: bytes,
        };
        split.receive(0, FromWorker::Running { job: 100 });
        assert!(split.receive(1, done(20)).emit.is_empty());
        let out = split.receive(0, done(30));
        assert_eq!(
            out.emit,
            vec![FromWorker::Finished {
                job: 7,
                memory: None,
                worker_bytes: 50
            }]
        );
        // The helper worker's part is freed at once; part 0 keeps its model for a prediction.
        assert_eq!(out.send, vec![(1, ToWorker::Reset { job: 100 })]);
        let stopped = |bytes| FromWorker::Stopped {
            job: 100,
            memory: None,
            worker_bytes: bytes,
        };
        assert!(split.receive(1, stopped(20)).emit.is_empty());
        assert_eq!(
            split.command(&ToWorker::Predict {
                job: 7,
                images: 1,
                samples: 2
            }),
            vec![(
                0,
                ToWorker::Predict {
                    job: 100,
                    images: 1,
                    samples: 2
                }
            )]
        );
        // A live change is kept for a restart.
        let tunes = split.command(&ToWorker::Tune {
            job: 7,
            tune: crate::message::Tune::Lr(0.5),
        });
        assert_eq!(tunes.len(), 1);
        assert!(split.restart().1.iter().all(|s| s.lr == 0.5));
        // Reset: one `Stopped` once every worker has stopped.
        assert_eq!(
            split.command(&ToWorker::Reset { job: 7 }),
            vec![(0, ToWorker::Reset { job: 100 })]
        );
        assert!(!split.over());
        assert_eq!(
            split.receive(0, stopped(30)).emit,
            vec![FromWorker::Stopped {
                job: 7,
                memory: None,
                worker_bytes: 50
            }]
        );
        assert!(split.over());
    }

    #[test]
    fn the_others_wait_for_a_download_but_not_for_the_cache() {
        let loading = |cached_files| FromWorker::Data {
            job: 2,
            data: DataSet::Fashion,
            size: DataSize::Full,
            phase: DataPhase::Loading {
                done: 1,
                total: 10,
                cached_files,
            },
        };
        let (mut split, _) = Split::new(1, 2, JobKind::Train, settings(2), false, 2);
        assert!(
            split.receive(0, loading(0)).send.is_empty(),
            "downloading: part 1 waits"
        );
        assert_eq!(
            split.receive(0, loading(1)).send.len(),
            1,
            "from the cache: part 1 starts"
        );
        assert!(split.receive(0, ready(2)).send.is_empty(), "started once");
    }

    #[test]
    fn a_reset_before_the_other_parts_started_stops_only_part_0() {
        let (mut split, _) = Split::new(1, 2, JobKind::Train, settings(4), false, 2);
        assert_eq!(
            split.command(&ToWorker::Reset { job: 1 }),
            vec![(0, ToWorker::Reset { job: 2 })]
        );
        // Part 0's data arrives after the reset: part 1 is not started.
        let out = split.receive(0, ready(2));
        assert!(out.send.is_empty());
        let out = split.receive(
            0,
            FromWorker::Stopped {
                job: 2,
                memory: None,
                worker_bytes: 9,
            },
        );
        assert_eq!(out.emit.len(), 1);
        assert!(split.over());
    }

    #[test]
    fn a_part_that_cannot_start_fails_the_job_once_and_stops_the_others() {
        let (mut split, _) = Split::new(1, 2, JobKind::Train, settings(2), true, 2);
        split.receive(0, ready(2));
        let failed = FromWorker::Failed {
            job: Some(2),
            request: None,
            problem: crate::message::Problem::NotTrained,
        };
        let out = split.receive(1, failed.clone());
        assert_eq!(out.emit.len(), 1);
        assert_eq!(out.send, vec![(0, ToWorker::Reset { job: 2 })]);
        assert!(split.receive(0, failed).emit.is_empty());
        assert!(!split.live());
    }

    #[test]
    fn a_lost_worker_fails_the_job_and_stops_the_rest() {
        let (mut split, _) = Split::new(1, 2, JobKind::Train, settings(2), false, 2);
        split.receive(0, ready(2));
        let failed = FromWorker::Failed {
            job: Some(1),
            request: None,
            problem: crate::message::Problem::NotTrained,
        };
        let out = split.worker_lost(1, failed.clone());
        assert_eq!(out.emit, vec![failed]);
        assert_eq!(out.send, vec![(0, ToWorker::Reset { job: 2 })]);
        assert_eq!(split.worker_lost(5, FromWorker::Loaded), Outcome::default());
    }

    #[test]
    fn one_part_passes_everything_through() {
        let (mut split, send) = Split::new(3, 4, JobKind::Train, settings(1), true, 4);
        assert_eq!(send.len(), 1);
        assert!(matches!(
            send[0].1,
            ToWorker::Start {
                job: 4,
                paused: true,
                ..
            }
        ));
        let out = split.receive(
            0,
            FromWorker::Started {
                job: 4,
                runs: vec![info("a")],
            },
        );
        assert_eq!(out.emit.len(), 2, "{:?}", out.emit);
        assert_eq!(out.emit[1], FromWorker::Paused { job: 3 });
        // The worker's own word that it is paused changes nothing the page sees.
        assert!(
            split
                .receive(0, FromWorker::Paused { job: 4 })
                .emit
                .is_empty()
        );
        assert_eq!(
            split.receive(0, FromWorker::Running { job: 4 }).emit,
            vec![FromWorker::Running { job: 3 }]
        );
        assert_eq!(
            split.receive(0, progress(4, 0, 1)).emit,
            vec![progress(3, 0, 1)]
        );
    }
}
