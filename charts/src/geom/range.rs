//! Axis ranges: data to axis units and back, extents, padded and fixed ranges, and values
//! mapped onto `[0, 1]`.

use super::LIMIT;
use crate::spec::Scale;

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
