//! Optimizers walking on 2-D loss surfaces, for the "loss surface" widget.
//!
//! A point `(x, y)` is a one-parameter module; [`path`] runs the crate's own [`Optimizer`] on it
//! (the update rules verified against torch.optim), so the drawn paths are the same rules that
//! train the networks. Each surface makes one point of the chapter:
//!
//! * [`Surface::Ravine`]: ill-conditioning; plain SGD zig-zags across and crawls along.
//! * [`Surface::Saddle`]: a saddle point; plain SGD lingers, momentum and Adam escape.
//! * [`Surface::Rosenbrock`]: a curved, flat-bottomed valley that every optimizer finds hard.

use burn::module::{Module, Param};
use burn::optim::GradientsParams;
use burn::tensor::{Device, Tensor, TensorData};
use dl101_protocol::surface::{RAVINE_CURVATURE, ROSENBROCK_B};

use crate::error::TrainError;
use crate::optim::{Optimizer, OptimizerConfig, StepContext};
use crate::readback::read_floats;

/// A position beyond this (in x or y) counts as divergence and ends a [`path`].
pub const DIVERGED: f64 = 1e6;

/// A 2-D test function for optimizers (its formulas: [`Surface::value`]).
pub use dl101_protocol::vocab::Surface;

/// The tensor version of each [`Surface`]'s formula (the f64 one, with the start, view and
/// minimum, is [`Surface::value`] in the protocol crate, which the page draws from).
pub trait SurfaceFn: Copy {
    /// f at the point `xy` (shape `[2]`: x, y) as a `[1]` tensor, differentiable on an
    /// autodiff device. Same formula and operation order as [`Surface::value`] and the torch
    /// fixture generator.
    fn value_tensor(self, xy: Tensor<1>) -> Tensor<1>;
}

impl SurfaceFn for Surface {
    fn value_tensor(self, xy: Tensor<1>) -> Tensor<1> {
        let x = xy.clone().narrow(0, 0, 1);
        let y = xy.narrow(0, 1, 1);
        match self {
            Surface::Ravine => {
                let across = (y.clone() * y).mul_scalar(RAVINE_CURVATURE);
                (x.clone() * x + across).mul_scalar(0.5)
            }
            Surface::Saddle => {
                let y2 = y.clone() * y;
                x.clone() * x - y2.clone() + (y2.clone() * y2).mul_scalar(0.25)
            }
            Surface::Rosenbrock => {
                let gap = x.clone().neg().add_scalar(1.0);
                let valley = y - x.clone() * x;
                gap.clone() * gap + (valley.clone() * valley).mul_scalar(ROSENBROCK_B)
            }
        }
    }
}

/// The point being optimized: one parameter of shape `[2]`, (x, y).
#[derive(Module, Debug)]
struct Point {
    xy: Param<Tensor<1>>,
}

/// Runs `optimizer` (at constant `lr`, no weight decay beyond its config) for `steps` steps on
/// `surface` from [`Surface::start`] and returns `(x, y, f(x, y))` after each step, the start
/// first: `steps + 1` points.
///
/// The position is an f32 parameter on the autodiff version of `device`; f is evaluated in f64
/// at that f32 position. The path stops early on divergence: the first point that is
/// non-finite or beyond [`DIVERGED`] in x or y is kept and is the last one.
///
/// # Errors
/// [`TrainError::Readback`] if the position cannot be read back from the device.
pub async fn path(
    surface: Surface,
    optimizer: OptimizerConfig,
    lr: f64,
    steps: usize,
    device: &Device,
) -> Result<Vec<(f64, f64, f64)>, TrainError> {
    let device = device.clone().autodiff();
    let (x, y) = surface.start();
    let start = Tensor::from_data(TensorData::new(vec![x as f32, y as f32], [2]), &device);
    let mut point = Point {
        xy: Param::from_tensor(start),
    };
    let mut optimizer: Optimizer = optimizer.init();
    let ctx = StepContext { lr, momentum: None };
    let mut points = Vec::with_capacity(steps + 1);
    points.push(position(surface, &point).await?);
    for _ in 0..steps {
        let loss = surface.value_tensor(point.xy.val());
        let grads = GradientsParams::from_grads(loss.backward(), &point);
        point = optimizer.step(ctx, point, grads);
        let here = position(surface, &point).await?;
        points.push(here);
        let (x, y, _) = here;
        if !(x.abs() <= DIVERGED && y.abs() <= DIVERGED) {
            break;
        }
    }
    Ok(points)
}

/// Reads the point back: `(x, y, f(x, y))`.
async fn position(surface: Surface, point: &Point) -> Result<(f64, f64, f64), TrainError> {
    let values = read_floats(point.xy.val()).await?;
    match values[..] {
        [x, y] => {
            let (x, y) = (f64::from(x), f64::from(y));
            Ok((x, y, surface.value(x, y)))
        }
        _ => Err(TrainError::Readback(format!(
            "expected 2 coordinates, got {}",
            values.len()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cpu_device;

    fn run(surface: Surface, name: &str, lr: f64, steps: usize) -> Vec<(f64, f64, f64)> {
        let kind = dl101_protocol::vocab::Optimizer::from_name(name).unwrap();
        let config = OptimizerConfig::defaults(kind);
        pollster::block_on(path(surface, config, lr, steps, &cpu_device())).unwrap()
    }

    /// ∇f by autodiff at (x, y).
    fn gradient(surface: Surface, x: f64, y: f64) -> (f64, f64) {
        let device = cpu_device().autodiff();
        let xy = Tensor::<1>::from_data(TensorData::new(vec![x as f32, y as f32], [2]), &device)
            .require_grad();
        let grads = surface.value_tensor(xy.clone()).backward();
        let g = xy.grad(&grads).unwrap();
        let g = g.into_data().try_to_vec::<f32>().unwrap();
        (f64::from(g[0]), f64::from(g[1]))
    }

    #[test]
    fn minima_are_stationary_and_lowest() {
        for &surface in Surface::ALL {
            let (mx, my) = surface.minimum().unwrap();
            let at = surface.value(mx, my);
            let expected = if surface == Surface::Saddle {
                -1.0
            } else {
                0.0
            };
            assert!((at - expected).abs() < 1e-12, "{surface:?}: f = {at}");
            let (gx, gy) = gradient(surface, mx, my);
            assert!(
                gx.abs() < 1e-5 && gy.abs() < 1e-5,
                "{surface:?}: ∇f = ({gx}, {gy})"
            );
            for row in surface.grid(41) {
                for v in row {
                    assert!(v >= at - 1e-12, "{surface:?}: {v} below the minimum {at}");
                }
            }
        }
        // The saddle point is stationary but not a minimum.
        assert_eq!(Surface::Saddle.value(0.0, 0.0), 0.0);
        assert_eq!(gradient(Surface::Saddle, 0.0, 0.0), (0.0, 0.0));
    }

    #[test]
    fn tensor_value_matches_f64_value() {
        let device = cpu_device();
        for &surface in Surface::ALL {
            for (x, y) in [(-1.2, 1.0), (0.3, -0.7), (2.0, 1.5)] {
                let xy =
                    Tensor::<1>::from_data(TensorData::new(vec![x as f32, y as f32], [2]), &device);
                let t = surface
                    .value_tensor(xy)
                    .into_data()
                    .try_to_vec::<f32>()
                    .unwrap();
                let v = surface.value(x, y);
                assert!(
                    (f64::from(t[0]) - v).abs() <= 1e-5 * v.abs().max(1.0),
                    "{surface:?} at ({x}, {y}): {} vs {v}",
                    t[0]
                );
            }
        }
    }

    #[test]
    fn gradients_point_uphill() {
        // Ravine: ∇f = (x, 130y).
        assert_eq!(gradient(Surface::Ravine, -2.0, 0.5), (-2.0, 65.0));
        // Saddle: ∇f = (2x, −2y + y³): downhill in y away from the axis near the saddle.
        let (gx, gy) = gradient(Surface::Saddle, -1.0, 0.1);
        assert!(gx < 0.0 && gy < 0.0, "({gx}, {gy})");
        let (_, gy) = gradient(Surface::Saddle, 0.0, 2.0);
        assert!(gy > 0.0, "beyond the minimum the quartic pushes back: {gy}");
        // Rosenbrock at (−1.2, 1): ∂f/∂x = −2(1 − x) − 400x(y − x²) = −215.6, ∂f/∂y = −88.
        let (gx, gy) = gradient(Surface::Rosenbrock, -1.2, 1.0);
        assert!(
            (gx + 215.6).abs() < 1e-2 && (gy + 88.0).abs() < 1e-2,
            "({gx}, {gy})"
        );
    }

    #[test]
    fn grid_layout() {
        let grid = Surface::Rosenbrock.grid(5);
        assert_eq!(grid.len(), 5);
        assert!(grid.iter().all(|row| row.len() == 5));
        // x from −2 to 2 along a row, y from −1 to 3 down the rows.
        assert_eq!(grid[0][0], Surface::Rosenbrock.value(-2.0, -1.0));
        assert_eq!(grid[4][1], Surface::Rosenbrock.value(-1.0, 3.0));
        assert_eq!(grid[2][3], Surface::Rosenbrock.value(1.0, 1.0));
        assert_eq!(Surface::Saddle.grid(1), vec![vec![0.0]]);
        assert!(Surface::Ravine.grid(0).is_empty());
    }

    #[test]
    fn path_starts_at_start_and_descends() {
        for &surface in Surface::ALL {
            let points = run(surface, "adam", 0.05, 100);
            assert_eq!(points.len(), 101);
            let (x, y) = surface.start();
            assert_eq!(
                (points[0].0, points[0].1),
                (x as f32 as f64, y as f32 as f64)
            );
            let (first, last) = (points[0].2, points[100].2);
            assert!(last < first, "{surface:?}: {first} -> {last}");
        }
    }

    #[test]
    fn teaching_points() {
        // Ravine: SGD overshoots the floor (y changes sign) but momentum gets further.
        let sgd = run(Surface::Ravine, "sgd", 0.01, 100);
        assert!(sgd[1].1 < 0.0 && sgd[2].1 > 0.0);
        let momentum = run(Surface::Ravine, "momentum", 0.01, 100);
        assert!(momentum[100].2 < sgd[100].2 * 0.1);
        // Saddle: SGD is still near the saddle after 100 steps, Adam has escaped.
        let sgd = run(Surface::Saddle, "sgd", 0.01, 100);
        assert!(sgd[100].1.abs() < 0.05 && sgd[100].2 > 0.0);
        let adam = run(Surface::Saddle, "adam", 0.05, 100);
        assert!(adam[100].2 < -0.9);
    }

    #[test]
    fn divergence_stops_early() {
        let points = run(Surface::Rosenbrock, "sgd", 0.1, 100);
        assert!(points.len() < 101, "{} points", points.len());
        let &(x, y, _) = points.last().unwrap();
        assert!(
            !(x.abs() <= DIVERGED && y.abs() <= DIVERGED),
            "last ({x}, {y})"
        );
        for &(x, y, _) in &points[..points.len() - 1] {
            assert!(x.abs() <= DIVERGED && y.abs() <= DIVERGED);
        }
    }

    #[test]
    fn zero_steps_is_the_start() {
        let points = run(Surface::Saddle, "momentum", 0.01, 0);
        assert_eq!(points.len(), 1);
    }
}
