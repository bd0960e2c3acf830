//! Cheap per-layer diagnostics taken every k steps: gradient and weight norms, update/weight
//! ratio, activation statistics, saturated or dead units, fixed-bin histograms.

use burn::tensor::Tensor;

use crate::activation::ActivationFn;
use crate::error::TrainError;
use crate::model::BlockTrace;
use crate::readback::read_floats;

pub use dl101_protocol::report::{
    ACTIVATION_RANGE, BINS, Histogram, LOG_GRADIENT_RANGE, LayerProbe, SATURATION_THRESHOLD,
    WEIGHT_RANGE,
};

/// Tensors captured around one optimizer step, per linear layer.
#[derive(Debug, Clone)]
pub struct ProbeInputs {
    /// Weights before the step.
    pub weights_before: Vec<Tensor<2>>,
    /// Weights after the step.
    pub weights_after: Vec<Tensor<2>>,
    /// Weight gradients (`None` for frozen layers).
    pub gradients: Vec<Option<Tensor<2>>>,
    /// Hidden-block traces of the forward pass.
    pub traces: Vec<BlockTrace>,
}

async fn read(t: Tensor<2>) -> Result<Vec<f32>, TrainError> {
    read_floats(t).await
}

fn norm(values: &[f32]) -> f64 {
    values
        .iter()
        .map(|&v| (v as f64).powi(2))
        .sum::<f64>()
        .sqrt()
}

fn mean_std(values: &[f32]) -> (f64, f64) {
    let n = values.len().max(1) as f64;
    let mean = values.iter().map(|&v| v as f64).sum::<f64>() / n;
    let var = values
        .iter()
        .map(|&v| (v as f64 - mean).powi(2))
        .sum::<f64>()
        / n;
    (mean, var.sqrt())
}

/// Fraction of units (columns of `[batch, width]`) that are exactly 0 for every row.
fn dead_fraction(values: &[f32], width: usize) -> f64 {
    if width == 0 {
        return 0.0;
    }
    let rows = values.len() / width;
    let dead = (0..width)
        .filter(|&j| (0..rows).all(|i| values[i * width + j] == 0.0))
        .count();
    dead as f64 / width as f64
}

/// Reads the captured tensors back (async) and computes every layer's statistics.
///
/// # Errors
/// [`TrainError::Readback`] if the device cannot return the data.
pub async fn collect(
    inputs: ProbeInputs,
    activation: ActivationFn,
) -> Result<Vec<LayerProbe>, TrainError> {
    let count = inputs.weights_before.len();
    let mut layers = Vec::with_capacity(count);
    let mut traces = inputs.traces.into_iter();
    let pairs = inputs
        .weights_before
        .into_iter()
        .zip(inputs.weights_after)
        .zip(inputs.gradients);
    for (layer, ((before, after), gradient)) in pairs.enumerate() {
        let delta = read(after - before.clone()).await?;
        let weights = read(before).await?;
        let grads = match gradient {
            Some(g) => read(g).await?,
            None => Vec::new(),
        };
        let weight_norm = norm(&weights);
        let mut probe = LayerProbe {
            layer,
            name: if layer + 1 == count {
                "output".into()
            } else {
                format!("hidden {}", layer + 1)
            },
            grad_norm: norm(&grads),
            weight_norm,
            update_ratio: norm(&delta) / weight_norm.max(f64::MIN_POSITIVE),
            activation_mean: None,
            activation_std: None,
            saturated: None,
            dead: None,
            activation_histogram: None,
            weight_histogram: Some(Histogram::of(
                weights.iter().map(|&w| f64::from(w)),
                WEIGHT_RANGE,
            )),
            gradient_histogram: Histogram::of(
                grads.iter().map(|&g| (g.abs() as f64).max(1e-30).log10()),
                LOG_GRADIENT_RANGE,
            ),
        };
        if let Some(trace) = traces.next() {
            add_activation_stats(&mut probe, trace, activation).await?;
        }
        layers.push(probe);
    }
    Ok(layers)
}

async fn add_activation_stats(
    probe: &mut LayerProbe,
    trace: BlockTrace,
    activation: ActivationFn,
) -> Result<(), TrainError> {
    let [_, width] = trace.activation.dims();
    let outputs = read(trace.activation).await?;
    let (mean, std) = mean_std(&outputs);
    probe.activation_mean = Some(mean);
    probe.activation_std = Some(std);
    if activation.is_saturating() {
        let z = read(trace.pre_activation).await?;
        let saturated = z
            .iter()
            .filter(|&&z| activation.derivative(z as f64).abs() < SATURATION_THRESHOLD)
            .count();
        probe.saturated = Some(saturated as f64 / z.len().max(1) as f64);
    }
    if activation.can_die() {
        probe.dead = Some(dead_fraction(&outputs, width));
    }
    probe.activation_histogram = Some(Histogram::of(
        outputs.iter().map(|&v| v as f64),
        ACTIVATION_RANGE,
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_clamps_to_edges() {
        let h = Histogram::of(
            [-100.0, -4.0, 0.0, 3.99, 100.0, f64::NAN].into_iter(),
            (-4.0, 4.0),
        );
        assert_eq!(h.counts.iter().sum::<u32>(), 5);
        assert_eq!(h.counts[0], 2);
        assert_eq!(h.counts[BINS - 1], 2);
        assert_eq!(h.counts[BINS / 2], 1);
    }

    #[test]
    fn dead_units_are_columns_of_zeros() {
        // 2 rows × 3 units: unit 1 is dead.
        assert_eq!(dead_fraction(&[1.0, 0.0, 0.0, 2.0, 0.0, 3.0], 3), 1.0 / 3.0);
    }
}
