//! Polylines as drawable runs, and their clipping to a plot's box.

use super::to_axis;
use crate::spec::Scale;

/// A polyline split into runs of drawable points, with `y` mapped onto the axis. A run ends at a
/// point with non-finite `x` or a `y` that [`to_axis`] rejects.
pub fn segments(points: &[(f64, f64)], scale: Scale) -> Vec<Vec<(f64, f64)>> {
    let mut out = Vec::new();
    let mut run: Vec<(f64, f64)> = Vec::new();
    for &(x, y) in points {
        match (to_axis(x, Scale::Linear), to_axis(y, scale)) {
            (Some(x), Some(y)) => run.push((x, y)),
            _ => {
                if !run.is_empty() {
                    out.push(std::mem::take(&mut run));
                }
            }
        }
    }
    if !run.is_empty() {
        out.push(run);
    }
    out
}

/// The part of the segment `a`–`b` inside the rectangle `xr` × `yr` (Liang–Barsky), if any.
fn clip_segment(
    a: (f64, f64),
    b: (f64, f64),
    xr: (f64, f64),
    yr: (f64, f64),
) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let mut t0: f64 = 0.0;
    let mut t1: f64 = 1.0;
    for (p, q) in [
        (-dx, a.0 - xr.0),
        (dx, xr.1 - a.0),
        (-dy, a.1 - yr.0),
        (dy, yr.1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    if t0 > t1 || !t0.is_finite() || !t1.is_finite() {
        return None;
    }
    let at = |t: f64| (a.0 + dx * t, a.1 + dy * t);
    Some((at(t0), at(t1)))
}

/// A run of points cut to the rectangle `xr` × `yr`: the pieces inside, in order. A lone point
/// stays if it lies inside.
pub fn clip_polyline(
    points: &[(f64, f64)],
    xr: (f64, f64),
    yr: (f64, f64),
) -> Vec<Vec<(f64, f64)>> {
    let inside = |p: (f64, f64)| p.0 >= xr.0 && p.0 <= xr.1 && p.1 >= yr.0 && p.1 <= yr.1;
    if let [p] = points {
        return if inside(*p) {
            vec![vec![*p]]
        } else {
            Vec::new()
        };
    }
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut run: Vec<(f64, f64)> = Vec::new();
    for w in points.windows(2) {
        match clip_segment(w[0], w[1], xr, yr) {
            Some((p, q)) => {
                if run.last() != Some(&p) {
                    if !run.is_empty() {
                        out.push(std::mem::take(&mut run));
                    }
                    run.push(p);
                }
                run.push(q);
            }
            None => {
                if !run.is_empty() {
                    out.push(std::mem::take(&mut run));
                }
            }
        }
    }
    if !run.is_empty() {
        out.push(run);
    }
    out
}
