//! The layout of an image grid.

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
