//! The pool's bookkeeping, message by message.

use super::*;
use crate::message::{DataPhase, FromWorker, RunInfo, ToWorker};
use crate::report::StepReport;
use crate::settings::RunSettings;
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
    // Run 2 trains with another batch size: its steps are not part 0's to foresee.
    let mut runs = settings(3);
    runs[2].batch_size = 64;
    let (mut split, send) = Split::new(7, 100, JobKind::Train, runs, false, 2);
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
fn runs_that_differ_only_in_the_optimizer_show_at_once() {
    let mut runs = settings(3);
    runs[2].optimizer = crate::vocab::Optimizer::Adam;
    let label = runs[2].label();
    let (mut split, _) = Split::new(7, 100, JobKind::Train, runs, false, 2);
    let out = split.receive(
        0,
        FromWorker::Started {
            job: 100,
            runs: vec![info("a"), info("b")],
        },
    );
    // Part 1 is sent now, and the page sees all three runs without waiting for it.
    assert_eq!(out.send.len(), 1);
    assert_eq!(
        out.emit,
        vec![
            FromWorker::Started {
                job: 7,
                runs: vec![info("a"), info("b"), info(&label)]
            },
            FromWorker::Running { job: 7 },
        ]
    );
    assert_eq!(
        split.receive(0, progress(100, 0, 4)).emit,
        vec![progress(7, 0, 4)]
    );
    // The helper reading its data now says nothing to the page, which shows the job training.
    assert!(split.receive(1, ready(100)).emit.is_empty());
    // Paused while part 1 is still loading. Its worker was told to train and hears the pause only
    // after its `Start`; it may train a chunk first. So the job shows paused only once part 1's
    // worker says so, after every step it made.
    assert_eq!(split.command(&ToWorker::Pause { job: 7 }).len(), 2);
    assert!(
        split
            .receive(0, FromWorker::Paused { job: 100 })
            .emit
            .is_empty()
    );
    let late = FromWorker::Started {
        job: 100,
        runs: vec![info(&label)],
    };
    assert!(split.receive(1, late).emit.is_empty());
    assert!(
        split
            .receive(1, FromWorker::Running { job: 100 })
            .emit
            .is_empty()
    );
    assert_eq!(
        split.receive(1, progress(100, 0, 1)).emit,
        vec![progress(7, 2, 1)]
    );
    assert_eq!(
        split.receive(1, FromWorker::Paused { job: 100 }).emit,
        vec![FromWorker::Paused { job: 7 }]
    );
    // A part started paused shows paused before its worker has said a word; a later part sent
    // while the job is paused starts paused.
    let (mut split, _) = Split::new(8, 101, JobKind::Train, settings(2), true, 2);
    let out = split.receive(
        0,
        FromWorker::Started {
            job: 101,
            runs: vec![info("a")],
        },
    );
    assert!(matches!(
        out.send[..],
        [(1, ToWorker::Start { paused: true, .. })]
    ));
    assert_eq!(
        out.emit,
        vec![
            FromWorker::Started {
                job: 8,
                runs: vec![info("a"), info(&settings(2)[1].label())]
            },
            FromWorker::Paused { job: 8 },
        ]
    );
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

#[test]
fn a_transfer_job_shows_every_run_its_worker_trains() {
    // The page sends one setting; the worker builds A, B ← A and B from it.
    let kind = JobKind::Transfer { freeze_epochs: 4 };
    let (mut split, send) = Split::new(5, 6, kind, settings(1), false, 2);
    assert_eq!(send.len(), 1, "one worker: its runs build on each other");
    let runs = vec![info("A"), info("B ← A"), info("B")];
    let out = split.receive(
        0,
        FromWorker::Started {
            job: 6,
            runs: runs.clone(),
        },
    );
    assert_eq!(out.emit[0], FromWorker::Started { job: 5, runs });
    assert_eq!(
        split.receive(0, progress(6, 2, 3)).emit,
        vec![progress(5, 2, 3)]
    );
}
