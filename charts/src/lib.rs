//! DL101 charts: what a chart shows ([`ChartSpec`] and its parts, plain data) and a plotters
//! renderer generic over the drawing backend. The app draws on `<canvas>` through its own
//! [`Target`]; [`svg`] draws the same charts natively into an SVG string for static figures.
//!
//! No web dependency of its own: on wasm32 only plotters reaches for the browser (for its font
//! metrics), as it does in the app.

pub mod geom;
pub mod render;
pub mod runs;
pub mod spec;
pub mod style;
mod svg;

pub use render::{Area, Painter, PixelRect, Target};
pub use spec::{
    BarChart, ChartSpec, Heatmap, Histograms, ImageCell, ImageGrid, LineChart, Scale, Series,
    SurfacePlot,
};
pub use style::{Rgb, Theme};
pub use svg::{SvgTarget, svg};
