//! The workers themselves: starting one (the content-hashed loader), posting to it, closing idle
//! helpers, and what happens when one dies.

use dl101_protocol::device::{Backend, DeviceInfo};
use dl101_protocol::message::{FromWorker, Problem, ToWorker};
use dl101_protocol::pool::{self, Outcome};
use gloo_timers::callback::Timeout;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{ErrorEvent, MessageEvent, Worker};

use super::{HELPER_IDLE_MS, Runtime, WorkerState};
use crate::prefs;

/// The worker's loader script: the content-hashed name that `scripts/hash_worker.py` writes into
/// `<meta name="dl101-worker">`, or Trunk's own name where no build step renamed it.
pub(super) fn worker_script() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector(r#"meta[name="dl101-worker"]"#)
                .ok()
                .flatten()
        })
        .and_then(|meta| meta.get_attribute("content"))
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "worker_loader.js".to_string())
}

/// How many workers this page may train in (`dl101_protocol::pool::pool_size`): the reader's
/// `dl101.workers` in `localStorage` if set, else the browser's cores and memory.
pub(super) fn pool_size() -> usize {
    let navigator = web_sys::window().map(|w| w.navigator());
    let cores = navigator.as_ref().map(|n| n.hardware_concurrency());
    let memory = navigator.as_ref().and_then(|n| {
        js_sys::Reflect::get(n, &"deviceMemory".into())
            .ok()
            .and_then(|v| v.as_f64())
    });
    pool::pool_size(cores, memory, prefs::saved_workers())
}

/// One worker and what it has not been sent yet.
pub(super) struct Slot {
    pub(super) worker: Worker,
    /// Messages sent before the worker said `Loaded`.
    pub(super) queue: Vec<String>,
    pub(super) loaded: bool,
}

impl Runtime {
    /// Sends to worker `index`, starting it if needed; held until it has loaded.
    pub(super) fn post_to(&self, index: usize, message: &ToWorker) {
        let Ok(text) = serde_json::to_string(message) else {
            return;
        };
        if !self.ensure_worker(index) {
            return;
        }
        let mut slots = self.0.slots.borrow_mut();
        let Some(Some(slot)) = slots.get_mut(index) else {
            return;
        };
        if slot.loaded {
            let _ = slot.worker.post_message(&text.into());
        } else {
            slot.queue.push(text);
        }
    }

    pub(super) fn helpers_busy(&self) -> bool {
        self.0
            .splits
            .borrow()
            .iter()
            .any(|s| s.workers().any(|w| w > 0))
    }

    /// Closes the helpers [`HELPER_IDLE_MS`] after they last had nothing to do (checked again
    /// then: a helper with a part of a job stays).
    pub(super) fn schedule_idle(&self) {
        if self.0.idle.get()
            || self.helpers_busy()
            || self.0.slots.borrow().iter().skip(1).all(Option::is_none)
        {
            return;
        }
        self.0.idle.set(true);
        let me = self.clone();
        Timeout::new(HELPER_IDLE_MS, move || {
            me.0.idle.set(false);
            if me.helpers_busy() {
                return;
            }
            for slot in me.0.slots.borrow_mut().iter_mut().skip(1) {
                if let Some(slot) = slot.take() {
                    slot.worker.terminate();
                }
            }
        })
        .forget();
    }

    /// Starts worker `index` unless it runs; false if the browser refused.
    pub(super) fn ensure_worker(&self, index: usize) -> bool {
        if matches!(self.0.slots.borrow().get(index), Some(Some(_))) {
            return true;
        }
        if index == 0 {
            self.0.state.set(WorkerState::Starting);
        }
        let worker = match Worker::new(&worker_script()) {
            Ok(worker) => worker,
            Err(e) => {
                if index == 0 {
                    self.tell(&FromWorker::Failed {
                        job: None,
                        request: None,
                        problem: Problem::WorkerDidNotStart {
                            detail: format!("{e:?}"),
                        },
                    });
                }
                return false;
            }
        };
        let me = self.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let text = event.data().as_string().unwrap_or_default();
            match serde_json::from_str::<FromWorker>(&text) {
                Ok(message) => me.dispatch(index, message),
                Err(e) => web_sys::console::error_1(
                    &format!("unreadable message from the worker: {e}").into(),
                ),
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let me = self.clone();
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            event.prevent_default();
            me.crashed(index, event.message());
        });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        let mut slots = self.0.slots.borrow_mut();
        if slots.len() <= index {
            slots.resize_with(index + 1, || None);
        }
        slots[index] = Some(Slot {
            worker,
            queue: Vec::new(),
            loaded: false,
        });
        true
    }

    /// Worker `index` died. Its jobs fail, their other parts are stopped; worker 0 is started
    /// again on the CPU, and every active widget is told.
    pub(super) fn crashed(&self, index: usize, reason: String) {
        if let Some(Some(slot)) = self.0.slots.borrow_mut().get_mut(index).map(Option::take) {
            slot.worker.terminate();
        }
        let problem = Problem::WorkerStopped { detail: reason };
        let mut outcome = Outcome::default();
        for split in self.0.splits.borrow_mut().iter_mut() {
            if index == 0 {
                // Every widget hears it below, once.
                split.silence();
            }
            let failed = FromWorker::Failed {
                job: Some(split.job),
                request: None,
                problem: problem.clone(),
            };
            let lost = split.worker_lost(index, failed);
            outcome.send.extend(lost.send);
            outcome.emit.extend(lost.emit);
        }
        self.settle(outcome);
        if index != 0 {
            return;
        }
        let crashes = self.0.crashes.get() + 1;
        self.0.crashes.set(crashes);
        self.tell(&FromWorker::Failed {
            job: None,
            request: None,
            problem,
        });
        if crashes <= 3 {
            // A worker that died on WebGPU may die there again: its successor uses the CPU.
            let on_webgpu = matches!(
                self.0.state.get_untracked(),
                WorkerState::Ready(DeviceInfo {
                    backend: Backend::Webgpu,
                    ..
                })
            );
            if on_webgpu {
                self.0.prefer.set(Some(Backend::Cpu));
            }
            // Started now, as before: the badge follows, and its `Loaded` sends the Hello.
            self.ensure_worker(0);
        }
    }
}
