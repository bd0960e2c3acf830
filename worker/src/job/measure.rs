//! Which backend trains a job's model faster: a few steps of the model on WebGPU and on the CPU,
//! after a warm-up, once per adapter and model size (the page keeps the result for later visits).

use dl101_protocol::device::{Measurement, Rates, model_key};

use super::*;

/// Steps before timing (WebGPU compiles its kernels on the first ones).
const WARM_UP: usize = 3;
/// Wall time each backend is timed for, at most.
const TIMED_MS: f64 = 150.0;
/// Steps each backend is timed for, at most.
const TIMED_STEPS: usize = 40;

impl Runner {
    /// The device a job trains on: the current one, or, where both backends are measured, the
    /// faster for the job's model (its first run's settings).
    pub(super) async fn device_for(
        &mut self,
        job: u32,
        settings: &[RunSettings],
    ) -> burn::tensor::Device {
        let device = self.device().await;
        let (Some((adapter, webgpu)), Some(first)) = (self.devices.measuring(), settings.first())
        else {
            return device;
        };
        let model = model_key(first);
        let rates = match self.devices.known(&model) {
            Some(rates) => rates,
            None => match self.measure(job, first, &webgpu).await {
                Ok(rates) => {
                    let measurement = Measurement {
                        adapter,
                        model,
                        rates,
                    };
                    self.post(&FromWorker::Measured(measurement.clone()));
                    self.devices.remember(measurement);
                    rates
                }
                // The job itself will say what is wrong (its data, its settings).
                Err(_) => return device,
            },
        };
        match self.devices.pick(rates) {
            Some(info) => {
                self.post(&FromWorker::Device(info));
                self.device().await
            }
            None => device,
        }
    }

    async fn measure(
        &mut self,
        job: u32,
        settings: &RunSettings,
        webgpu: &burn::tensor::Device,
    ) -> Result<Rates, String> {
        let config = page::config(settings, "measure").map_err(|e| format!("{e:?}"))?;
        let loaded = self
            .load(job, settings.data, settings.size)
            .await
            .map_err(|e| format!("{e:?}"))?;
        let on_webgpu = rate(config.clone(), loaded.task.clone(), webgpu).await;
        // A WebGPU that fails here would fail the job: the CPU is then the faster.
        let webgpu_rate = on_webgpu.unwrap_or(0.0);
        let cpu = rate(config, loaded.task.clone(), &cpu_device()).await?;
        if let Some((device, _)) = &self.devices.current {
            device.memory_cleanup();
        }
        Ok(Rates {
            webgpu: webgpu_rate,
            cpu,
        })
    }
}

/// Training samples per second of `config` on `device`, timed after a warm-up.
async fn rate(
    config: ExperimentConfig,
    data: TaskData,
    device: &burn::tensor::Device,
) -> Result<f64, String> {
    let batch = config.batch_size as f64;
    let mut trainer = Trainer::new(config, data, device).map_err(|e| e.to_string())?;
    trainer.advance(WARM_UP).await.map_err(|e| e.to_string())?;
    let started = now();
    let mut steps = 0;
    while steps < TIMED_STEPS && now() - started < TIMED_MS && !trainer.is_finished() {
        steps += trainer.advance(2).await.map_err(|e| e.to_string())?.steps;
    }
    let seconds = ((now() - started) / 1000.0).max(1e-3);
    Ok(steps as f64 * batch / seconds)
}
