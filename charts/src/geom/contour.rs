//! A surface's colour levels and its contour lines (marching squares).

use super::{extent, to_axis};
use crate::spec::Scale;

/// The values a surface is coloured and contoured by, `cols` per row: the values themselves, or
/// with `log` their log10. Where some finite value is not positive (a saddle goes below zero), the
/// log is taken of `v - min + span / 1000`, so every finite value still has a colour; non-finite
/// values become NaN.
pub fn surface_levels(grid: &[Vec<f64>], cols: usize, log: bool) -> Vec<Vec<f64>> {
    let values = || grid.iter().flat_map(|row| row.iter().take(cols).copied());
    let shift = match extent(values()) {
        Some((lo, hi)) if log && lo <= 0.0 => (hi - lo).max(f64::MIN_POSITIVE) / 1000.0 - lo,
        _ => 0.0,
    };
    let scale = if log { Scale::Log } else { Scale::Linear };
    grid.iter()
        .map(|row| {
            row.iter()
                .take(cols)
                .map(|v| to_axis(v + shift, scale).unwrap_or(f64::NAN))
                .collect()
        })
        .collect()
}

/// The pieces of the level line `value == level` through a grid (`grid[j][i]`), in fractional grid
/// coordinates `(i, j)` (marching squares). Cells with a non-finite corner are skipped; ragged rows
/// are cut to the shortest.
pub fn contour_segments(grid: &[Vec<f64>], level: f64) -> Vec<((f64, f64), (f64, f64))> {
    let mut out = Vec::new();
    let width = grid.iter().map(Vec::len).min().unwrap_or(0);
    if grid.len() < 2 || width < 2 || !level.is_finite() {
        return out;
    }
    // The point where the level crosses the edge from p (value a) to q (value b).
    let cross = |p: (f64, f64), a: f64, q: (f64, f64), b: f64| {
        let t = if b == a {
            0.5
        } else {
            ((level - a) / (b - a)).clamp(0.0, 1.0)
        };
        (p.0 + (q.0 - p.0) * t, p.1 + (q.1 - p.1) * t)
    };
    for j in 0..grid.len() - 1 {
        for i in 0..width - 1 {
            let (fi, fj) = (i as f64, j as f64);
            // Corners counter-clockwise from bottom left.
            let corners = [
                ((fi, fj), grid[j][i]),
                ((fi + 1.0, fj), grid[j][i + 1]),
                ((fi + 1.0, fj + 1.0), grid[j + 1][i + 1]),
                ((fi, fj + 1.0), grid[j + 1][i]),
            ];
            if corners.iter().any(|(_, v)| !v.is_finite()) {
                continue;
            }
            let above: Vec<bool> = corners.iter().map(|(_, v)| *v >= level).collect();
            // Crossings on each edge k (corner k to corner k+1).
            let mut crossings: Vec<(usize, (f64, f64))> = Vec::new();
            for k in 0..4 {
                let n = (k + 1) % 4;
                if above[k] != above[n] {
                    let (p, a) = corners[k];
                    let (q, b) = corners[n];
                    crossings.push((k, cross(p, a, q, b)));
                }
            }
            match crossings.as_slice() {
                [(_, p), (_, q)] => out.push((*p, *q)),
                [(_, p0), (_, p1), (_, p2), (_, p3)] => {
                    // A saddle: decide by the centre value which corners connect.
                    let centre = corners.iter().map(|(_, v)| v).sum::<f64>() / 4.0;
                    if (centre >= level) == above[0] {
                        out.push((*p0, *p3));
                        out.push((*p1, *p2));
                    } else {
                        out.push((*p0, *p1));
                        out.push((*p2, *p3));
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// `n` levels strictly between `lo` and `hi` (axis units), evenly spaced.
pub fn levels(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if !lo.is_finite() || !hi.is_finite() || hi <= lo {
        return Vec::new();
    }
    (1..=n)
        .map(|k| lo + (hi - lo) * k as f64 / (n + 1) as f64)
        .collect()
}
