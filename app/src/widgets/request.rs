//! Small questions to the worker (a schedule's curve, activation curves, a loss surface) whose
//! latest answer a widget draws.

use dl101_protocol::message::{FromWorker, Problem, ToWorker};
use leptos::prelude::*;

use crate::runtime::runtime;

/// Asks the worker a question whenever what `make` reads changes, and keeps the answer to the
/// latest question (older answers are dropped) and the failure, if the worker reports one.
pub(super) fn ask<T: Send + Sync + 'static>(
    make: impl Fn(u32) -> ToWorker + 'static,
    answer: impl Fn(&FromWorker, u32) -> Option<T> + 'static,
) -> (RwSignal<Option<T>>, RwSignal<Option<Problem>>) {
    let value = RwSignal::new(None);
    let error = RwSignal::new(None);
    let request = StoredValue::new(0u32);
    let listener = runtime().listen(move |message| {
        let Some(current) = request.try_get_value() else {
            return;
        };
        if let Some(found) = answer(message, current) {
            value.try_set(Some(found));
            error.try_set(None);
        } else if let FromWorker::Failed {
            request: Some(r),
            problem,
            ..
        } = message
            && *r == current
        {
            error.try_set(Some(problem.clone()));
        }
    });
    on_cleanup(move || runtime().unlisten(listener));
    Effect::new(move |_| {
        let rt = runtime();
        let id = rt.next_id();
        request.set_value(id);
        rt.send(&make(id));
    });
    (value, error)
}
