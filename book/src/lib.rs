//! The lesson pipeline of DL101 Live: typed lessons and widget specs, and (feature `render`) the
//! build-time compiler from `content/` Markdown with directives to HTML, MathML and widget blocks.
//!
//! The web app depends on this crate without `render`: it only sees [`Book`], [`Lesson`] and
//! [`WidgetSpec`], already checked and rendered when the app was built, and the search over the
//! index that `render` writes ([`search`], with the text folding both sides share, [`fold`]).

mod experiment;
pub mod fold;
pub mod search;
mod spec;
pub mod ui;
mod widget;

#[cfg(feature = "render")]
pub mod render;

pub use experiment::{Experiment, MAX_RUNS, Measure, Pick, TRANSFER_RUNS, Vary};
pub use spec::{Block, Book, Heading, Language, Lesson};
pub use widget::{ParamError, WidgetKind, WidgetSpec};
