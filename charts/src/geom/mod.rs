//! Pure chart geometry: axis ranges, ticks, number labels, line segments, clipping, contours and
//! layout. No browser types, so it is tested natively. Nothing here returns NaN or infinity.

mod contour;
mod layout;
mod lines;
mod range;
mod ticks;

pub use contour::*;
pub use layout::*;
pub use lines::*;
pub use range::*;
pub use ticks::*;

/// Values are clamped to ±`LIMIT` so that spans stay finite.
const LIMIT: f64 = 1e300;

#[cfg(test)]
mod tests;
