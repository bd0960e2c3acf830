//! Training a job chunk by chunk, live changes, and predictions.

use super::*;

impl Runner {
    /// Trains one chunk of the next run (or one step of every run for `Step`).
    pub(super) async fn chunk(&mut self) {
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

    pub(super) async fn train(
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
            let steps_per_second = run.throughput.record(report.steps, elapsed);
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

    pub(super) fn tune(&mut self, id: u32, tune: Tune) {
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

    pub(super) async fn predict(&mut self, id: u32, images: usize, samples: usize) {
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
