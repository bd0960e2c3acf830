//! The widgets' interface words, Vietnamese first.

use book::Language;

use crate::i18n::words;
use dl101_protocol::device::{Adapter, CpuReason};
use dl101_protocol::message::{DataProblem, Problem};
use dl101_protocol::settings::trim_float;

use super::fields::{Expected, Field, Invalid, Notice};

words!(
    /// The widgets' interface words in one language.
    Words {
    start: "Huấn luyện" / "Train",
    pause: "Tạm dừng" / "Pause",
    resume: "Tiếp tục" / "Resume",
    step: "Một bước" / "One step",
    reset: "Đặt lại" / "Reset",
    retry: "Thử lại" / "Retry",
    measure: "Đo ở lúc khởi tạo" / "Measure at init",
    predict: "Dự đoán" / "Predict",
    export_csv: "Tải CSV" / "Download CSV",
    export_png: "Tải PNG" / "Download PNG",
    clear_runs: "Xoá các lượt cũ" / "Clear earlier runs",
    idle: "Sẵn sàng" / "Ready",
    loading_data: "Đang tải dữ liệu" / "Loading data",
    from_cache: "từ bộ nhớ đệm" / "from the cache",
    building: "Đang dựng mô hình…" / "Building the model…",
    running: "Đang huấn luyện" / "Training",
    paused: "Đã tạm dừng" / "Paused",
    finished: "Xong" / "Done",
    stopped: "Đã dừng" / "Stopped",
    failed: "Lỗi" / "Error",
    diverged: "Phân kỳ: loss thành NaN ở bước" / "Diverged: the loss became NaN at step",
    epoch: "Epoch" / "Epoch",
    steps_per_second: "bước/giây" / "steps/s",
    samples_per_second: "mẫu/giây" / "samples/s",
    eta: "còn lại" / "left",
    test_accuracy: "Độ chính xác trên tập test" / "Test accuracy",
    loss_chart: "Hàm mất mát khi huấn luyện" / "Training loss",
    accuracy_chart: "Độ chính xác (liền: kiểm định, nét đứt: huấn luyện)" / "Accuracy (solid: valid, dashed: train)",
    valid_run: "{run} · kiểm định" / "{run} · valid",
    train_run: "{run} · huấn luyện" / "{run} · train",
    output_layer: "ra" / "out",
    grad_bars: "Chuẩn gradient theo tầng (lần đo gần nhất)" / "Gradient norm per layer (latest probe)",
    grad_bars_clipped: "Chuẩn gradient theo tầng sau khi cắt (lần đo gần nhất)" / "Gradient norm per layer after clipping (latest probe)",
    grad_heatmap: "Chuẩn gradient: tầng × thời gian (log)" / "Gradient norm: layer × time (log)",
    act_histograms: "Phân phối kích hoạt theo tầng" / "Activation distribution per layer",
    weight_histograms: "Phân phối trọng số theo tầng" / "Weight distribution per layer",
    lr_chart: "Tốc độ học theo bước" / "Learning rate per step",
    lr_preview: "Lịch tốc độ học (xem trước, chưa huấn luyện)" / "Schedule preview (before training)",
    clip_chart: "Chuẩn gradient toàn cục trước khi cắt" / "Global gradient norm before clipping",
    threshold: "ngưỡng" / "threshold",
    step_axis: "bước" / "step",
    epoch_axis: "epoch" / "epoch",
    layer_axis: "tầng" / "layer",
    loss_axis: "loss" / "loss",
    accuracy_axis: "độ chính xác" / "accuracy",
    no_data: "Chưa có dữ liệu: bấm Huấn luyện" / "No data yet: press Train",
    earlier: "lượt trước" / "earlier",
    full_data: "Toàn bộ dữ liệu" / "Full data",
    url_notice: "Bỏ qua thiết lập không hợp lệ trong địa chỉ" / "Ignored invalid settings in the address",
    url_bad_value: "{key}: “{text}” không phải {expected}" / "{key}: “{text}” is not {expected}",
    url_unknown: "{key}: không phải thiết lập của widget này" / "{key}: not a setting of this widget",
    expect_whole: "số nguyên từ {min} đến {max}" / "a whole number from {min} to {max}",
    expect_number: "số từ {min} đến {max}" / "a number from {min} to {max}",
    expect_zero_or: "0 hoặc {range}" / "0 or {range}",
    expect_one_of: "một trong: {list}" / "one of: {list}",
    expect_switch: "true hoặc false" / "true or false",
    uncached_notice: "Bộ nhớ của trình duyệt đã đầy nên dữ liệu không được lưu lại; lần sau sẽ tải lại" / "The browser's storage is full, so the data was not kept; it will download again next time",
    files: "tệp" / "files",
    storage_notice: "Bỏ qua các lượt đã lưu bị hỏng" / "Ignored corrupted saved runs",
    device_switch: "Thiết bị tính toán" / "Compute device",
    cpu: "CPU" / "CPU",
    problem_data: "Không tải được dữ liệu:" / "The data could not be loaded:",
    data_no_manifest: "trang này được dựng mà thiếu dữ liệu (data/manifest.json: HTTP {status}); hãy chạy scripts/setup.sh rồi dựng lại" / "this site was built without its data (data/manifest.json: HTTP {status}); run scripts/setup.sh and build again",
    data_browser: "trình duyệt báo lỗi ({detail})" / "the browser reported an error ({detail})",
    data_unreachable: "{file}: không kết nối được ({detail})" / "{file}: could not be reached ({detail})",
    data_http: "{file}: máy chủ trả về HTTP {status}" / "{file}: the server answered HTTP {status}",
    data_incomplete: "{file}: tải về chưa trọn ({got} trên {expected} byte)" / "{file}: arrived incomplete ({got} of {expected} bytes)",
    data_corrupt: "{file}: hỏng, mã SHA-256 không khớp với danh mục" / "{file}: corrupt, its SHA-256 differs from the manifest",
    data_unreadable: "{file}: không đọc được ({detail})" / "{file}: could not be read ({detail})",
    problem_settings: "Thiết lập không hợp lệ:" / "Invalid settings:",
    problem_training: "Huấn luyện gặp lỗi:" / "Training failed:",
    problem_protocol: "Worker không hiểu thông điệp của trang:" / "The worker did not understand the page:",
    problem_not_trained: "Hãy huấn luyện mô hình trước." / "Train the model first.",
    problem_no_worker: "Không khởi động được worker huấn luyện:" / "The training worker could not start:",
    problem_worker_stopped: "Worker huấn luyện đã dừng đột ngột; một worker mới đã khởi động, bấm Thử lại để chạy lại" / "The training worker stopped; a new one has started, press Retry to run again",
    webgpu_software: "WebGPU (phần mềm, chậm hơn)" / "WebGPU (software, slower)",
    device_chosen: "do bạn chọn" / "your choice",
    device_no_webgpu: "trình duyệt này không có WebGPU" / "this browser has no WebGPU",
    device_no_adapter: "trình duyệt không cấp bộ xử lý WebGPU nào" / "the browser offers no WebGPU adapter",
    device_no_webgpu_short: "không có WebGPU" / "no WebGPU",
    device_software: "WebGPU ở đây là {adapter} (giả lập bằng phần mềm), CPU nhanh hơn" / "WebGPU here is {adapter} (software), the CPU is faster",
    device_software_short: "nhanh hơn WebGPU phần mềm" / "faster than software WebGPU",
    device_init_failed: "WebGPU không khởi động được ({detail})" / "WebGPU could not start ({detail})",
    device_lost: "WebGPU gặp lỗi khi huấn luyện ({detail}), đã chuyển sang CPU" / "WebGPU failed while training ({detail}), moved to the CPU",
    device_failed_short: "WebGPU gặp lỗi" / "WebGPU failed",
    device_measured: "đã đo trên mô hình này: CPU huấn luyện nhanh hơn WebGPU ({adapter})" / "measured on this model: the CPU trains it faster than WebGPU ({adapter})",
    device_measured_short: "nhanh hơn ở đây (đã đo)" / "faster here (measured)",
    device_measure: "Đo xem bên nào nhanh hơn" / "Measure which is faster",
    workers_parallel: "worker song song" / "workers in parallel",
    runs_table: "Kết quả các lượt" / "Results of the runs",
    run: "Lượt" / "Run",
    settings: "Thiết lập" / "Settings",
    valid_accuracy: "Độ chính xác kiểm định" / "Validation accuracy",
    samples: "Số lần lấy mẫu" / "Samples",
    images: "Số ảnh" / "Images",
    surface_chart: "Đường đi của các bộ tối ưu trên mặt loss" / "Optimizer paths on the loss surface",
    steps: "Số bước" / "Steps",
    surface_momentum: "Quán tính μ (momentum, nesterov)" / "Momentum μ (momentum, nesterov)",
    optimizers: "Bộ tối ưu" / "Optimizers",
    surface: "Mặt loss" / "Surface",
    curves_chart: "Hàm kích hoạt (liền) và đạo hàm (nét đứt)" / "Activation (solid) and its derivative (dashed)",
    sigmoid_chart: "σ(z) và σ′(z)" / "σ(z) and σ′(z)",
    product_chart: "Tích lớn nhất của σ′ qua L tầng: 0,25^L (log)" / "Largest product of σ′ through L layers: 0.25^L (log)",
    vanishing: "Qua {L} tầng, gradient nhân với tối đa" / "Through {L} layers the gradient is multiplied by at most",
    freeze_epochs: "Số epoch đóng băng" / "Frozen epochs",
    transfer_a: "Mô hình A (8 lớp)" / "Model A (8 classes)",
    transfer_reuse: "B dùng lại các tầng của A" / "B reusing A's layers",
    transfer_scratch: "B từ đầu" / "B from scratch",
    cifar_step: "Bước của bài thực hành" / "Practice step",
    mc_chart: "Xác suất lớp: trung bình ± độ lệch chuẩn qua các lần dropout" / "Class probabilities: mean ± std over dropout samples",
    }
);

impl Words {
    /// A problem the worker or the page reported, in these words; technical details as they are.
    pub fn problem(&self, problem: &Problem) -> String {
        match problem {
            Problem::Data { problem } => {
                format!("{} {}", self.problem_data, self.data_problem(problem))
            }
            Problem::Settings { invalid } => {
                format!("{} {}", self.problem_settings, self.invalid(invalid))
            }
            Problem::Training { detail } => format!("{} {detail}", self.problem_training),
            Problem::Protocol { detail } => format!("{} {detail}", self.problem_protocol),
            Problem::NotTrained => self.problem_not_trained.to_string(),
            Problem::WorkerDidNotStart { detail } => format!("{} {detail}", self.problem_no_worker),
            Problem::WorkerStopped { detail } => {
                format!("{} ({detail})", self.problem_worker_stopped)
            }
        }
    }
}

impl Words {
    /// Why a setting in the address was ignored, in these words.
    pub fn url_problem(&self, notice: &Notice) -> String {
        match notice {
            Notice::BadValue {
                key,
                text,
                expected,
            } => {
                let expected = match *expected {
                    Expected::WholeNumber { min, max } => self
                        .expect_whole
                        .replace("{min}", &min.to_string())
                        .replace("{max}", &max.to_string()),
                    Expected::Number { min, max, zero } => {
                        let range = self
                            .expect_number
                            .replace("{min}", &trim_float(min))
                            .replace("{max}", &trim_float(max));
                        if zero {
                            self.expect_zero_or.replace("{range}", &range)
                        } else {
                            range
                        }
                    }
                    Expected::OneOf(names) => {
                        self.expect_one_of.replace("{list}", &names.join(", "))
                    }
                    Expected::Switch => self.expect_switch.into(),
                };
                self.url_bad_value
                    .replace("{key}", key)
                    .replace("{text}", text)
                    .replace("{expected}", &expected)
            }
            Notice::Unknown { key } => self.url_unknown.replace("{key}", key),
        }
    }

    /// Why the data could not be loaded, in these words.
    pub fn data_problem(&self, problem: &DataProblem) -> String {
        let (template, file) = match problem {
            DataProblem::NoManifest { status } => {
                return self
                    .data_no_manifest
                    .replace("{status}", &status.to_string());
            }
            DataProblem::Unreachable { file, detail } if file.is_empty() => {
                return self.data_browser.replace("{detail}", detail);
            }
            DataProblem::Unreachable { file, detail } => {
                (self.data_unreachable.replace("{detail}", detail), file)
            }
            DataProblem::Http { file, status } => (
                self.data_http.replace("{status}", &status.to_string()),
                file,
            ),
            DataProblem::Incomplete {
                file,
                got,
                expected,
            } => (
                self.data_incomplete
                    .replace("{got}", &got.to_string())
                    .replace("{expected}", &expected.to_string()),
                file,
            ),
            DataProblem::Corrupt { file } => (self.data_corrupt.to_string(), file),
            DataProblem::Unreadable { file, detail } => {
                (self.data_unreadable.replace("{detail}", detail), file)
            }
        };
        template.replace("{file}", file)
    }

    /// A value a setting refused (a stored run, the worker's check), in these words.
    pub fn invalid(&self, invalid: &Invalid) -> String {
        self.url_problem(&Notice::from(invalid.clone()))
    }

    /// A setting's label in these words.
    pub fn label(&self, field: Field) -> &'static str {
        let label = field.label();
        match self.language {
            Language::Vi => label.vi,
            Language::En => label.en,
        }
    }

    /// Why the CPU, in a sentence (the badge's tooltip); `adapter` names the WebGPU adapter offered.
    pub fn cpu_reason(&self, reason: &CpuReason, adapter: Option<&Adapter>) -> String {
        let adapter = adapter.map_or_else(|| "WebGPU".into(), Adapter::name);
        match reason {
            CpuReason::ChosenByReader => self.device_chosen.into(),
            CpuReason::NoWebgpu => self.device_no_webgpu.into(),
            CpuReason::NoAdapter => self.device_no_adapter.into(),
            CpuReason::SoftwareAdapter => self.device_software.replace("{adapter}", &adapter),
            CpuReason::InitFailed { detail } => self.device_init_failed.replace("{detail}", detail),
            CpuReason::Lost { detail } => self.device_lost.replace("{detail}", detail),
            CpuReason::Measured => self.device_measured.replace("{adapter}", &adapter),
        }
    }

    /// Why the CPU, in a few words (the badge itself).
    pub fn cpu_reason_short(&self, reason: &CpuReason) -> &'static str {
        match reason {
            CpuReason::ChosenByReader => self.device_chosen,
            CpuReason::NoWebgpu | CpuReason::NoAdapter => self.device_no_webgpu_short,
            CpuReason::SoftwareAdapter => self.device_software_short,
            CpuReason::InitFailed { .. } | CpuReason::Lost { .. } => self.device_failed_short,
            CpuReason::Measured => self.device_measured_short,
        }
    }
}

/// The widgets' words in `language`.
pub fn words(language: Language) -> &'static Words {
    match language {
        Language::Vi => &VI,
        Language::En => &EN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::widgets::fields::{Field, from_query};
    use dl101_protocol::settings::RunSettings;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// Words of the English notices that must never reach a Vietnamese page.
    const ENGLISH: [&str; 8] = [
        " is not",
        "number",
        "not a setting",
        "one of",
        "must be",
        "whole",
        "from ",
        " to ",
    ];

    #[test]
    fn address_notices_are_worded_in_the_readers_language() {
        let query: Vec<(String, String)> = [
            ("optimizer-race.lr", "-1"),
            ("optimizer-race.batch", "9999"),
            ("optimizer-race.colour", "red"),
            ("optimizer-race.full", "maybe"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let fields = [Field::Lr, Field::BatchSize, Field::FullData];
        let (_, notices) = from_query("optimizer-race", &fields, &RunSettings::default(), &query);
        assert_eq!(notices.len(), 4, "{notices:?}");
        let vi: Vec<String> = notices
            .iter()
            .map(|n| words(Language::Vi).url_problem(n))
            .collect();
        let en: Vec<String> = notices
            .iter()
            .map(|n| words(Language::En).url_problem(n))
            .collect();
        assert_eq!(vi[0], "lr: “-1” không phải số từ 1e-5 đến 1");
        assert_eq!(en[0], "lr: “-1” is not a number from 1e-5 to 1");
        for text in &vi {
            for word in ENGLISH {
                assert!(!text.contains(word), "English {word:?} in {text:?}");
            }
        }
        assert!(en[2].contains("not a setting"), "{en:?}");
    }

    #[test]
    fn broken_rules_are_worded_in_both_languages() {
        let bad = RunSettings {
            depth: 0,
            ..RunSettings::default()
        };
        let invalid = bad.check().expect_err("depth 0 is refused");
        assert_eq!(
            words(Language::Vi).invalid(&invalid),
            "depth: “0” không phải số nguyên từ 1 đến 100"
        );
        // The English words are the runner's English (`Invalid`'s Display), for every kind of
        // range a field has.
        for field in [
            Field::Depth,
            Field::Lr,
            Field::L2,
            Field::Optimizer,
            Field::Shuffle,
        ] {
            let invalid = Invalid::new(field, "x");
            assert_eq!(
                words(Language::En)
                    .invalid(&invalid)
                    .replace(['“', '”'], "\""),
                invalid.to_string(),
                "{field:?}"
            );
        }
    }

    #[test]
    fn every_field_has_a_label_in_each_language() {
        for &field in Field::ALL {
            let (vi, en) = (
                words(Language::Vi).label(field),
                words(Language::En).label(field),
            );
            assert!(!vi.is_empty() && !en.is_empty(), "{field:?}");
        }
        assert_eq!(
            words(Language::Vi).label(Field::Shuffle),
            "Xáo trộn lại mỗi epoch"
        );
    }

    #[test]
    fn data_problems_are_worded_in_the_readers_language() {
        let file = || "data/fashion/train-images-00.gz".to_string();
        let problems = [
            DataProblem::NoManifest { status: 404 },
            DataProblem::Unreachable {
                file: file(),
                detail: "x".into(),
            },
            DataProblem::Http {
                file: file(),
                status: 503,
            },
            DataProblem::Incomplete {
                file: file(),
                got: 1,
                expected: 2,
            },
            DataProblem::Corrupt { file: file() },
            DataProblem::Unreadable {
                file: file(),
                detail: "x".into(),
            },
        ];
        for problem in &problems {
            let vi = words(Language::Vi).data_problem(problem);
            for word in [
                "could not",
                "the server",
                "arrived",
                "corrupt",
                "built without",
            ] {
                assert!(!vi.contains(word), "English {word:?} in {vi:?}");
            }
        }
        assert_eq!(
            words(Language::Vi).data_problem(&problems[2]),
            "data/fashion/train-images-00.gz: máy chủ trả về HTTP 503"
        );
        assert_eq!(
            words(Language::En).data_problem(&problems[4]),
            "data/fashion/train-images-00.gz: corrupt, its SHA-256 differs from the manifest"
        );
    }
}
