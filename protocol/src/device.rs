//! Where training runs: the backends, the WebGPU adapter the browser offers, and why the CPU is
//! used when it is. The page and the worker both read the adapter from the browser; the choice
//! they make from it is made here, once.

use serde::{Deserialize, Serialize};

use crate::settings::{DataSet, RunSettings};

/// A compute backend of the worker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Backend {
    /// Burn on WebGPU (wgpu).
    Webgpu,
    /// Burn's CPU backend compiled to WebAssembly.
    Cpu,
}

/// What the browser says of its WebGPU adapter (`GPUAdapter.info`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adapter {
    /// `GPUAdapterInfo.vendor`, e.g. "google", "nvidia".
    pub vendor: String,
    /// `GPUAdapterInfo.architecture`, e.g. "swiftshader", "ampere".
    pub architecture: String,
    /// `GPUAdapterInfo.description` (often empty).
    pub description: String,
    /// `GPUAdapterInfo.isFallbackAdapter` (Chrome ≥ 136): the browser's own word that the adapter
    /// is a software one.
    pub fallback: bool,
}

/// Software rasterizers that browsers hand out when there is no usable GPU: Chrome's SwiftShader,
/// Mesa's llvmpipe / lavapipe / softpipe, Windows' WARP ("Microsoft Basic Render Driver").
const SOFTWARE: [&str; 5] = [
    "swiftshader",
    "llvmpipe",
    "lavapipe",
    "softpipe",
    "microsoft basic render",
];

impl Adapter {
    /// "vendor architecture description" without the empty parts, e.g. "google swiftshader".
    pub fn name(&self) -> String {
        let name = [&self.vendor, &self.architecture, &self.description]
            .into_iter()
            .map(|part| part.trim())
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if name.is_empty() {
            "adapter".into()
        } else {
            name
        }
    }

    /// WebGPU emulated on the CPU: the browser says so, or the adapter is a known software one.
    /// Burn's own CPU backend is far faster than kernels run on such an adapter.
    pub fn is_software(&self) -> bool {
        let name = self.name().to_lowercase();
        self.fallback || SOFTWARE.iter().any(|known| name.contains(known))
    }
}

/// Why a job trains on the CPU. The page words it in the reader's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
pub enum CpuReason {
    /// The reader picked the CPU.
    ChosenByReader,
    /// The browser has no WebGPU (`navigator.gpu` is missing).
    NoWebgpu,
    /// The browser has WebGPU but offers no adapter.
    NoAdapter,
    /// The only adapter is a software one, slower than the CPU backend (WebGPU stays one click
    /// away in the widgets' device switch).
    SoftwareAdapter,
    /// WebGPU did not start.
    InitFailed {
        /// The browser's or Burn's words.
        detail: String,
    },
    /// A kernel failed or the device was lost while training; the job went on on the CPU.
    Lost {
        /// The browser's or Burn's words.
        detail: String,
    },
    /// Measured: the CPU trains this model faster than WebGPU on this adapter.
    Measured,
}

impl CpuReason {
    /// The reason's code, as it travels in JSON (`"software-adapter"`); tests read it from the page.
    pub fn code(&self) -> &'static str {
        match self {
            CpuReason::ChosenByReader => "chosen-by-reader",
            CpuReason::NoWebgpu => "no-webgpu",
            CpuReason::NoAdapter => "no-adapter",
            CpuReason::SoftwareAdapter => "software-adapter",
            CpuReason::InitFailed { .. } => "init-failed",
            CpuReason::Lost { .. } => "lost",
            CpuReason::Measured => "measured",
        }
    }

    /// A kernel failure or device loss, with Burn's multi-line error cut to its root cause
    /// ("Destroyed: Device was destroyed."), which is what fits in the badge's tooltip.
    pub fn lost(error: &str) -> CpuReason {
        CpuReason::Lost {
            detail: root_cause(error),
        }
    }
}

/// The innermost cause of an error report: the last line before any backtrace, ignoring the
/// "Caused by:" headings.
fn root_cause(error: &str) -> String {
    error
        .lines()
        .take_while(|line| !line.trim_start().starts_with("Backtrace"))
        .map(str::trim)
        .filter(|line| !line.is_empty() && *line != "Caused by:")
        .last()
        .unwrap_or(error)
        .to_string()
}

/// Where a job trains, given the reader's choice and the adapter the browser offers: the
/// reader's choice wins; without one, a hardware adapter means WebGPU and a software adapter
/// means the CPU. `Err` says why the CPU.
pub fn choose(
    prefer: Option<Backend>,
    adapter: Result<&Adapter, &CpuReason>,
) -> Result<(), CpuReason> {
    match (prefer, adapter) {
        (Some(Backend::Cpu), _) => Err(CpuReason::ChosenByReader),
        (_, Err(reason)) => Err(reason.clone()),
        (Some(Backend::Webgpu), Ok(_)) => Ok(()),
        (None, Ok(adapter)) if adapter.is_software() => Err(CpuReason::SoftwareAdapter),
        (None, Ok(_)) => Ok(()),
    }
}

/// Training speed of one model on each backend, in samples per second (a few steps of the
/// widget's own model on each, after a warm-up).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rates {
    /// On WebGPU.
    pub webgpu: f64,
    /// On the CPU backend.
    pub cpu: f64,
}

impl Rates {
    /// The faster backend (WebGPU on a tie).
    pub fn faster(&self) -> Backend {
        if self.cpu > self.webgpu {
            Backend::Cpu
        } else {
            Backend::Webgpu
        }
    }
}

/// A measurement, as the page keeps it: which adapter, which model size, how fast.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Measurement {
    /// [`Adapter::name`].
    pub adapter: String,
    /// [`model_key`] of the model measured.
    pub model: String,
    /// The rates.
    pub rates: Rates,
}

/// What decides which backend is faster for a job: the model's shape and the batch size, e.g.
/// "784-3x100-b32" (inputs, hidden layers × width, batch).
pub fn model_key(settings: &RunSettings) -> String {
    let inputs = match settings.data {
        DataSet::Fashion => 784,
        DataSet::Cifar10 => 3 * 32 * 32,
    };
    format!(
        "{inputs}-{}x{}-b{}",
        settings.depth, settings.width, settings.batch_size
    )
}

/// Whether the worker measures both backends before a job, given the reader's choice and the
/// adapter: by default on a hardware adapter (WebGPU is not always the faster for a small model),
/// and on any adapter when the reader asked for it (`asked`); never when the reader picked a
/// backend or there is no WebGPU.
pub fn measures(
    prefer: Option<Backend>,
    asked: bool,
    adapter: Result<&Adapter, &CpuReason>,
) -> bool {
    match (prefer, adapter) {
        (Some(_), _) | (None, Err(_)) => false,
        (None, Ok(adapter)) => asked || !adapter.is_software(),
    }
}

/// The device the worker trains on, and why it is not WebGPU when it is not.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeviceInfo {
    /// The backend in use.
    pub backend: Backend,
    /// The WebGPU adapter the browser offers, if any (also while training runs on the CPU).
    pub adapter: Option<Adapter>,
    /// Why training is not on WebGPU, when it is not.
    pub cpu_reason: Option<CpuReason>,
    /// Both backends' measured speed for the current job's model, when they were measured.
    #[serde(default)]
    pub rates: Option<Rates>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lost_device_is_told_by_its_root_cause() {
        let burn = "reading back from the device failed: The device is poisoned\nCaused by:\n  \
                    The device is poisoned\nCaused by:\n  Destroyed: Device was destroyed.\n\
                    Backtrace:\nNo backtrace available";
        assert_eq!(
            CpuReason::lost(burn),
            CpuReason::Lost {
                detail: "Destroyed: Device was destroyed.".into()
            }
        );
        assert_eq!(
            CpuReason::lost("one line"),
            CpuReason::Lost {
                detail: "one line".into()
            }
        );
    }

    fn adapter(vendor: &str, architecture: &str, fallback: bool) -> Adapter {
        Adapter {
            vendor: vendor.into(),
            architecture: architecture.into(),
            description: String::new(),
            fallback,
        }
    }

    #[test]
    fn software_adapters_are_recognised() {
        assert!(adapter("google", "swiftshader", false).is_software());
        assert!(adapter("mesa", "llvmpipe (LLVM 15.0.6, 256 bits)", false).is_software());
        assert!(
            adapter("", "", true).is_software(),
            "isFallbackAdapter alone decides"
        );
        assert!(
            Adapter {
                description: "Microsoft Basic Render Driver".into(),
                ..Adapter::default()
            }
            .is_software()
        );
        assert!(!adapter("nvidia", "ampere", false).is_software());
        assert!(!adapter("apple", "metal-3", false).is_software());
        assert!(!adapter("intel", "gen-12lp", false).is_software());
    }

    #[test]
    fn names_skip_empty_parts() {
        assert_eq!(
            adapter("google", "swiftshader", false).name(),
            "google swiftshader"
        );
        assert_eq!(adapter("", " ", false).name(), "adapter");
    }

    #[test]
    fn a_software_adapter_is_never_the_default_but_the_reader_may_pick_it() {
        let soft = adapter("google", "swiftshader", false);
        let real = adapter("nvidia", "ampere", false);
        assert_eq!(choose(None, Ok(&soft)), Err(CpuReason::SoftwareAdapter));
        assert_eq!(choose(Some(Backend::Webgpu), Ok(&soft)), Ok(()));
        assert_eq!(choose(None, Ok(&real)), Ok(()));
        assert_eq!(
            choose(Some(Backend::Cpu), Ok(&real)),
            Err(CpuReason::ChosenByReader)
        );
        assert_eq!(
            choose(Some(Backend::Webgpu), Err(&CpuReason::NoWebgpu)),
            Err(CpuReason::NoWebgpu)
        );
    }

    #[test]
    fn both_backends_are_measured_on_hardware_by_default_and_on_software_when_asked() {
        let soft = adapter("google", "swiftshader", false);
        let real = adapter("nvidia", "ampere", false);
        assert!(measures(None, false, Ok(&real)));
        assert!(!measures(None, false, Ok(&soft)));
        assert!(measures(None, true, Ok(&soft)));
        assert!(
            !measures(Some(Backend::Webgpu), true, Ok(&real)),
            "the reader's pick stands"
        );
        assert!(!measures(Some(Backend::Cpu), false, Ok(&real)));
        assert!(!measures(None, true, Err(&CpuReason::NoWebgpu)));
        let rates = Rates {
            webgpu: 10.0,
            cpu: 20.0,
        };
        assert_eq!(rates.faster(), Backend::Cpu);
        assert_eq!(
            Rates {
                webgpu: 20.0,
                cpu: 20.0
            }
            .faster(),
            Backend::Webgpu
        );
        let settings = RunSettings::default();
        assert_eq!(
            model_key(&settings),
            format!(
                "784-{}x{}-b{}",
                settings.depth, settings.width, settings.batch_size
            )
        );
    }

    #[test]
    fn reasons_travel_as_codes() {
        let every = [
            CpuReason::ChosenByReader,
            CpuReason::NoWebgpu,
            CpuReason::NoAdapter,
            CpuReason::SoftwareAdapter,
            CpuReason::InitFailed { detail: "x".into() },
            CpuReason::Lost { detail: "x".into() },
            CpuReason::Measured,
        ];
        for reason in every {
            let json = serde_json::to_value(&reason).unwrap();
            assert_eq!(json["code"], reason.code());
        }
        let json = serde_json::to_string(&CpuReason::SoftwareAdapter).unwrap();
        assert_eq!(json, r#"{"code":"software-adapter"}"#);
        let lost: CpuReason =
            serde_json::from_str(r#"{"code":"lost","detail":"device destroyed"}"#).unwrap();
        assert_eq!(
            lost,
            CpuReason::Lost {
                detail: "device destroyed".into()
            }
        );
    }
}
