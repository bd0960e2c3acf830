//! Tick positions (round steps, decades on a log axis) and the number labels drawn at them.

use super::from_axis;
use crate::spec::Scale;

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
