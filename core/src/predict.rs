//! Inference helpers: batched evaluation and MC-dropout predictions with uncertainty.

use burn::tensor::{Device, Tensor, activation::softmax};

use crate::data::Dataset;
use crate::error::TrainError;
use crate::loss::{correct_count, loss_for};
use crate::model::Mlp;
use crate::readback::read_floats;
use crate::report::EvalReport;
use crate::rng::SeededRng;

/// Images per forward pass when evaluating.
pub const EVAL_CHUNK: usize = 1000;

/// Loss and accuracy of `model` (an inference copy, see `Module::valid`) on `dataset`.
/// Sums stay on the device; one readback at the end.
///
/// # Errors
/// [`TrainError::Readback`] if the device cannot return the sums.
pub async fn evaluate(
    model: &Mlp,
    dataset: &Dataset,
    device: &Device,
    rng: &mut SeededRng,
) -> Result<EvalReport, TrainError> {
    let head = model.config.head;
    let n = dataset.len();
    let mut sums = Vec::new();
    for start in (0..n).step_by(EVAL_CHUNK) {
        let indices: Vec<usize> = (start..(start + EVAL_CHUNK).min(n)).collect();
        let batch = dataset.batch(&indices, device);
        let logits = model.forward_eval(batch.images, rng);
        let loss =
            loss_for(head, logits.clone(), batch.labels.clone()).mul_scalar(indices.len() as f64);
        sums.push(Tensor::cat(
            vec![loss, correct_count(head, logits, batch.labels)],
            0,
        ));
    }
    if sums.is_empty() {
        return Ok(EvalReport {
            loss: f64::NAN,
            accuracy: 0.0,
            count: 0,
        });
    }
    let values = read_floats(Tensor::cat(sums, 0)).await?;
    let (loss, correct) = values.chunks_exact(2).fold((0.0, 0.0), |(l, c), pair| {
        (l + pair[0] as f64, c + pair[1] as f64)
    });
    Ok(EvalReport {
        loss: loss / n as f64,
        accuracy: correct / n as f64,
        count: n,
    })
}

pub use dl101_protocol::report::McPrediction;

// ANCHOR: mc_dropout
/// MC dropout: repeats each image `samples` times, runs the model with dropout forced on
/// (BatchNorm stays in inference mode), and summarizes the softmax per class.
///
/// # Errors
/// [`TrainError::Readback`] if the device cannot return the probabilities.
pub async fn mc_dropout_predict(
    model: &Mlp,
    dataset: &Dataset,
    images: usize,
    samples: usize,
    device: &Device,
    rng: &mut SeededRng,
) -> Result<McPrediction, TrainError> {
    let images = images.min(dataset.len());
    let repeated: Vec<usize> = (0..images)
        .flat_map(|i| std::iter::repeat_n(i, samples))
        .collect();
    let batch = dataset.batch(&repeated, device);
    let probs = softmax(model.forward_mc(batch.images, rng), 1);
    let [_, classes] = probs.dims();
    let probs = read_floats(probs).await?;
    let mut prediction = McPrediction {
        mean: Vec::new(),
        std: Vec::new(),
        labels: dataset.labels[..images].to_vec(),
    };
    for image in probs.chunks_exact(samples * classes) {
        let column = |c: usize| image.iter().skip(c).step_by(classes).map(|&p| p as f64);
        let mean: Vec<f64> = (0..classes)
            .map(|c| column(c).sum::<f64>() / samples as f64)
            .collect();
        let std = (0..classes)
            .map(|c| {
                let ss: f64 = column(c).map(|p| (p - mean[c]).powi(2)).sum();
                (ss / (samples.max(2) - 1) as f64).sqrt()
            })
            .collect();
        prediction.mean.push(mean);
        prediction.std.push(std);
    }
    Ok(prediction)
}
// ANCHOR_END: mc_dropout
