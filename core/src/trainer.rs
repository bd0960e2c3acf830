//! The step-wise trainer: `advance(n)` trains n mini-batches and returns a small report;
//! epoch ends run validation, the schedule, early stopping and transfer phases. All readbacks
//! are async, so the same code runs in a browser worker and (through `pollster`) natively.

mod epoch;

use burn::module::Module;
use burn::optim::GradientsParams;
use burn::tensor::{Device, Tensor};

use crate::data::TaskData;
use crate::early_stopping::EarlyStopping;
use crate::error::TrainError;
use crate::experiment::ExperimentConfig;
use crate::loss::{correct_count, loss_for};
use crate::model::Mlp;
use crate::optim::{Optimizer, StepContext};
use crate::predict::{McPrediction, evaluate, mc_dropout_predict};
use crate::probe::{self, ProbeInputs};
use crate::readback::read_floats;
use crate::regularize::{
    apply_max_norm, clip_grad_norm, clip_grad_value, global_grad_norm, linear_layers, penalty_term,
};
use crate::report::{EvalReport, Event, History, ProbeRecord, StepReport};
use crate::rng::SeededRng;
use crate::schedule::{Interval, Schedule};

/// Which split to evaluate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// Training split.
    Train,
    /// Validation split.
    Valid,
    /// Test split.
    Test,
}

/// Running sums of the current epoch (filled at each readback).
#[derive(Debug, Clone, Default)]
struct EpochSums {
    loss: f64,
    penalty: f64,
    correct: f64,
    images: usize,
    batches: usize,
}

/// Per-step scalars waiting on the device: `[loss, correct, penalty]` and the batch size.
struct Pending {
    first_step: usize,
    scalars: Vec<Tensor<1>>,
    batch_sizes: Vec<usize>,
}

/// Trains one experiment step by step.
pub struct Trainer {
    config: ExperimentConfig,
    data: TaskData,
    device: Device,
    train_device: Device,
    model: Mlp,
    optimizer: Optimizer,
    schedule: Box<dyn Schedule>,
    order: Vec<usize>,
    cursor: usize,
    epoch: usize,
    global_step: usize,
    shuffle_rng: SeededRng,
    dropout_rng: SeededRng,
    sums: EpochSums,
    early_stopping: Option<EarlyStopping>,
    history: History,
    finished: bool,
    tuning: Tuning,
}

/// Changes a reader made while the run trains (the page's sliders), applied from the next step.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Tuning {
    /// Multiplies the schedule's learning rate (new base lr / configured base lr).
    lr_scale: f64,
    /// Momentum or β₁ used unless the schedule drives it (OneCycle).
    momentum: Option<f64>,
}

impl Trainer {
    /// A trainer with a freshly initialized model. `device` may be plain or autodiff.
    ///
    /// # Errors
    /// [`TrainError`] if the model, schedule or experiment settings are invalid.
    pub fn new(
        config: ExperimentConfig,
        data: TaskData,
        device: &Device,
    ) -> Result<Self, TrainError> {
        let mut rng = SeededRng::new(config.seed);
        let train_device = device.clone().autodiff();
        let stats = config
            .model
            .standardize_input
            .then(|| data.train.feature_stats());
        let model = config.model.init(&train_device, &mut rng, stats.as_ref())?;
        Self::with_model(config, data, device, model, rng)
    }

    /// A trainer that reuses the hidden layers of `source` (transfer learning): new head, hidden
    /// blocks frozen for `transfer.freeze_epochs` epochs.
    ///
    /// # Errors
    /// [`TrainError::Config`] if the experiment has no transfer section or shapes differ.
    pub fn from_source(
        config: ExperimentConfig,
        data: TaskData,
        device: &Device,
        source: &Mlp,
    ) -> Result<Self, TrainError> {
        let transfer = config
            .transfer
            .clone()
            .ok_or_else(|| TrainError::Config("from_source needs a transfer section".into()))?;
        if source.config.inputs != config.model.inputs || source.config.width != config.model.width
        {
            return Err(TrainError::Config(
                "source and target models differ in shape".into(),
            ));
        }
        let mut rng = SeededRng::new(config.seed);
        let train_device = device.clone().autodiff();
        let mut model = source.transfer(config.model.head, &mut rng, &train_device);
        if transfer.freeze_epochs > 0 {
            model = model.freeze_hidden();
        }
        Self::with_model(config, data, device, model, rng)
    }

    fn with_model(
        config: ExperimentConfig,
        data: TaskData,
        device: &Device,
        model: Mlp,
        mut rng: SeededRng,
    ) -> Result<Self, TrainError> {
        let data = data
            .with_train_subset(config.train_subset)
            .with_eval_subset(config.eval_subset);
        if data.train.is_empty() || config.batch_size == 0 || config.epochs == 0 {
            return Err(TrainError::Config(
                "needs training data, a batch size and epochs".into(),
            ));
        }
        let total_steps = config.epochs * data.train.len().div_ceil(config.batch_size);
        let schedule = config.schedule.init(config.lr, total_steps)?;
        let mut shuffle_rng = rng.fork(1);
        let dropout_rng = rng.fork(2);
        let order = initial_order(data.train.len(), config.shuffle, &mut shuffle_rng);
        Ok(Self {
            optimizer: config.optimizer.init(),
            early_stopping: config
                .early_stopping
                .map(|e| EarlyStopping::new(e.patience)),
            history: History {
                experiment: config.name.clone(),
                ..History::default()
            },
            device: device.clone().without_autodiff(),
            train_device: device.clone().autodiff(),
            config,
            data,
            model,
            schedule,
            order,
            cursor: 0,
            epoch: 0,
            global_step: 0,
            shuffle_rng,
            dropout_rng,
            sums: EpochSums::default(),
            finished: false,
            tuning: Tuning {
                lr_scale: 1.0,
                momentum: None,
            },
        })
    }

    /// The experiment being run.
    pub fn config(&self) -> &ExperimentConfig {
        &self.config
    }

    /// The current model (training copy, on the autodiff device).
    pub fn model(&self) -> &Mlp {
        &self.model
    }

    /// Everything recorded so far.
    pub fn history(&self) -> &History {
        &self.history
    }

    /// The data splits in use.
    pub fn data(&self) -> &TaskData {
        &self.data
    }

    /// Optimizer steps per epoch (the last batch may be smaller).
    pub fn steps_per_epoch(&self) -> usize {
        self.data.train.len().div_ceil(self.config.batch_size)
    }

    /// Steps of the whole run.
    pub fn total_steps(&self) -> usize {
        self.config.epochs * self.steps_per_epoch()
    }

    /// Whether the run is over (all epochs, early stop or divergence).
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// Learning rate the next step will use.
    pub fn current_lr(&self) -> f64 {
        self.schedule.lr() * self.tuning.lr_scale
    }

    // ANCHOR: tune
    /// Sets a new base learning rate while training: the schedule keeps its shape and state,
    /// every later step uses `schedule lr × lr / configured lr`.
    pub fn set_base_lr(&mut self, lr: f64) {
        if lr.is_finite() && lr >= 0.0 && self.config.lr > 0.0 {
            self.tuning.lr_scale = lr / self.config.lr;
        }
    }

    /// Sets momentum (SGD family, RMSProp) or β₁ (Adam family) for later steps; a schedule that
    /// cycles momentum (OneCycle) still wins.
    pub fn set_momentum(&mut self, momentum: f64) {
        if momentum.is_finite() && (0.0..1.0).contains(&momentum) {
            self.tuning.momentum = Some(momentum);
        }
    }

    /// Sets the threshold of whichever gradient clipping is on (global norm or value).
    pub fn set_clip_threshold(&mut self, threshold: f64) {
        if !(threshold.is_finite() && threshold > 0.0) {
            return;
        }
        let regularization = &mut self.config.regularization;
        if regularization.clip_norm.is_some() {
            regularization.clip_norm = Some(threshold);
        }
        if regularization.clip_value.is_some() {
            regularization.clip_value = Some(threshold);
        }
    }

    /// Sets the dropout rate of a model that has dropout (the mask is drawn anew every step).
    pub fn set_dropout_rate(&mut self, rate: f64) {
        if rate.is_finite() && (0.0..1.0).contains(&rate) && self.model.config.dropout.rate > 0.0 {
            self.model.config.dropout.rate = rate;
            self.config.model.dropout.rate = rate;
        }
    }
    // ANCHOR_END: tune

    /// Trains up to `steps` mini-batches (fewer if the run ends) and reports what happened.
    ///
    /// # Errors
    /// [`TrainError::Readback`] if the device fails. Divergence is an [`Event`], not an error.
    pub async fn advance(&mut self, steps: usize) -> Result<StepReport, TrainError> {
        let mut report = StepReport {
            steps: 0,
            global_step: self.global_step,
            epoch: self.epoch,
            epoch_progress: 0.0,
            losses: Vec::new(),
            lrs: Vec::new(),
            accuracy: 0.0,
            probes: Vec::new(),
            events: Vec::new(),
            finished: self.finished,
        };
        let mut pending = self.new_pending();
        let (mut correct, mut seen) = (0.0, 0usize);
        while report.steps < steps && !self.finished {
            let probe_now = self
                .config
                .probe_every
                .is_some_and(|k| k > 0 && self.global_step.is_multiple_of(k));
            let lr = self.current_lr();
            let (scalars, batch, probe_inputs) = self.train_step(probe_now);
            pending.scalars.push(scalars);
            pending.batch_sizes.push(batch);
            report.lrs.push(lr);
            self.history.step_lrs.push(lr);
            report.steps += 1;
            if let Some((inputs, grad_norm)) = probe_inputs {
                let record = self.probe_record(inputs, grad_norm, lr).await?;
                self.history.probes.push(record.clone());
                report.probes.push(record);
            }
            if self.cursor >= self.order.len() {
                self.flush(&mut pending, &mut report, &mut correct, &mut seen)
                    .await?;
                if !self.finished {
                    self.end_epoch(&mut report).await?;
                }
            }
        }
        self.flush(&mut pending, &mut report, &mut correct, &mut seen)
            .await?;
        report.accuracy = if seen > 0 { correct / seen as f64 } else { 0.0 };
        report.global_step = self.global_step;
        report.epoch = self.epoch;
        report.epoch_progress = self.cursor as f64 / self.order.len().max(1) as f64;
        report.finished = self.finished;
        Ok(report)
    }

    /// Trains until the current epoch ends (or the run does).
    ///
    /// # Errors
    /// See [`Trainer::advance`].
    pub async fn run_epoch(&mut self) -> Result<StepReport, TrainError> {
        let left = self
            .order
            .len()
            .saturating_sub(self.cursor)
            .div_ceil(self.config.batch_size);
        self.advance(left.max(1)).await
    }

    fn new_pending(&self) -> Pending {
        Pending {
            first_step: self.global_step,
            scalars: Vec::new(),
            batch_sizes: Vec::new(),
        }
    }

    // ANCHOR: train_step
    /// One optimizer step on the next mini-batch. Returns the step's scalars (on the device),
    /// the batch size, and the probe inputs when probing.
    fn train_step(&mut self, probe: bool) -> (Tensor<1>, usize, Option<(ProbeInputs, Tensor<1>)>) {
        let end = (self.cursor + self.config.batch_size).min(self.order.len());
        let indices = self.order[self.cursor..end].to_vec();
        self.cursor = end;
        let batch = self.data.train.batch(&indices, &self.train_device);
        let head = self.config.model.head;
        let regularization = self.config.regularization;

        let mut model = self.model.clone();
        let mut traces = Vec::new();
        let logits = model.forward_train(
            batch.images,
            &mut self.dropout_rng,
            probe.then_some(&mut traces),
        );
        let data_loss = loss_for(head, logits.clone(), batch.labels.clone());
        let penalty = penalty_term(&model, &regularization);
        let loss = match &penalty {
            Some(p) => data_loss + p.clone(),
            None => data_loss,
        };
        let correct = correct_count(head, logits.detach(), batch.labels);

        let mut grads = GradientsParams::from_grads(loss.backward(), &model);
        let grad_norm = if probe {
            global_grad_norm(&model, &grads)
        } else {
            None
        };
        if let Some(max_norm) = regularization.clip_norm {
            clip_grad_norm(&model, &mut grads, max_norm);
        }
        if let Some(limit) = regularization.clip_value {
            clip_grad_value(&model, &mut grads, limit);
        }
        let probe_inputs = probe.then(|| capture(&model, &grads, traces));

        let ctx = StepContext {
            lr: self.current_lr(),
            momentum: self.schedule.momentum().or(self.tuning.momentum),
        };
        model = self.optimizer.step(ctx, model, grads);
        if let Some(max_norm) = regularization.max_norm {
            model = apply_max_norm(model, max_norm);
        }
        // ANCHOR_END: train_step
        let probe_inputs = probe_inputs.map(|mut inputs| {
            inputs.weights_after = linear_layers(&model)
                .iter()
                .map(|l| l.weight.val().inner())
                .collect();
            let norm = grad_norm
                .unwrap_or_else(|| Tensor::zeros([1], &self.device))
                .inner();
            (inputs, norm)
        });
        self.model = model;
        if self.config.schedule.interval() == Interval::Step {
            self.schedule.step(None);
        }
        self.global_step += 1;
        let penalty = penalty
            .map(|p| p.inner())
            .unwrap_or_else(|| Tensor::zeros([1], &self.device));
        let scalars = Tensor::cat(vec![loss.inner(), correct.inner(), penalty], 0);
        (scalars, indices.len(), probe_inputs)
    }

    async fn probe_record(
        &self,
        inputs: ProbeInputs,
        grad_norm: Tensor<1>,
        lr: f64,
    ) -> Result<ProbeRecord, TrainError> {
        let norm = read_floats(grad_norm).await?;
        Ok(ProbeRecord {
            step: self.global_step.saturating_sub(1),
            lr,
            grad_global_norm: norm.first().copied().unwrap_or(0.0) as f64,
            layers: probe::collect(inputs, self.config.model.activation).await?,
        })
    }

    /// Reads the pending per-step scalars back (one transfer), records them, detects divergence.
    async fn flush(
        &mut self,
        pending: &mut Pending,
        report: &mut StepReport,
        correct: &mut f64,
        seen: &mut usize,
    ) -> Result<(), TrainError> {
        let batch = std::mem::replace(pending, self.new_pending());
        if batch.scalars.is_empty() {
            return Ok(());
        }
        let values = read_floats(Tensor::cat(batch.scalars, 0)).await?;
        for (i, (step, &size)) in values.chunks_exact(3).zip(&batch.batch_sizes).enumerate() {
            let (loss, right, penalty) = (step[0], step[1] as f64, step[2] as f64);
            report.losses.push(loss);
            self.history.step_losses.push(loss);
            if !loss.is_finite() {
                self.diverge(batch.first_step + i, report);
                return Ok(());
            }
            *correct += right;
            *seen += size;
            self.sums.loss += loss as f64;
            self.sums.penalty += penalty;
            self.sums.correct += right;
            self.sums.images += size;
            self.sums.batches += 1;
        }
        Ok(())
    }

    fn diverge(&mut self, step: usize, report: &mut StepReport) {
        let event = Event::Diverged {
            step,
            epoch: self.epoch + 1,
        };
        self.history.events.push(event.clone());
        report.events.push(event);
        self.finished = true;
    }

    /// Loss and accuracy on a split, with the inference model.
    ///
    /// # Errors
    /// [`TrainError::Readback`] if the device fails.
    pub async fn evaluate(&self, split: Split) -> Result<EvalReport, TrainError> {
        let dataset = match split {
            Split::Train => &self.data.train,
            Split::Valid => &self.data.valid,
            Split::Test => &self.data.test,
        };
        let mut rng = SeededRng::new(self.config.seed ^ 0xE7A1_u64 ^ ((self.epoch as u64) << 20));
        evaluate(&self.model.valid(), dataset, &self.device, &mut rng).await
    }

    /// Evaluates the test split and stores it in the history.
    ///
    /// # Errors
    /// [`TrainError::Readback`] if the device fails.
    pub async fn evaluate_test(&mut self) -> Result<EvalReport, TrainError> {
        let result = self.evaluate(Split::Test).await?;
        self.history.test = Some(result);
        Ok(result)
    }

    /// MC-dropout prediction on the first `images` test images with `samples` passes each.
    ///
    /// # Errors
    /// [`TrainError::Readback`] if the device fails.
    pub async fn mc_dropout(
        &self,
        images: usize,
        samples: usize,
    ) -> Result<McPrediction, TrainError> {
        let mut rng = SeededRng::new(self.config.seed ^ 0x3C_u64);
        let model = self.model.valid();
        mc_dropout_predict(
            &model,
            &self.data.test,
            images,
            samples,
            &self.device,
            &mut rng,
        )
        .await
    }
}

fn initial_order(n: usize, shuffle: bool, rng: &mut SeededRng) -> Vec<usize> {
    if shuffle {
        rng.permutation(n)
    } else {
        (0..n).collect()
    }
}

fn capture(
    model: &Mlp,
    grads: &GradientsParams,
    traces: Vec<crate::model::BlockTrace>,
) -> ProbeInputs {
    let layers = linear_layers(model);
    ProbeInputs {
        weights_before: layers.iter().map(|l| l.weight.val().inner()).collect(),
        weights_after: Vec::new(),
        gradients: layers.iter().map(|l| grads.get::<2>(l.weight.id)).collect(),
        traces,
    }
}
