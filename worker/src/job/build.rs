//! Starting a job: loading its data and building its trainers.

use super::*;

impl Runner {
    /// Loads (or reuses) a dataset, reporting progress to the job's owner.
    pub(super) async fn load(
        &mut self,
        job: u32,
        data: DataSet,
        size: DataSize,
    ) -> Result<Rc<Loaded>, DataProblem> {
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
        let fetcher = Fetcher::new(&self.scope, &report).await;
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

    pub(super) async fn start(
        &mut self,
        id: u32,
        kind: JobKind,
        settings: Vec<RunSettings>,
        paused: bool,
    ) {
        let device = self.device_for(id, &settings).await;
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

    pub(super) async fn build(
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
                        .map_err(|problem| Problem::Data { problem })?;
                    runs.push(built(s.label(), config, loaded.task.clone(), device)?);
                }
                Ok(runs)
            }
            JobKind::Transfer { freeze_epochs } => {
                // Tasks A and B are cut from all 70,000 images, as the chapter does.
                let loaded = self
                    .load(id, DataSet::Fashion, DataSize::Full)
                    .await
                    .map_err(|problem| Problem::Data { problem })?;
                let fashion = loaded.fashion_mnist().ok_or_else(|| Problem::Data {
                    problem: DataProblem::Unreadable {
                        file: "data/manifest.json".into(),
                        detail: "no Fashion-MNIST entry".into(),
                    },
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
                    throughput: Throughput::default(),
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
        throughput: Throughput::default(),
        tested: false,
    })
}
