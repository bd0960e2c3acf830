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

use crate::error::TrainError;
use crate::optim::{Optimizer, OptimizerConfig, StepContext};
use crate::readback::read_floats;

/// Curvature across the ravine (along it, it is 1).
///
/// At lr 0.01, lr·130 = 1.3 lies in (1, 2): plain SGD overshoots the valley floor at every step
/// (zig-zag) yet converges, and it stays below Nesterov's limit 1 + 1/(1 + 2β) ≈ 1.36 (β = 0.9),
/// so no SGD-family optimizer diverges at that rate. Heavy-ball momentum tolerates up to
/// 2(1 + β) = 3.8.
const RAVINE_CURVATURE: f64 = 130.0;

/// Rosenbrock's b (a = 1).
const ROSENBROCK_B: f64 = 100.0;

/// A position beyond this (in x or y) counts as divergence and ends a [`path`].
pub const DIVERGED: f64 = 1e6;

/// A 2-D test function for optimizers (its formulas: [`SurfaceFn`]).
pub use dl101_protocol::vocab::Surface;

/// The formulas of each [`Surface`].
///
/// * Ravine: the elongated quadratic valley f(x, y) = ½(x² + 130·y²), minimum 0 at (0, 0), start
///   (−2.5, 1). Condition number 130: at lr 0.01 SGD zig-zags across the valley (y ← −0.3·y)
///   while it crawls along it (x ← 0.99·x); momentum and Adam get down the valley far sooner.
/// * Saddle: f(x, y) = x² − y² + ¼·y⁴, a saddle point at (0, 0), minima −1 at (0, ±√2). The
///   quartic term bounds the surface below. The start (−1, 0.001) lies just off the unstable
///   axis: at lr 0.01 SGD grows y by only 2 % per step and lingers near the saddle for hundreds
///   of steps, while momentum and the adaptive methods (which rescale the tiny y gradient)
///   escape.
/// * Rosenbrock: f(x, y) = (1 − x)² + 100·(y − x²)², minimum 0 at (1, 1), classic start
///   (−1.2, 1). A curved valley with steep walls and an almost flat floor: stable learning rates
///   are small across the valley and far too small along it.
pub trait SurfaceFn: Copy {
    /// f(x, y) in f64.
    fn value(self, x: f64, y: f64) -> f64;
    /// f at the point `xy` (shape `[2]`: x, y) as a `[1]` tensor, differentiable on an
    /// autodiff device. Same formula and operation order as [`SurfaceFn::value`] and the torch
    /// fixture generator.
    fn value_tensor(self, xy: Tensor<1>) -> Tensor<1>;
    /// Where every path starts.
    fn start(self) -> (f64, f64);
    /// The region to draw: `((x_min, x_max), (y_min, y_max))`.
    fn view(self) -> ((f64, f64), (f64, f64));
    /// The minimum to mark. For the saddle, the one the start drains to, (0, √2); its mirror
    /// image (0, −√2) is an equal minimum.
    fn minimum(self) -> Option<(f64, f64)>;
    /// f sampled on an `n`×`n` grid over [`SurfaceFn::view`], bounds included: `grid[j][i]` is
    /// f(x_i, y_j) with x_i and y_j increasing. `n = 1` samples the centre; `n = 0` is empty.
    fn grid(self, n: usize) -> Vec<Vec<f64>> {
        let ((x0, x1), (y0, y1)) = self.view();
        (0..n)
            .map(|j| {
                let y = sample(y0, y1, j, n);
                (0..n)
                    .map(|i| self.value(sample(x0, x1, i, n), y))
                    .collect()
            })
            .collect()
    }
}

impl SurfaceFn for Surface {
    fn value(self, x: f64, y: f64) -> f64 {
        match self {
            Surface::Ravine => 0.5 * (x * x + RAVINE_CURVATURE * (y * y)),
            Surface::Saddle => x * x - y * y + 0.25 * ((y * y) * (y * y)),
            Surface::Rosenbrock => {
                let valley = y - x * x;
                (1.0 - x) * (1.0 - x) + ROSENBROCK_B * (valley * valley)
            }
        }
    }

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

    fn start(self) -> (f64, f64) {
        match self {
            Surface::Ravine => (-2.5, 1.0),
            Surface::Saddle => (-1.0, 1e-3),
            Surface::Rosenbrock => (-1.2, 1.0),
        }
    }

    fn view(self) -> ((f64, f64), (f64, f64)) {
        match self {
            Surface::Ravine => ((-3.0, 3.0), (-1.6, 1.6)),
            Surface::Saddle => ((-1.5, 1.5), (-2.0, 2.0)),
            Surface::Rosenbrock => ((-2.0, 2.0), (-1.0, 3.0)),
        }
    }

    fn minimum(self) -> Option<(f64, f64)> {
        match self {
            Surface::Ravine => Some((0.0, 0.0)),
            Surface::Saddle => Some((0.0, std::f64::consts::SQRT_2)),
            Surface::Rosenbrock => Some((1.0, 1.0)),
        }
    }
}

/// The `i`-th of `n` evenly spaced points from `lo` to `hi` (the midpoint when `n` is 1).
fn sample(lo: f64, hi: f64, i: usize, n: usize) -> f64 {
    if n < 2 {
        0.5 * (lo + hi)
    } else {
        lo + (hi - lo) * i as f64 / (n - 1) as f64
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
