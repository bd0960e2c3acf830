//! Charts on `<canvas>`, drawn with plotters: lines, bars, heatmaps, histogram ridgelines,
//! surfaces and image grids. Colours come from the page's CSS custom properties, so charts follow
//! the light and dark themes; drawing is at device resolution, so they stay crisp on HiDPI screens.
//!
//! Widgets describe a chart as a [`ChartSpec`] and show it with the [`Chart`] component, which
//! redraws on data, size and theme changes. NaN and infinite values never reach the plotting
//! ranges: lines break at them, and empty data draws a placeholder.

//!
//! The specs and the renderer live in the `dl101-charts` crate (which also writes them as SVG);
//! this module adds the canvas: its [`Target`](dl101_charts::Target), the image grid, the theme
//! read from CSS, and the component.

#[cfg(test)]
#[cfg(target_arch = "wasm32")]
mod browser_tests;
mod canvas;
mod images;

pub use dl101_charts::spec::{
    BarChart, ChartSpec, Heatmap, Histograms, ImageCell, ImageGrid, LineChart, Scale, Series,
    SurfacePlot,
};

use std::sync::atomic::{AtomicUsize, Ordering};

use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{HtmlCanvasElement, MediaQueryList, MutationObserver, ResizeObserver};

use canvas::{CanvasTarget, context_2d};
use dl101_charts::render::Painter;
use dl101_charts::style::Theme;

/// Draws `spec` on `canvas` at its current CSS size times `devicePixelRatio` (crisp on HiDPI),
/// then sets the canvas's `data-kind` ([`ChartSpec::kind`]) and `data-points`
/// ([`ChartSpec::finite_points`]). A canvas that is not laid out (zero size) is left blank.
pub fn draw(canvas: &HtmlCanvasElement, spec: &ChartSpec) -> Result<(), String> {
    let result = paint(canvas, spec);
    // Attributes are for tests and debugging; failing to set them changes nothing on screen.
    let _ = canvas.set_attribute("data-kind", spec.kind());
    let _ = canvas.set_attribute("data-points", &spec.finite_points().to_string());
    result
}

/// The canvas as a PNG data URL (for "export chart as PNG"); `None` if it is empty or tainted.
pub fn png_data_url(canvas: &HtmlCanvasElement) -> Option<String> {
    canvas
        .to_data_url_with_type("image/png")
        .ok()
        .filter(|url| url.starts_with("data:image/png"))
}

/// Device pixels per CSS pixel, within sane bounds.
fn device_pixel_ratio(window: &web_sys::Window) -> f64 {
    let dpr = window.device_pixel_ratio();
    if dpr.is_finite() && dpr > 0.0 {
        dpr.clamp(0.5, 4.0)
    } else {
        1.0
    }
}

/// The backing-store size `canvas` should have: its CSS size times the pixel ratio.
fn backing_size(canvas: &HtmlCanvasElement, dpr: f64) -> (u32, u32) {
    let rect = canvas.get_bounding_client_rect();
    let side = |css: f64| {
        if css.is_finite() && css > 0.0 {
            (css * dpr).round().min(16_384.0) as u32
        } else {
            0
        }
    };
    (side(rect.width()), side(rect.height()))
}

/// The theme from the computed style of `<html>`.
fn read_theme(window: &web_sys::Window) -> Theme {
    let computed = window
        .document()
        .and_then(|d| d.document_element())
        .and_then(|root| window.get_computed_style(&root).ok().flatten());
    Theme::from_lookup(|name| {
        computed
            .as_ref()?
            .get_property_value(name)
            .ok()
            .filter(|v| !v.trim().is_empty())
    })
}

/// Sizes the backing store, clears to the panel colour and draws.
fn paint(canvas: &HtmlCanvasElement, spec: &ChartSpec) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let dpr = device_pixel_ratio(&window);
    let (w, h) = backing_size(canvas, dpr);
    if w < 2 || h < 2 {
        return Ok(());
    }
    if canvas.width() != w {
        canvas.set_width(w);
    }
    if canvas.height() != h {
        canvas.set_height(h);
    }
    let theme = read_theme(&window);
    let ctx = context_2d(canvas)?;
    ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        .map_err(|_| "setTransform failed".to_string())?;
    ctx.clear_rect(0.0, 0.0, f64::from(w), f64::from(h));
    ctx.set_fill_style_str(&theme.panel.css(1.0));
    ctx.fill_rect(0.0, 0.0, f64::from(w), f64::from(h));
    let root = CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or("no 2D context")?
        .into_drawing_area();
    let painter = Painter {
        theme: &theme,
        dpr,
        target: CanvasTarget { ctx },
        root: root.clone(),
    };
    match spec {
        ChartSpec::Images(c) => images::images(&painter, &root, c),
        other => painter.draw(other),
    }?;
    root.present().map_err(|e| e.to_string())
}

/// Browser hooks that ask a chart to redraw: its canvas resized, `<html data-theme>` changed, or
/// the colour-scheme preference changed. Dropping it unhooks them.
struct Watchers {
    resize: Option<ResizeObserver>,
    theme: Option<MutationObserver>,
    scheme: Option<MediaQueryList>,
    on_resize: Closure<dyn FnMut()>,
    on_theme: Closure<dyn FnMut()>,
}

impl Watchers {
    /// Hooks `on_theme` to theme changes now; `on_resize` runs once [`Watchers::observe`] is given
    /// the canvas.
    fn new(on_resize: impl FnMut() + 'static, on_theme: impl FnMut() + 'static) -> Self {
        let on_resize = Closure::<dyn FnMut()>::new(on_resize);
        let on_theme = Closure::<dyn FnMut()>::new(on_theme);
        let window = web_sys::window();
        let resize = ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok();
        let theme = MutationObserver::new(on_theme.as_ref().unchecked_ref())
            .ok()
            .and_then(|observer| {
                let root = window.as_ref()?.document()?.document_element()?;
                let init = web_sys::MutationObserverInit::new();
                init.set_attributes(true);
                init.set_attribute_filter(&js_sys::Array::of1(&"data-theme".into()));
                observer.observe_with_options(&root, &init).ok()?;
                Some(observer)
            });
        let scheme = window
            .as_ref()
            .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
            .filter(|mql| {
                mql.add_event_listener_with_callback("change", on_theme.as_ref().unchecked_ref())
                    .is_ok()
            });
        Watchers {
            resize,
            theme,
            scheme,
            on_resize,
            on_theme,
        }
    }

    /// Starts watching the canvas's size (again observing the same canvas is harmless).
    fn observe(&self, canvas: &HtmlCanvasElement) {
        if let Some(resize) = &self.resize {
            resize.observe(canvas);
        }
    }
}

impl Drop for Watchers {
    fn drop(&mut self) {
        if let Some(resize) = &self.resize {
            resize.disconnect();
        }
        if let Some(theme) = &self.theme {
            theme.disconnect();
        }
        if let Some(mql) = &self.scheme {
            let _ = mql.remove_event_listener_with_callback(
                "change",
                self.on_theme.as_ref().unchecked_ref(),
            );
        }
        // The closures are freed with `self`, after everything that could call them is unhooked.
        let _ = &self.on_resize;
    }
}

/// Ids for the text summaries, unique on the page.
static NEXT_SUMMARY: AtomicUsize = AtomicUsize::new(0);

/// A chart: a `<canvas class="chart">` (`role="img"`, `aria-label` = `label`) filling its
/// container's width at `height` CSS pixels, plus a visually hidden text summary for screen
/// readers ([`ChartSpec::summary`]). Redraws when `spec` changes, when the canvas is resized, when
/// the theme changes (`<html data-theme>` or `prefers-color-scheme`) and once web fonts have
/// loaded. After each draw the canvas carries `data-kind` and `data-points` (see [`draw`]).
#[component]
pub fn Chart(
    /// What to draw.
    #[prop(into)]
    spec: Signal<ChartSpec>,
    /// The chart's accessible name.
    #[prop(into)]
    label: String,
    /// Height in CSS pixels.
    #[prop(default = 260)]
    height: u32,
    /// Receives the canvas, e.g. for [`png_data_url`].
    #[prop(optional)]
    node_ref: Option<NodeRef<leptos::html::Canvas>>,
) -> impl IntoView {
    let canvas_ref = node_ref.unwrap_or_default();
    let redraw = RwSignal::new(0u32);
    let bump = move || {
        let _ = redraw.try_update(|n| *n = n.wrapping_add(1));
    };
    let summary_id = format!(
        "chart-summary-{}",
        NEXT_SUMMARY.fetch_add(1, Ordering::Relaxed)
    );

    Effect::new(move |_| {
        redraw.track();
        let Some(canvas) = canvas_ref.get() else {
            return;
        };
        spec.with(|s| {
            if let Err(e) = draw(&canvas, s) {
                leptos::logging::warn!("chart: {e}");
            }
        });
    });

    // Resizes redraw only when the backing store no longer matches the CSS size; this also skips
    // the observer's first report, which the effect above already drew.
    let on_resize = move || {
        // `try_`: an observer may still report after the chart was unmounted.
        let Some(canvas) = canvas_ref.try_get_untracked().flatten() else {
            return;
        };
        let Some(window) = web_sys::window() else {
            return;
        };
        if backing_size(&canvas, device_pixel_ratio(&window)) != (canvas.width(), canvas.height()) {
            bump();
        }
    };
    let watchers = SendWrapper::new(std::rc::Rc::new(Watchers::new(on_resize, bump)));
    let observed = std::rc::Rc::clone(&watchers);
    Effect::new(move |_| {
        if let Some(canvas) = canvas_ref.get() {
            observed.observe(&canvas);
        }
    });
    on_cleanup(move || drop(watchers));

    // Text drawn before the web fonts arrive uses a fallback; redraw once they are in.
    if let Some(fonts) = web_sys::window()
        .and_then(|w| w.document())
        .map(|d| d.fonts())
        .and_then(|f| f.ready().ok())
    {
        wasm_bindgen_futures::spawn_local(async move {
            if wasm_bindgen_futures::JsFuture::from(fonts).await.is_ok() {
                bump();
            }
        });
    }

    view! {
        <div class="chart-box">
            <canvas
                class="chart"
                node_ref=canvas_ref
                role="img"
                aria-label=label
                aria-describedby=summary_id.clone()
                style=format!("display:block;width:100%;height:{height}px")
            ></canvas>
            <p class="chart-summary" id=summary_id>
                {move || spec.with(ChartSpec::summary)}
            </p>
        </div>
    }
}
