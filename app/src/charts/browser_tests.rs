//! Every kind of chart drawn on a real canvas in headless Chromium, with awkward data: NaN and
//! infinite values, empty inputs, single points, log axes over non-positive values.

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::HtmlCanvasElement;

use super::*;

/// A canvas of `w` × `h` CSS pixels attached to the page.
fn canvas(w: u32, h: u32) -> HtmlCanvasElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    canvas
        .set_attribute("style", &format!("display:block;width:{w}px;height:{h}px"))
        .unwrap();
    document.body().unwrap().append_child(&canvas).unwrap();
    canvas
}

/// One spec per case worth drawing, with the number of points each should report.
fn cases() -> Vec<(ChartSpec, usize)> {
    let curve: Vec<(f64, f64)> = (0..200)
        .map(|i| (f64::from(i), 2.0 * (-f64::from(i) / 50.0).exp() + 0.05))
        .collect();
    let mut broken = curve.clone();
    broken[50].1 = f64::NAN;
    broken[120].1 = f64::INFINITY;
    let mut diverged_points = curve[..80].to_vec();
    diverged_points.push((80.0, f64::NAN));
    let diverged = Series::new("lr = 1", diverged_points)
        .color(2)
        .diverged_at(Some(80.0));
    let faded = Series::new(
        "earlier run",
        curve.iter().map(|p| (p.0, p.1 * 1.2)).collect(),
    )
    .faded();
    let dashed = Series::new("val", broken.clone()).color(1).dashed();
    let grid: Vec<Vec<f64>> = (0..40)
        .map(|j| {
            (0..50)
                .map(|i| {
                    let (x, y) = (f64::from(i) / 10.0 - 2.5, f64::from(j) / 10.0 - 2.0);
                    if i == 3 && j == 3 {
                        f64::NAN
                    } else {
                        x * x + 4.0 * y * y + 1e-3
                    }
                })
                .collect()
        })
        .collect();
    let image = |k: u8, channels: u8, correct: Option<bool>| ImageCell {
        width: 28,
        height: 28,
        channels,
        pixels: (0..28 * 28 * u32::from(channels))
            .map(|i| (i as u8).wrapping_mul(k))
            .collect(),
        caption: format!("class {k}"),
        bars: Some((
            vec![0.1, 0.7, f64::NAN, 0.2],
            vec![0.05, 0.2, 0.1, f64::INFINITY],
        )),
        correct,
    };
    vec![
        (ChartSpec::Empty("no data yet".into()), 0),
        (ChartSpec::default(), 0),
        (
            ChartSpec::Line(LineChart {
                title: "Loss".into(),
                x_label: "step".into(),
                y_label: "loss".into(),
                y_scale: Scale::Log,
                series: vec![faded, Series::new("train", broken), dashed, diverged],
                ..LineChart::default()
            }),
            200 + 198 + 198 + 80,
        ),
        (
            ChartSpec::Line(LineChart {
                series: vec![Series::new(
                    "only NaN",
                    vec![(0.0, f64::NAN), (1.0, f64::NAN)],
                )],
                ..LineChart::default()
            }),
            0,
        ),
        (
            ChartSpec::Line(LineChart {
                y_scale: Scale::Log,
                series: vec![Series::new("one", vec![(5.0, 0.0), (5.0, 3.0)])],
                y_range: Some((0.0, 10.0)),
                x_range: Some((f64::NAN, 1.0)),
                ..LineChart::default()
            }),
            1,
        ),
        (
            ChartSpec::Line(LineChart {
                series: vec![Series::new("clipped", curve.clone())],
                y_range: Some((0.5, 1.0)),
                x_range: Some((10.0, 60.0)),
                ..LineChart::default()
            }),
            200,
        ),
        (
            ChartSpec::Bars(BarChart {
                title: "‖g‖ per layer".into(),
                y_label: "norm".into(),
                y_scale: Scale::Log,
                labels: (1..=8).map(|i| format!("layer {i}")).collect(),
                values: vec![1e-3, 0.1, 10.0, 0.0, f64::NAN, 2.0, -1.0, f64::INFINITY],
                reference: Some((1.0, "clip".into())),
            }),
            4,
        ),
        (
            ChartSpec::Bars(BarChart {
                labels: vec!["a".into()],
                values: vec![],
                reference: Some((f64::NAN, String::new())),
                ..BarChart::default()
            }),
            0,
        ),
        (
            ChartSpec::Heatmap(Heatmap {
                title: "activations".into(),
                x_label: "step".into(),
                y_label: "layer".into(),
                row_labels: (1..=6).map(|i| format!("L{i}")).collect(),
                rows: (0..6)
                    .map(|r| (0..100).map(|c| f64::from(r * c) - 10.0).collect())
                    .chain(std::iter::once(vec![f64::NAN, f64::INFINITY]))
                    .collect(),
                log: true,
                x_range: (1.0, 1001.0),
            }),
            89 + 94 + 96 + 97 + 97,
        ),
        (ChartSpec::Heatmap(Heatmap::default()), 0),
        (
            ChartSpec::Histograms(Histograms {
                title: "weights".into(),
                lo: -1.0,
                hi: 1.0,
                rows: (0..5)
                    .map(|r| {
                        let bins = (0..30).map(|k| ((k * (r + 1)) % 17) as u32).collect();
                        (format!("layer {r}"), bins)
                    })
                    .chain(std::iter::once(("empty".into(), vec![0; 30])))
                    .collect(),
            }),
            180,
        ),
        (
            ChartSpec::Histograms(Histograms {
                lo: f64::NAN,
                hi: 1.0,
                rows: vec![("x".into(), vec![1])],
                ..Histograms::default()
            }),
            1,
        ),
        (
            ChartSpec::Surface(SurfacePlot {
                title: "loss surface".into(),
                x_range: (-2.5, 2.4),
                y_range: (-2.0, 1.9),
                grid,
                log_levels: true,
                paths: vec![
                    Series::new(
                        "SGD",
                        vec![(-2.0, 1.5), (-1.0, 0.5), (f64::NAN, 0.0), (0.0, 0.1)],
                    ),
                    Series::new("Adam", vec![(2.0, 1.5), (9.0, 9.0)]).color(1),
                ],
                minimum: Some((0.0, 0.0)),
            }),
            40 * 50 - 1 + 3 + 2,
        ),
        (
            ChartSpec::Surface(SurfacePlot {
                grid: vec![vec![1.0]],
                ..SurfacePlot::default()
            }),
            1,
        ),
        (
            ChartSpec::Images(ImageGrid {
                title: "predictions".into(),
                class_names: vec!["a".into(), "b".into(), "c".into(), "d".into()],
                cells: (0..20)
                    .map(|k| {
                        image(
                            k,
                            if k % 2 == 0 { 1 } else { 3 },
                            [None, Some(true), Some(false)][usize::from(k % 3)],
                        )
                    })
                    .chain(std::iter::once(ImageCell {
                        width: 28,
                        height: 28,
                        channels: 3,
                        pixels: vec![0; 10],
                        caption: "broken".into(),
                        ..ImageCell::default()
                    }))
                    .collect(),
            }),
            21,
        ),
    ]
}

#[wasm_bindgen_test]
fn every_kind_draws_with_awkward_data() {
    let target = canvas(640, 260);
    for (spec, points) in cases() {
        draw(&target, &spec).unwrap_or_else(|e| panic!("{}: {e}", spec.kind()));
        assert_eq!(
            target.get_attribute("data-kind").as_deref(),
            Some(spec.kind())
        );
        let want = points.to_string();
        assert_eq!(
            target.get_attribute("data-points").as_deref(),
            Some(want.as_str()),
            "{}",
            spec.kind()
        );
        let dpr = web_sys::window().unwrap().device_pixel_ratio();
        assert_eq!(target.width(), (640.0 * dpr).round() as u32);
        let url = png_data_url(&target).unwrap();
        assert!(url.len() > 1000, "{}", spec.kind());
    }
    target.remove();
}

#[wasm_bindgen_test]
fn tiny_and_hidden_canvases_are_safe() {
    let tiny = canvas(12, 8);
    let hidden = canvas(300, 100);
    hidden.set_attribute("style", "display:none").unwrap();
    for (spec, _) in cases() {
        draw(&tiny, &spec).unwrap_or_else(|e| panic!("{}: {e}", spec.kind()));
        draw(&hidden, &spec).unwrap_or_else(|e| panic!("{}: {e}", spec.kind()));
        assert_eq!(
            hidden.get_attribute("data-kind").as_deref(),
            Some(spec.kind())
        );
    }
    tiny.remove();
    hidden.remove();
}

#[wasm_bindgen_test]
async fn the_component_redraws_on_data_and_theme_changes() {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().dyn_into().unwrap();
    host.set_attribute("style", "width:500px").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let spec = RwSignal::new(ChartSpec::Empty("waiting".into()));
    let node = NodeRef::<leptos::html::Canvas>::new();
    let handle = leptos::mount::mount_to(host.clone(), move || {
        view! { <Chart spec=spec label="Loss curve" height=200 node_ref=node /> }
    });
    TimeoutFuture::new(50).await;
    let canvas = node.get_untracked().expect("the canvas is mounted");
    assert_eq!(canvas.get_attribute("role").as_deref(), Some("img"));
    assert_eq!(
        canvas.get_attribute("aria-label").as_deref(),
        Some("Loss curve")
    );
    assert_eq!(canvas.get_attribute("data-kind").as_deref(), Some("empty"));
    assert_eq!(canvas.client_height(), 200);
    spec.set(ChartSpec::Line(LineChart {
        title: "Loss".into(),
        series: vec![Series::new(
            "train",
            vec![(0.0, 1.0), (1.0, 0.5), (2.0, f64::NAN)],
        )],
        ..LineChart::default()
    }));
    TimeoutFuture::new(50).await;
    assert_eq!(canvas.get_attribute("data-kind").as_deref(), Some("line"));
    assert_eq!(canvas.get_attribute("data-points").as_deref(), Some("2"));
    let summary = host.text_content().unwrap_or_default();
    assert!(summary.contains("train: 0.5 @ 1"), "{summary}");
    // A theme switch redraws: mark the canvas and see the mark replaced.
    canvas.set_attribute("data-kind", "stale").unwrap();
    let root = document.document_element().unwrap();
    let before = root.get_attribute("data-theme");
    root.set_attribute(
        "data-theme",
        if before.as_deref() == Some("dark") {
            "light"
        } else {
            "dark"
        },
    )
    .unwrap();
    TimeoutFuture::new(50).await;
    assert_eq!(canvas.get_attribute("data-kind").as_deref(), Some("line"));
    match before {
        Some(theme) => root.set_attribute("data-theme", &theme).unwrap(),
        None => root.remove_attribute("data-theme").unwrap(),
    }
    // So does a resize.
    canvas.set_attribute("data-kind", "stale").unwrap();
    host.set_attribute("style", "width:320px").unwrap();
    TimeoutFuture::new(100).await;
    assert_eq!(canvas.get_attribute("data-kind").as_deref(), Some("line"));
    let dpr = web_sys::window().unwrap().device_pixel_ratio();
    assert_eq!(canvas.width(), (320.0 * dpr).round() as u32);
    assert!(png_data_url(&canvas).is_some());
    drop(handle);
    host.remove();
}
