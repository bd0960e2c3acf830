//! The interface's own words in each language: the shell's live in `book::ui`, shared with the
//! pages pre-rendered at build time, so both say the same; the widgets' in `widgets/words.rs`.

pub use book::ui::{Ui, other, ui, widget_name};
pub(crate) use book::words;
