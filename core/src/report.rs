//! The trainer's reports; the types live in `dl101-protocol` so the page can read them without Burn.

pub use dl101_protocol::report::{
    EpochReport, EvalReport, Event, History, ProbeRecord, StepReport,
};
