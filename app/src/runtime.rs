//! The page's side of the training worker: starts its loader (built by Trunk from the `worker`
//! crate, named by content hash after the build) the first time a widget needs it, passes JSON messages both ways, and hands
//! each widget the messages of its own jobs and requests. If the worker dies (a panic, an
//! out-of-memory trap), a new one is started on the CPU and the widgets are told why.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use dl101_protocol::device::{Backend, DeviceInfo};
use dl101_protocol::message::{FromWorker, Problem, ToWorker};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{ErrorEvent, MessageEvent, Worker};

use crate::prefs;

/// The worker's loader script: the content-hashed name that `scripts/hash_worker.py` writes into
/// `<meta name="dl101-worker">`, or Trunk's own name where no build step renamed it.
fn worker_script() -> String {
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

/// What the device badge shows.
#[derive(Clone, Debug, PartialEq)]
pub enum WorkerState {
    /// Nothing asked for the worker yet (no widget used).
    Idle,
    /// The worker is loading or choosing its device.
    Starting,
    /// Training runs on this device.
    Ready(DeviceInfo),
}

type Listener = Rc<dyn Fn(&FromWorker)>;

struct Inner {
    worker: RefCell<Option<Worker>>,
    listeners: RefCell<Vec<(u32, Listener)>>,
    next_id: Cell<u32>,
    /// Reference-counted, not owned by whichever component first asked for the runtime (an
    /// arena signal would be disposed with that component).
    state: ArcRwSignal<WorkerState>,
    /// Messages sent before the worker said `Loaded`.
    queue: RefCell<Vec<String>>,
    loaded: Cell<bool>,
    prefer: Cell<Option<Backend>>,
    crashes: Cell<u32>,
}

/// A handle on the training worker, shared by every widget of the page.
#[derive(Clone)]
pub struct Runtime(Rc<Inner>);

thread_local! {
    static RUNTIME: RefCell<Option<Runtime>> = const { RefCell::new(None) };
}

/// The runtime of this page (created on first use; the worker itself starts on first `send`).
pub fn runtime() -> Runtime {
    RUNTIME.with(|cell| {
        cell.borrow_mut()
            .get_or_insert_with(|| {
                Runtime(Rc::new(Inner {
                    worker: RefCell::new(None),
                    listeners: RefCell::new(Vec::new()),
                    next_id: Cell::new(1),
                    state: ArcRwSignal::new(WorkerState::Idle),
                    queue: RefCell::new(Vec::new()),
                    loaded: Cell::new(false),
                    prefer: Cell::new(prefs::saved_backend()),
                    crashes: Cell::new(0),
                }))
            })
            .clone()
    })
}

impl Runtime {
    /// The badge's state.
    pub fn state(&self) -> ArcRwSignal<WorkerState> {
        self.0.state.clone()
    }

    /// A fresh id for a job or request (unique for this page load).
    pub fn next_id(&self) -> u32 {
        let id = self.0.next_id.get();
        self.0.next_id.set(id.wrapping_add(1));
        id
    }

    /// Calls `listener` with every message from the worker until the returned id is removed.
    pub fn listen(&self, listener: impl Fn(&FromWorker) + 'static) -> u32 {
        let id = self.next_id();
        self.0.listeners.borrow_mut().push((id, Rc::new(listener)));
        id
    }

    /// Stops calling a listener.
    pub fn unlisten(&self, id: u32) {
        self.0.listeners.borrow_mut().retain(|(i, _)| *i != id);
    }

    /// Sends a message, starting the worker if needed.
    pub fn send(&self, message: &ToWorker) {
        let Ok(text) = serde_json::to_string(message) else {
            return;
        };
        self.ensure_worker();
        if self.0.loaded.get() {
            self.post(&text);
        } else {
            self.0.queue.borrow_mut().push(text);
        }
    }

    /// Switches the backend (remembered for later visits); a running job restarts on it.
    pub fn choose_backend(&self, backend: Backend) {
        self.0.prefer.set(Some(backend));
        prefs::save_backend(backend);
        self.send(&ToWorker::Hello {
            prefer: Some(backend),
        });
    }

    fn post(&self, text: &str) {
        if let Some(worker) = self.0.worker.borrow().as_ref() {
            let _ = worker.post_message(&text.into());
        }
    }

    fn dispatch(&self, message: &FromWorker) {
        match message {
            FromWorker::Loaded => {
                self.0.loaded.set(true);
                let hello = ToWorker::Hello {
                    prefer: self.0.prefer.get(),
                };
                if let Ok(text) = serde_json::to_string(&hello) {
                    self.post(&text);
                }
                let queued: Vec<String> = self.0.queue.borrow_mut().drain(..).collect();
                for text in queued {
                    self.post(&text);
                }
            }
            FromWorker::Device(info) => self.0.state.set(WorkerState::Ready(info.clone())),
            _ => {}
        }
        // Listeners may add or remove listeners: call a snapshot.
        let listeners: Vec<Listener> = self
            .0
            .listeners
            .borrow()
            .iter()
            .map(|(_, l)| l.clone())
            .collect();
        for listener in listeners {
            listener(message);
        }
    }

    fn ensure_worker(&self) {
        if self.0.worker.borrow().is_some() {
            return;
        }
        self.0.state.set(WorkerState::Starting);
        self.0.loaded.set(false);
        let worker = match Worker::new(&worker_script()) {
            Ok(worker) => worker,
            Err(e) => {
                self.dispatch(&FromWorker::Failed {
                    job: None,
                    request: None,
                    problem: Problem::WorkerDidNotStart {
                        detail: format!("{e:?}"),
                    },
                });
                return;
            }
        };
        let me = self.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let text = event.data().as_string().unwrap_or_default();
            match serde_json::from_str::<FromWorker>(&text) {
                Ok(message) => me.dispatch(&message),
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
            me.crashed(event.message());
        });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        *self.0.worker.borrow_mut() = Some(worker);
    }

    /// The worker died: start a new one on the CPU and tell every widget.
    fn crashed(&self, reason: String) {
        if let Some(worker) = self.0.worker.borrow_mut().take() {
            worker.terminate();
        }
        let crashes = self.0.crashes.get() + 1;
        self.0.crashes.set(crashes);
        self.dispatch(&FromWorker::Failed {
            job: None,
            request: None,
            problem: Problem::WorkerStopped { detail: reason },
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
            self.ensure_worker();
        }
    }
}
