//! The chart geometry, case by case.

use super::*;
use crate::spec::Scale;

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
