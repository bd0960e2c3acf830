//! Pure chart geometry: axis ranges, ticks, number labels, line segments, clipping, contours and
//! layout. No browser types, so it is tested natively. Nothing here returns NaN or infinity.

use crate::spec::Scale;

/// Values are clamped to ±`LIMIT` so that spans stay finite.
const LIMIT: f64 = 1e300;

/// A value's position on an axis: itself on a linear axis, its log10 on a log axis; `None` when it
/// cannot be drawn (non-finite, or `<= 0` on a log axis).
pub fn to_axis(v: f64, scale: Scale) -> Option<f64> {
    if !v.is_finite() {
        return None;
    }
    match scale {
        Scale::Linear => Some(v.clamp(-LIMIT, LIMIT)),
        Scale::Log => (v > 0.0).then(|| v.log10()),
    }
}

/// The value at an axis position (the inverse of [`to_axis`]).
pub fn from_axis(a: f64, scale: Scale) -> f64 {
    match scale {
        Scale::Linear => a,
        Scale::Log => 10f64.powf(a),
    }
}

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

/// The smallest and largest finite values, or `None` if there are none.
pub fn extent(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// `(lo, hi)` as given, if both ends are finite and `hi > lo`: a range a chart can draw as is.
pub fn given_range((lo, hi): (f64, f64)) -> Option<(f64, f64)> {
    (lo.is_finite() && hi.is_finite() && hi > lo).then_some((lo, hi))
}

/// An axis range (in axis units) that plotting can use: ordered, finite, not degenerate, padded by
/// `pad` of its span at each end. A single value is widened by 10 % of its size (half a decade on a
/// log axis); a non-finite input gives `(0, 1)`.
pub fn settle(lo: f64, hi: f64, pad: f64, scale: Scale) -> (f64, f64) {
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    let (mut lo, mut hi) = (lo.min(hi).max(-LIMIT), lo.max(hi).min(LIMIT));
    let mag = lo.abs().max(hi.abs());
    if hi - lo <= mag * 1e-9 || hi - lo < 1e-200 {
        let mid = lo / 2.0 + hi / 2.0;
        let half = match scale {
            Scale::Log => 0.5,
            Scale::Linear if mid != 0.0 => mid.abs() * 0.1,
            Scale::Linear => 1.0,
        }
        // Far from zero, a fixed half-width would vanish in rounding.
        .max(mid.abs() * 1e-6);
        lo = mid - half;
        hi = mid + half;
    }
    let pad = if pad.is_finite() {
        pad.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let span = hi - lo;
    ((lo - span * pad).max(-LIMIT), (hi + span * pad).min(LIMIT))
}

/// A caller's fixed range in data units, turned into axis units; `None` unless both ends can be
/// drawn and differ.
pub fn fixed_range(range: Option<(f64, f64)>, scale: Scale) -> Option<(f64, f64)> {
    let (a, b) = range?;
    let (a, b) = (to_axis(a, scale)?, to_axis(b, scale)?);
    let (lo, hi) = (a.min(b), a.max(b));
    (hi - lo > 1e-200 && (hi - lo).is_finite()).then_some((lo, hi))
}

/// A round step (1, 2 or 5 × 10^k) near `raw`.
fn nice_step(raw: f64) -> f64 {
    let base = 10f64.powf(raw.log10().floor());
    let f = raw / base;
    let m = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    m * base
}

/// About `target` round tick values inside `[lo, hi]` (steps of 1, 2 or 5 × 10^k).
pub fn nice_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    if !lo.is_finite() || !hi.is_finite() || hi <= lo {
        return Vec::new();
    }
    let step = nice_step((hi - lo) / target.max(1) as f64);
    if !step.is_finite() || step <= 0.0 {
        return Vec::new();
    }
    let first = (lo / step).ceil();
    let last = (hi / step).floor();
    let count = last - first;
    if !(0.0..=1000.0).contains(&count) {
        return Vec::new();
    }
    (0..=count as i64)
        .map(|k| {
            let v = (first + k as f64) * step;
            if v.abs() < step * 1e-9 { 0.0 } else { v }
        })
        .collect()
}

/// Tick positions (in log10 units) for a log axis over `[lo, hi]` (also log10 units): whole
/// decades when the range spans a few, else 1-2-5 values, else round values.
pub fn log_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    if !lo.is_finite() || !hi.is_finite() || hi <= lo {
        return Vec::new();
    }
    let target = target.max(2);
    let first = lo.ceil();
    let last = hi.floor();
    let decades = last - first + 1.0;
    if decades >= 3.0 {
        if decades > 1000.0 {
            return Vec::new();
        }
        let stride = (decades / target as f64).ceil().max(1.0);
        let mut out = Vec::new();
        let mut e = first;
        while e <= last {
            out.push(e);
            e += stride;
        }
        return out;
    }
    let mut candidates = Vec::new();
    for d in (lo.floor() as i64)..=(hi.ceil() as i64) {
        for m in [1.0, 2.0, 5.0] {
            let a = (m * 10f64.powi(d as i32)).log10();
            if a >= lo - 1e-12 && a <= hi + 1e-12 {
                candidates.push(a);
            }
        }
    }
    if candidates.len() >= 3 && candidates.len() <= target * 2 {
        return candidates;
    }
    nice_ticks(10f64.powf(lo), 10f64.powf(hi), target)
        .into_iter()
        .filter(|v| *v > 0.0)
        .map(f64::log10)
        .collect()
}

/// Tick positions for an axis range (in axis units).
pub fn ticks(lo: f64, hi: f64, target: usize, scale: Scale) -> Vec<f64> {
    match scale {
        Scale::Linear => nice_ticks(lo, hi, target),
        Scale::Log => log_ticks(lo, hi, target),
    }
}

/// A number as a short label: up to 4 significant digits, `k` for thousands, scientific notation
/// for very large or small values.
pub fn format_value(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 {
            "∞".into()
        } else {
            "−∞".into()
        };
    }
    if v == 0.0 {
        return "0".into();
    }
    let a = v.abs();
    if !(1e-3..1e6).contains(&a) {
        let s = format!("{v:.2e}");
        // "1.50e-4" → "1.5e-4", "2.00e6" → "2e6"
        return match s.split_once('e') {
            Some((m, e)) => format!("{}e{e}", trim_zeros(m)),
            None => s,
        };
    }
    if a >= 1e4 {
        return format!("{}k", trim_zeros(&format!("{:.1}", v / 1000.0)));
    }
    let decimals = (3 - a.log10().floor() as i32).clamp(0, 6) as usize;
    trim_zeros(&format!("{v:.decimals$}"))
}

/// A tick label: as many decimals as the tick spacing `step` needs.
pub fn format_tick(v: f64, step: f64) -> String {
    let a = v.abs();
    if v == 0.0 || !step.is_finite() || step <= 0.0 || !(1e-3..1e4).contains(&a) {
        return format_value(v);
    }
    let decimals = (-step.log10().floor()).clamp(0.0, 6.0) as usize;
    trim_zeros(&format!("{v:.decimals$}"))
}

/// The label of an axis position (axis units) given its neighbours' spacing.
pub fn axis_label(a: f64, step: f64, scale: Scale) -> String {
    match scale {
        Scale::Linear => format_tick(a, step),
        Scale::Log => format_value(from_axis(a, scale)),
    }
}

/// `"1.50"` → `"1.5"`, `"2.00"` → `"2"`; leaves integers alone.
fn trim_zeros(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

/// The smallest spacing between neighbouring ticks, or 1 if there are fewer than two.
pub fn tick_step(ticks: &[f64]) -> f64 {
    ticks
        .windows(2)
        .map(|w| (w[1] - w[0]).abs())
        .filter(|d| *d > 0.0 && d.is_finite())
        .fold(None, |acc: Option<f64>, d| {
            Some(acc.map_or(d, |a| a.min(d)))
        })
        .unwrap_or(1.0)
}

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

/// Where `v` lies between `lo` and `hi`, clamped to `[0, 1]`; 0.5 for a degenerate range.
pub fn unit(v: f64, lo: f64, hi: f64) -> f64 {
    if !v.is_finite() || !lo.is_finite() || !hi.is_finite() {
        return 0.0;
    }
    if hi <= lo {
        return 0.5;
    }
    ((v - lo) / (hi - lo)).clamp(0.0, 1.0)
}

/// Bin counts divided by their maximum (all zero if the maximum is zero).
pub fn normalised(bins: &[u32]) -> Vec<f64> {
    let max = bins.iter().copied().max().unwrap_or(0);
    if max == 0 {
        return vec![0.0; bins.len()];
    }
    bins.iter()
        .map(|b| f64::from(*b) / f64::from(max))
        .collect()
}

/// How to lay out an image grid.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GridLayout {
    /// Images per row.
    pub cols: usize,
    /// Rows of images.
    pub rows: usize,
    /// The side of each (square) image box, in pixels.
    pub size: f64,
}

/// The largest square image boxes for `n` images in a `width` × `height` area: each box has
/// `below` extra pixels under it (caption) plus `bars` times its size (a bar chart), and `gap`
/// pixels between neighbours. `size` is capped at `max_size`.
pub fn grid_layout(
    n: usize,
    width: f64,
    height: f64,
    below: f64,
    bars: f64,
    gap: f64,
    max_size: f64,
) -> GridLayout {
    let mut best = GridLayout {
        cols: 1,
        rows: n.max(1),
        size: 0.0,
    };
    if n == 0 || width.is_nan() || height.is_nan() || width <= 0.0 || height <= 0.0 {
        return best;
    }
    for cols in 1..=n {
        let rows = n.div_ceil(cols);
        let by_width = (width - gap * (cols as f64 - 1.0)) / cols as f64;
        let by_height = ((height - gap * (rows as f64 - 1.0)) / rows as f64 - below) / (1.0 + bars);
        let size = by_width.min(by_height).min(max_size).max(0.0);
        if size > best.size + 1e-9 {
            best = GridLayout { cols, rows, size };
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surface_levels_colour_every_finite_value_in_order() {
        // Positive values on log levels: plain log10, as an axis would.
        let positive = surface_levels(&[vec![0.01, 1.0, 100.0, 7.0]], 3, true);
        assert_eq!(positive, vec![vec![-2.0, 0.0, 2.0]]);
        assert_eq!(
            surface_levels(&[vec![-1.0, 2.0]], 2, false),
            vec![vec![-1.0, 2.0]]
        );
        // A saddle's values (below zero, zero, above) on log levels: all finite, order kept.
        let grid = [vec![-1.0, -0.5, 0.0], vec![0.25, 3.0, f64::NAN]];
        let levels = surface_levels(&grid, 3, true);
        let flat: Vec<f64> = levels.iter().flatten().copied().collect();
        assert!(flat[..5].iter().all(|a| a.is_finite()), "{flat:?}");
        assert!(flat[..5].windows(2).all(|w| w[0] < w[1]), "{flat:?}");
        assert!(flat[5].is_nan());
        // A flat surface at zero still gets a colour.
        assert!(
            surface_levels(&[vec![0.0, 0.0]], 2, true)[0]
                .iter()
                .all(|a| a.is_finite())
        );
    }

    #[test]
    fn axis_mapping_skips_what_cannot_be_drawn() {
        assert_eq!(to_axis(2.0, Scale::Linear), Some(2.0));
        assert_eq!(to_axis(f64::NAN, Scale::Linear), None);
        assert_eq!(to_axis(f64::INFINITY, Scale::Linear), None);
        assert_eq!(to_axis(100.0, Scale::Log), Some(2.0));
        assert_eq!(to_axis(0.0, Scale::Log), None);
        assert_eq!(to_axis(-1.0, Scale::Log), None);
        assert_eq!(to_axis(f64::MAX, Scale::Linear), Some(LIMIT));
        assert!(to_axis(f64::MIN_POSITIVE / 4.0, Scale::Log).is_some_and(f64::is_finite));
        assert!((from_axis(-2.0, Scale::Log) - 0.01).abs() < 1e-15);
    }

    #[test]
    fn extent_ignores_non_finite_values() {
        assert_eq!(extent([]), None);
        assert_eq!(extent([f64::NAN, f64::INFINITY]), None);
        assert_eq!(
            extent([3.0, f64::NAN, -1.0, f64::NEG_INFINITY, 2.0]),
            Some((-1.0, 3.0))
        );
    }

    #[test]
    fn settle_never_gives_a_degenerate_or_non_finite_range() {
        let cases = [
            (1.0, 1.0),
            (0.0, 0.0),
            (-5.0, -5.0),
            (1e-12, 1e-12),
            (3.0, 1.0),
            (f64::NAN, 1.0),
            (0.0, f64::INFINITY),
            (-f64::MAX, f64::MAX),
            (1e300, 1e300),
        ];
        for scale in [Scale::Linear, Scale::Log] {
            for (lo, hi) in cases {
                let (a, b) = settle(lo, hi, 0.05, scale);
                assert!(a.is_finite() && b.is_finite(), "{lo} {hi} → {a} {b}");
                assert!(b > a, "{lo} {hi} → {a} {b}");
                assert!((b - a).is_finite());
            }
        }
        assert_eq!(settle(0.0, 0.0, 0.0, Scale::Linear), (-1.0, 1.0));
        assert_eq!(settle(2.0, 2.0, 0.0, Scale::Log), (1.5, 2.5));
        assert_eq!(settle(0.0, 10.0, 0.1, Scale::Linear), (-1.0, 11.0));
    }

    #[test]
    fn fixed_ranges_must_be_drawable() {
        assert_eq!(fixed_range(None, Scale::Linear), None);
        assert_eq!(
            fixed_range(Some((2.0, 0.0)), Scale::Linear),
            Some((0.0, 2.0))
        );
        assert_eq!(fixed_range(Some((1.0, 1.0)), Scale::Linear), None);
        assert_eq!(fixed_range(Some((0.0, 10.0)), Scale::Log), None);
        assert_eq!(
            fixed_range(Some((0.1, 10.0)), Scale::Log),
            Some((-1.0, 1.0))
        );
        assert_eq!(fixed_range(Some((f64::NAN, 1.0)), Scale::Linear), None);
    }

    #[test]
    fn nice_ticks_are_round_and_inside() {
        assert_eq!(
            nice_ticks(0.0, 10.0, 5),
            vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
        );
        let t = nice_ticks(0.13, 0.87, 4);
        assert_eq!(t.len(), 4);
        assert!(t.iter().all(|v| (0.13..=0.87).contains(v)));
        assert_eq!(nice_ticks(-1.0, 1.0, 2), vec![-1.0, 0.0, 1.0]);
        assert!(nice_ticks(1.0, 1.0, 5).is_empty());
        assert!(nice_ticks(f64::NAN, 1.0, 5).is_empty());
        assert!(nice_ticks(0.0, 1.0, 0).len() >= 2);
    }

    #[test]
    fn log_ticks_pick_decades_or_one_two_five() {
        assert_eq!(log_ticks(-3.0, 1.0, 6), vec![-3.0, -2.0, -1.0, 0.0, 1.0]);
        assert_eq!(log_ticks(-10.0, 10.0, 5), vec![-10.0, -5.0, 0.0, 5.0, 10.0]);
        let t: Vec<f64> = log_ticks(0.0, 1.0, 6)
            .into_iter()
            .map(|a| from_axis(a, Scale::Log))
            .collect();
        for (got, want) in t.iter().zip([1.0, 2.0, 5.0, 10.0]) {
            assert!((got - want).abs() < 1e-9, "{t:?}");
        }
        // Less than a decade: round linear values.
        let t = log_ticks(0.4f64.log10(), 0.9f64.log10(), 5);
        assert!(t.len() >= 2, "{t:?}");
        assert!(t.iter().all(|a| a.is_finite()));
        assert!(log_ticks(f64::NAN, 1.0, 5).is_empty());
    }

    #[test]
    fn labels_are_short() {
        assert_eq!(format_value(0.0), "0");
        assert_eq!(format_value(2.5), "2.5");
        assert_eq!(format_value(0.123456), "0.1235");
        assert_eq!(format_value(1234.0), "1234");
        assert_eq!(format_value(15000.0), "15k");
        assert_eq!(format_value(1.5e-4), "1.5e-4");
        assert_eq!(format_value(2e6), "2e6");
        assert_eq!(format_value(f64::NAN), "NaN");
        assert_eq!(format_tick(0.30000000000000004, 0.1), "0.3");
        assert_eq!(format_tick(2.0, 0.5), "2");
        assert_eq!(format_tick(2.5, 0.5), "2.5");
        assert_eq!(axis_label(-2.0, 1.0, Scale::Log), "0.01");
        assert_eq!(tick_step(&[0.0, 0.5, 1.0]), 0.5);
        assert_eq!(tick_step(&[]), 1.0);
    }

    #[test]
    fn segments_split_at_undrawable_points() {
        let pts = [
            (0.0, 1.0),
            (1.0, 2.0),
            (2.0, f64::NAN),
            (3.0, 4.0),
            (4.0, f64::INFINITY),
            (5.0, 5.0),
            (6.0, 6.0),
            (f64::NAN, 1.0),
        ];
        let s = segments(&pts, Scale::Linear);
        assert_eq!(
            s,
            vec![
                vec![(0.0, 1.0), (1.0, 2.0)],
                vec![(3.0, 4.0)],
                vec![(5.0, 5.0), (6.0, 6.0)],
            ]
        );
        let s = segments(
            &[(0.0, 10.0), (1.0, 0.0), (2.0, 100.0), (3.0, -1.0)],
            Scale::Log,
        );
        assert_eq!(s, vec![vec![(0.0, 1.0)], vec![(2.0, 2.0)]]);
        assert!(segments(&[], Scale::Linear).is_empty());
        assert!(segments(&[(0.0, f64::NAN)], Scale::Linear).is_empty());
    }

    #[test]
    fn clipping_keeps_the_inside() {
        let r = (0.0, 1.0);
        assert_eq!(
            clip_polyline(&[(0.5, 0.5), (0.5, 2.0)], r, r),
            vec![vec![(0.5, 0.5), (0.5, 1.0)]]
        );
        // Out and back in: two pieces.
        let pieces = clip_polyline(&[(0.2, 0.5), (0.4, 3.0), (0.6, 0.5)], r, r);
        assert_eq!(pieces.len(), 2);
        assert!(pieces.iter().flatten().all(|p| p.1 <= 1.0 + 1e-12));
        assert!(clip_polyline(&[(2.0, 2.0), (3.0, 3.0)], r, r).is_empty());
        assert_eq!(clip_polyline(&[(0.5, 0.5)], r, r), vec![vec![(0.5, 0.5)]]);
        assert!(clip_polyline(&[(5.0, 0.5)], r, r).is_empty());
        // A continuous inside run stays one piece.
        assert_eq!(
            clip_polyline(&[(0.1, 0.1), (0.2, 0.2), (0.3, 0.3)], r, r),
            vec![vec![(0.1, 0.1), (0.2, 0.2), (0.3, 0.3)]]
        );
    }

    #[test]
    fn contours_cross_where_the_level_is() {
        // f(i, j) = i on a 3×3 grid: the level 0.5 is the vertical line i = 0.5.
        let grid = vec![vec![0.0, 1.0, 2.0]; 3];
        let segs = contour_segments(&grid, 0.5);
        assert_eq!(segs.len(), 2);
        for (p, q) in segs {
            assert!((p.0 - 0.5).abs() < 1e-12 && (q.0 - 0.5).abs() < 1e-12);
        }
        // Non-finite corners and tiny grids give nothing, never a panic.
        let bad = vec![vec![f64::NAN, 1.0], vec![0.0, 1.0]];
        assert!(contour_segments(&bad, 0.5).is_empty());
        assert!(contour_segments(&[vec![1.0]], 0.5).is_empty());
        assert!(contour_segments(&[], 0.5).is_empty());
        let ragged = vec![vec![0.0, 1.0, 2.0], vec![0.0, 1.0]];
        assert_eq!(contour_segments(&ragged, 0.5).len(), 1);
        // A saddle gives two pieces.
        let saddle = vec![vec![1.0, 0.0], vec![0.0, 1.0]];
        assert_eq!(contour_segments(&saddle, 0.5).len(), 2);
    }

    #[test]
    fn levels_units_and_bins() {
        assert_eq!(levels(0.0, 4.0, 3), vec![1.0, 2.0, 3.0]);
        assert!(levels(1.0, 1.0, 3).is_empty());
        assert_eq!(unit(5.0, 0.0, 10.0), 0.5);
        assert_eq!(unit(50.0, 0.0, 10.0), 1.0);
        assert_eq!(unit(f64::NAN, 0.0, 10.0), 0.0);
        assert_eq!(unit(1.0, 1.0, 1.0), 0.5);
        assert_eq!(normalised(&[1, 4, 2]), vec![0.25, 1.0, 0.5]);
        assert_eq!(normalised(&[0, 0]), vec![0.0, 0.0]);
        assert!(normalised(&[]).is_empty());
    }

    #[test]
    fn grid_layout_fills_the_area() {
        // 20 images in a wide strip: more columns than rows.
        let l = grid_layout(20, 1000.0, 300.0, 20.0, 0.0, 8.0, 200.0);
        assert!(l.cols * l.rows >= 20);
        assert!(l.cols > l.rows);
        let used_w = l.cols as f64 * l.size + (l.cols - 1) as f64 * 8.0;
        let used_h = l.rows as f64 * (l.size + 20.0) + (l.rows - 1) as f64 * 8.0;
        assert!(used_w <= 1000.0 + 1e-9 && used_h <= 300.0 + 1e-9);
        assert_eq!(
            grid_layout(1, 1000.0, 1000.0, 0.0, 0.0, 0.0, 96.0).size,
            96.0
        );
        assert_eq!(grid_layout(0, 100.0, 100.0, 0.0, 0.0, 0.0, 96.0).size, 0.0);
        assert_eq!(
            grid_layout(3, f64::NAN, 100.0, 0.0, 0.0, 0.0, 96.0).size,
            0.0
        );
    }
}
