//! Charts drawn natively as SVG: structure, text, and awkward data that must not panic.

#![allow(clippy::unwrap_used)] // test scaffolding: a chart that fails to draw should panic loudly

use dl101_charts::{
    BarChart, ChartSpec, Heatmap, Histograms, ImageGrid, LineChart, Scale, Series, SurfacePlot,
    SvgTarget, Target, Theme, svg,
};

/// `spec` as SVG at 640 × 360 on the print theme.
fn draw(spec: &ChartSpec) -> String {
    svg(spec, 640, 360, &Theme::print()).unwrap()
}

/// How many times `needle` occurs in `hay`.
fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

/// The contents of the `<text>` elements, trimmed.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let body = &t[t.find('>')? + 1..t.find("</text>")?];
            Some(body.trim().to_string())
        })
        .collect()
}

/// The `<polyline>`s stroked in `color` (`#RRGGBB`).
fn polylines_in(svg: &str, color: &str) -> usize {
    svg.lines()
        .filter(|l| l.starts_with("<polyline") && l.contains(&format!("stroke=\"{color}\"")))
        .count()
}

/// Two series, the first broken in two by a NaN.
fn two_series() -> LineChart {
    let mut train: Vec<(f64, f64)> = (0..50)
        .map(|i| (f64::from(i), (-f64::from(i) / 20.0).exp()))
        .collect();
    train[25].1 = f64::NAN;
    let val: Vec<(f64, f64)> = (0..50)
        .map(|i| (f64::from(i), 1.2 * (-f64::from(i) / 25.0).exp()))
        .collect();
    LineChart {
        title: "Training loss".into(),
        x_label: "step".into(),
        y_label: "loss".into(),
        series: vec![
            Series::new("train", train),
            Series::new("val", val).color(1),
        ],
        ..LineChart::default()
    }
}

#[test]
fn a_line_chart_has_one_polyline_per_segment_and_its_text() {
    let out = draw(&ChartSpec::Line(two_series()));
    assert!(out.starts_with("<svg"), "{out}");
    assert!(out.trim_end().ends_with("</svg>"));
    let theme = Theme::print();
    let hex = |c: dl101_charts::Rgb| format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
    // "train" is broken in two by its NaN, "val" is whole; each also has one legend sample.
    assert_eq!(polylines_in(&out, &hex(theme.series(0))), 2 + 1);
    assert_eq!(polylines_in(&out, &hex(theme.series(1))), 1 + 1);
    let texts = texts(&out);
    for expected in ["Training loss", "step", "loss", "train", "val"] {
        assert!(
            texts.iter().any(|t| t == expected),
            "{expected} in {texts:?}"
        );
    }
    let numbers = texts.iter().filter(|t| t.parse::<f64>().is_ok()).count();
    assert!(numbers >= 6, "tick labels on both axes: {texts:?}");
    assert!(out.contains("font-family=\"system-ui, sans-serif\""));
    // Text has the canvas's sizes: the 14 px title is written as 14 px.
    assert!(out.contains("font-size=\"14\""), "{out}");
}

#[test]
fn the_legend_lists_live_runs_before_faded_ones() {
    // Nine faded reference runs drawn first fill the legend's ten rows; the two live runs drawn
    // after them still get theirs, and the faded ones are counted in "+N".
    let line = |k: f64| vec![(0.0, k), (1.0, k / 2.0)];
    let mut series: Vec<Series> = (0..9)
        .map(|i| Series {
            faded: true,
            ..Series::new(format!("ref {i}"), line(i as f64 + 1.0)).color(i)
        })
        .collect();
    series.push(Series::new("mine A", line(3.0)));
    series.push(Series::new("mine B", line(4.0)).color(1));
    let out = draw(&ChartSpec::Line(LineChart {
        series,
        ..LineChart::default()
    }));
    let texts = texts(&out);
    for expected in ["mine A", "mine B", "ref 0", "+2"] {
        assert!(
            texts.iter().any(|t| t == expected),
            "{expected} in {texts:?}"
        );
    }
    assert!(!texts.iter().any(|t| t == "ref 8"), "{texts:?}");
}

#[test]
fn an_empty_chart_shows_its_message() {
    let out = draw(&ChartSpec::Empty("no data yet".into()));
    assert!(out.contains("<svg"));
    assert_eq!(texts(&out), ["no data yet"]);
    assert!(!out.contains("<polyline"));
    // A long message wraps onto several lines.
    let long = "Press run to train the network and watch the loss fall step by step ".repeat(4);
    let out = svg(&ChartSpec::Empty(long), 240, 200, &Theme::print()).unwrap();
    assert!(texts(&out).len() > 2, "{out}");
}

#[test]
fn text_is_escaped() {
    let chart = LineChart {
        title: "a < b & \"c\"".into(),
        ..two_series()
    };
    let out = draw(&ChartSpec::Line(chart));
    assert!(out.contains("a &lt; b &amp; &quot;c&quot;"), "{out}");
}

/// Every kind with NaN, infinities, empty inputs, log axes over non-positive values.
fn awkward() -> Vec<ChartSpec> {
    let bad = vec![
        (0.0, f64::NAN),
        (f64::INFINITY, 1.0),
        (2.0, f64::NEG_INFINITY),
        (3.0, -1.0),
        (4.0, 0.0),
    ];
    let grid: Vec<Vec<f64>> = (0..12)
        .map(|j| {
            (0..15)
                .map(|i| match (i, j) {
                    (3, 3) => f64::NAN,
                    (4, 4) => f64::INFINITY,
                    _ => f64::from(i * i + j * j) + 1e-3,
                })
                .collect()
        })
        .collect();
    vec![
        ChartSpec::default(),
        ChartSpec::Line(LineChart::default()),
        ChartSpec::Line(LineChart {
            y_scale: Scale::Log,
            series: vec![
                Series::new("bad", bad.clone()).diverged_at(Some(f64::NAN)),
                Series::new("one", vec![(1.0, 1.0)]).dashed(),
                Series::new("gone", vec![(5.0, 2.0), (6.0, f64::NAN)]).diverged_at(Some(6.0)),
            ],
            x_range: Some((f64::NAN, f64::INFINITY)),
            y_range: Some((0.0, -1.0)),
            ..LineChart::default()
        }),
        ChartSpec::Bars(BarChart {
            labels: vec!["a".into(), "b".into(), "c".into()],
            values: vec![f64::NAN, f64::INFINITY, -2.0],
            reference: Some((f64::NAN, "ref".into())),
            y_scale: Scale::Log,
            ..BarChart::default()
        }),
        ChartSpec::Heatmap(Heatmap {
            rows: vec![vec![f64::NAN, 1.0], vec![f64::INFINITY], vec![]],
            log: true,
            ..Heatmap::default()
        }),
        ChartSpec::Heatmap(Heatmap::default()),
        ChartSpec::Histograms(Histograms {
            rows: vec![("w".into(), vec![0, 3, 1]), ("b".into(), vec![])],
            lo: f64::NAN,
            hi: f64::INFINITY,
            ..Histograms::default()
        }),
        ChartSpec::Histograms(Histograms::default()),
        ChartSpec::Surface(SurfacePlot {
            grid,
            x_range: (-2.0, 2.0),
            y_range: (f64::NAN, 1.0),
            paths: vec![Series::new("sgd", bad).diverged_at(Some(4.0))],
            minimum: Some((f64::NAN, 0.0)),
            log_levels: true,
            ..SurfacePlot::default()
        }),
        ChartSpec::Surface(SurfacePlot::default()),
    ]
}

#[test]
fn awkward_data_of_every_kind_draws_without_panicking() {
    for spec in awkward() {
        for (w, h) in [(640, 360), (2, 2), (40, 20)] {
            let out = svg(&spec, w, h, &Theme::print())
                .unwrap_or_else(|e| panic!("{} at {w}×{h}: {e}", spec.kind()));
            assert!(out.contains("<svg") && out.contains("</svg>"), "{out}");
        }
    }
}

#[test]
fn heatmap_cells_become_rectangles() {
    let rows: Vec<Vec<f64>> = (0..4)
        .map(|r| (0..6).map(|c| f64::from(r * 6 + c)).collect())
        .collect();
    let out = draw(&ChartSpec::Heatmap(Heatmap {
        rows,
        ..Heatmap::default()
    }));
    // 24 distinct cells, the background, and the colour bar's runs.
    assert!(count(&out, "<rect") > 24 + 1, "{out}");
}

#[test]
fn a_heatmap_numbers_its_columns_by_their_x_values() {
    let rows = vec![vec![1.0; 16]; 3];
    let steps = draw(&ChartSpec::Heatmap(Heatmap {
        rows: rows.clone(),
        x_range: (1000.0, 5000.0),
        ..Heatmap::default()
    }));
    let numbers = |svg: &str| -> Vec<f64> {
        texts(svg)
            .iter()
            .filter_map(|t| t.replace(',', "").parse::<f64>().ok())
            .collect()
    };
    let at = numbers(&steps);
    assert!(at.iter().any(|v| (2000.0..=4000.0).contains(v)), "{at:?}");
    let columns = draw(&ChartSpec::Heatmap(Heatmap {
        rows,
        ..Heatmap::default()
    }));
    let at = numbers(&columns);
    assert!(at.iter().all(|&v| v <= 16.0), "{at:?}");
}

#[test]
fn image_grids_and_tiny_sizes_are_refused() {
    let images = ChartSpec::Images(ImageGrid::default());
    assert!(svg(&images, 300, 200, &Theme::print()).is_err());
    let line = ChartSpec::Line(two_series());
    assert!(svg(&line, 0, 200, &Theme::print()).is_err());
    assert!(svg(&line, 300, 1, &Theme::print()).is_err());
}

#[test]
fn text_width_is_a_deterministic_estimate() {
    let t = SvgTarget::default();
    assert!((t.measure("abcd", "600 20px system-ui, sans-serif") - 4.0 * 0.62 * 20.0).abs() < 1e-9);
    assert!((t.measure("ab", "11px x") - 2.0 * 0.62 * 11.0).abs() < 1e-9);
    assert_eq!(t.measure("", "11px x"), 0.0);
    assert!((t.measure("ab", "no size") - 2.0 * 0.62 * 16.0).abs() < 1e-9);
}

#[test]
fn the_print_theme_is_light() {
    let t = Theme::print();
    assert!(!t.dark);
    assert_eq!(t.font, "system-ui, sans-serif");
}
