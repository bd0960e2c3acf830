//! Stateless answers to the page's questions, the same on every device: activation curves, the
//! curve of a run's learning-rate schedule, optimizer paths on a 2-D surface, and pictures of
//! dataset images. The worker only turns them into messages.

use dl101_protocol::message::{Curve, CurveRequest, Image, Path};
use dl101_protocol::report::LrPoint;
use dl101_protocol::settings::RunSettings;
use dl101_protocol::vocab::{Optimizer, Surface};

use crate::activation::ActivationFn;
use crate::error::TrainError;
use crate::optim::OptimizerConfig;
use crate::page;
use crate::schedule::{ScheduleError, curve};
use crate::surface;

/// Most grid points of an activation curve.
pub const MAX_CURVE_POINTS: usize = 2001;
/// Most steps of an optimizer path.
pub const MAX_PATH_STEPS: usize = 2000;

/// f and f′ of each requested activation at `points` evenly spaced z from `lo` to `hi`
/// (2 to [`MAX_CURVE_POINTS`]).
pub fn activation_curves(requests: &[CurveRequest], lo: f64, hi: f64, points: usize) -> Vec<Curve> {
    let points = points.clamp(2, MAX_CURVE_POINTS);
    let z: Vec<f64> = (0..points)
        .map(|i| lo + (hi - lo) * i as f64 / (points - 1) as f64)
        .collect();
    requests
        .iter()
        .map(|&request| {
            let f = ActivationFn::new(request.activation, request.param);
            Curve {
                request,
                value: z.iter().map(|&x| f.value(x)).collect(),
                derivative: z.iter().map(|&x| f.derivative(x)).collect(),
                z: z.clone(),
            }
        })
        .collect()
}

/// The learning rate at every optimizer step of the run `settings` describe, as its trainer
/// would set it (plateau schedules see no metric, so they stay flat).
///
/// # Errors
/// A schedule setting the core refuses.
pub fn lr_curve(settings: &RunSettings) -> Result<Vec<LrPoint>, ScheduleError> {
    let steps_per_epoch = settings
        .size
        .train_images(settings.data)
        .div_ceil(settings.batch_size.max(1) as usize);
    curve(
        &page::schedule(settings),
        settings.lr,
        settings.epochs as usize,
        steps_per_epoch,
        &[],
    )
}

/// Each optimizer's path on `shape` from its start, with torch's defaults and rate `lr`, for
/// at most `steps` steps (1 to [`MAX_PATH_STEPS`]); `momentum` replaces the μ of the momentum
/// and Nesterov runs (the others keep theirs). Two parameters: the CPU is the right device.
///
/// # Errors
/// A failed computation.
pub async fn optimizer_paths(
    shape: Surface,
    optimizers: &[Optimizer],
    lr: f64,
    momentum: Option<f64>,
    steps: usize,
    device: &burn::tensor::Device,
) -> Result<Vec<Path>, TrainError> {
    let mut paths = Vec::with_capacity(optimizers.len());
    for &optimizer in optimizers {
        let mut config = OptimizerConfig::defaults(optimizer);
        if let (
            OptimizerConfig::Momentum { momentum: mu, .. }
            | OptimizerConfig::Nesterov { momentum: mu, .. },
            Some(chosen),
        ) = (&mut config, momentum)
        {
            *mu = chosen;
        }
        let points =
            surface::path(shape, config, lr, steps.clamp(1, MAX_PATH_STEPS), device).await?;
        paths.push(Path { optimizer, points });
    }
    Ok(paths)
}

/// An image of a dataset as the page draws it: grey 28×28, or CIFAR's channel planes
/// interleaved to RGB 32×32.
pub fn picture(pixels: &[u8], features: usize) -> Image {
    if features == 3 * 32 * 32 {
        let plane = 32 * 32;
        let mut rgb = Vec::with_capacity(features);
        for i in 0..plane {
            for c in 0..3 {
                rgb.push(pixels.get(c * plane + i).copied().unwrap_or(0));
            }
        }
        Image {
            width: 32,
            height: 32,
            channels: 3,
            pixels: rgb,
        }
    } else {
        Image {
            width: 28,
            height: 28,
            channels: 1,
            pixels: pixels.to_vec(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dl101_protocol::settings::DataSize;
    use dl101_protocol::vocab::{Activation, Schedule};

    #[test]
    fn curves_sample_the_function_and_its_derivative() {
        let request = CurveRequest {
            activation: Activation::LeakyRelu,
            param: 0.2,
        };
        let curves = activation_curves(&[request], -2.0, 2.0, 5);
        assert_eq!(curves.len(), 1);
        assert_eq!(curves[0].z, vec![-2.0, -1.0, 0.0, 1.0, 2.0]);
        assert_eq!(curves[0].value, vec![-0.4, -0.2, 0.0, 1.0, 2.0]);
        assert_eq!(curves[0].derivative, vec![0.2, 0.2, 0.2, 1.0, 1.0]);
        let many = activation_curves(&[request], 0.0, 1.0, 1_000_000);
        assert_eq!(many[0].z.len(), MAX_CURVE_POINTS);
        assert_eq!(
            activation_curves(&[request], 0.0, 1.0, 0)[0].z,
            vec![0.0, 1.0]
        );
    }

    #[test]
    fn the_lr_curve_has_one_point_per_step_of_the_run() {
        let settings = RunSettings {
            schedule: Schedule::Step,
            schedule_factor: 0.5,
            schedule_period: 1,
            epochs: 2,
            batch_size: 1000,
            size: DataSize::Quick,
            lr: 0.1,
            ..RunSettings::default()
        };
        let points = lr_curve(&settings).expect("valid");
        // 5,000 quick images in batches of 1,000: 5 steps per epoch.
        assert_eq!(points.len(), 10);
        assert_eq!(points[0].lr, 0.1);
        assert_eq!(points[9].lr, 0.05);
    }

    #[test]
    fn pictures_interleave_cifar_planes() {
        let mut planes = vec![0u8; 3 * 32 * 32];
        planes[0] = 10; // red of pixel 0
        planes[32 * 32] = 20; // green of pixel 0
        planes[2 * 32 * 32 + 1] = 30; // blue of pixel 1
        let image = picture(&planes, 3 * 32 * 32);
        assert_eq!((image.width, image.height, image.channels), (32, 32, 3));
        assert_eq!(&image.pixels[..6], &[10, 20, 0, 0, 0, 30]);
        let grey = picture(&[7; 784], 784);
        assert_eq!((grey.width, grey.channels, grey.pixels[783]), (28, 1, 7));
    }

    #[test]
    fn paths_start_where_the_surface_says() {
        let device = crate::cpu_device();
        let paths = pollster::block_on(optimizer_paths(
            Surface::Ravine,
            &[Optimizer::Sgd, Optimizer::Adam],
            0.01,
            None,
            3,
            &device,
        ))
        .expect("paths");
        assert_eq!(paths.len(), 2);
        assert_eq!(paths[0].optimizer, Optimizer::Sgd);
        let (x, y, _) = paths[0].points[0];
        assert_eq!((x, y), Surface::Ravine.start());
    }

    /// The ravine's lesson (06), as the widget computes it: κ = 130, so SGD diverges past
    /// η = 2/130 ≈ 0.0154; heavy-ball momentum is stable while η < 2(1 + μ)/130, and at Polyak's
    /// best pair for this quadratic (η ≈ 0.026, μ ≈ 0.70) it reaches the floor in far fewer steps.
    #[test]
    fn the_ravine_keeps_the_lessons_numbers() {
        let device = crate::cpu_device();
        let end = |optimizer, lr, momentum| {
            let paths = pollster::block_on(optimizer_paths(
                Surface::Ravine,
                &[optimizer],
                lr,
                momentum,
                200,
                &device,
            ))
            .expect("paths");
            paths[0].points.last().map_or(f64::NAN, |p| p.2)
        };
        let start = 0.5 * (2.5f64.powi(2) + 130.0);
        assert!(
            end(Optimizer::Sgd, 0.015, None) < start,
            "below 2/130 SGD converges"
        );
        let diverged = |f: f64| f.is_nan() || f > start;
        assert!(
            diverged(end(Optimizer::Sgd, 0.0156, None)),
            "past 2/130 it diverges"
        );
        let polyak = end(Optimizer::Momentum, 0.026, Some(0.7));
        assert!(polyak < 1e-6, "{polyak}");
        assert!(end(Optimizer::Sgd, 0.015, None) > 1e-3, "SGD is still far");
        assert!(
            diverged(end(Optimizer::Momentum, 0.03, Some(0.7))),
            "past 2(1+μ)/130"
        );
        // The μ given replaces momentum's 0.9 (which is slower here than 0.7).
        assert!(end(Optimizer::Momentum, 0.026, Some(0.9)) > polyak * 100.0);
        // And leaves plain SGD plain.
        assert_eq!(
            end(Optimizer::Sgd, 0.01, Some(0.9)),
            end(Optimizer::Sgd, 0.01, None)
        );
    }
}
