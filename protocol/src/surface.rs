//! The loss surfaces of the optimizer-paths widget, as plain f64 math: the page draws a surface at
//! once from these, and the training core walks the optimizers on the same formulas (its tensor
//! version, `dl101_core::surface`, is tested against these values).

use crate::vocab::Surface;

/// Curvature across the ravine (along it, it is 1).
///
/// At lr 0.01, lr·130 = 1.3 lies in (1, 2): plain SGD overshoots the valley floor at every step
/// (zig-zag) yet converges, and it stays below Nesterov's limit 1 + 1/(1 + 2β) ≈ 1.36 (β = 0.9),
/// so no SGD-family optimizer diverges at that rate. Heavy-ball momentum tolerates up to
/// 2(1 + β) = 3.8.
pub const RAVINE_CURVATURE: f64 = 130.0;

/// Rosenbrock's b (a = 1).
pub const ROSENBROCK_B: f64 = 100.0;

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
impl Surface {
    /// f(x, y) in f64.
    pub fn value(self, x: f64, y: f64) -> f64 {
        match self {
            Surface::Ravine => 0.5 * (x * x + RAVINE_CURVATURE * (y * y)),
            Surface::Saddle => x * x - y * y + 0.25 * ((y * y) * (y * y)),
            Surface::Rosenbrock => {
                let valley = y - x * x;
                (1.0 - x) * (1.0 - x) + ROSENBROCK_B * (valley * valley)
            }
        }
    }

    /// Where every path starts.
    pub fn start(self) -> (f64, f64) {
        match self {
            Surface::Ravine => (-2.5, 1.0),
            Surface::Saddle => (-1.0, 1e-3),
            Surface::Rosenbrock => (-1.2, 1.0),
        }
    }

    /// The region to draw: `((x_min, x_max), (y_min, y_max))`.
    pub fn view(self) -> ((f64, f64), (f64, f64)) {
        match self {
            Surface::Ravine => ((-3.0, 3.0), (-1.6, 1.6)),
            Surface::Saddle => ((-1.5, 1.5), (-2.0, 2.0)),
            Surface::Rosenbrock => ((-2.0, 2.0), (-1.0, 3.0)),
        }
    }

    /// The minimum to mark. For the saddle, the one the start drains to, (0, √2); its mirror
    /// image (0, −√2) is an equal minimum.
    pub fn minimum(self) -> Option<(f64, f64)> {
        match self {
            Surface::Ravine => Some((0.0, 0.0)),
            Surface::Saddle => Some((0.0, std::f64::consts::SQRT_2)),
            Surface::Rosenbrock => Some((1.0, 1.0)),
        }
    }

    /// f sampled on an `n`×`n` grid over [`Surface::view`], bounds included: `grid[j][i]` is
    /// f(x_i, y_j) with x_i and y_j increasing. `n = 1` samples the centre; `n = 0` is empty.
    pub fn grid(self, n: usize) -> Vec<Vec<f64>> {
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

/// The `i`-th of `n` evenly spaced points from `lo` to `hi` (the midpoint when `n` is 1).
fn sample(lo: f64, hi: f64, i: usize, n: usize) -> f64 {
    if n < 2 {
        0.5 * (lo + hi)
    } else {
        lo + (hi - lo) * i as f64 / (n - 1) as f64
    }
}
