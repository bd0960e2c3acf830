//! The interface's own words in each language (lesson text comes from `content/`): the shell's
//! words, shared by the app and by the pages pre-rendered at build time, and the `words!` macro
//! that the app's widgets use for theirs.

use crate::{Language, WidgetKind};

/// Declares a struct of interface words with one `&'static str` per entry and its two
/// instances, `VI` and `EN`: each entry is written once, as `name: "Tiếng Việt" / "English"`.
/// The one translation mechanism of the page (the shell's words here, the widgets' in
/// the app's `widgets/words.rs`; setting labels come from the settings table).
#[macro_export]
macro_rules! words {
    ($(#[$meta:meta])* $name:ident { $($field:ident: $vi:literal / $en:literal,)+ }) => {
        $(#[$meta])*
        pub struct $name {
            /// Which language these are.
            pub language: $crate::Language,
            $(pub $field: &'static str,)+
        }
        const VI: $name = $name { language: $crate::Language::Vi, $($field: $vi,)+ };
        const EN: $name = $name { language: $crate::Language::En, $($field: $en,)+ };
    };
}

words!(
    /// The shell's interface words in one language.
    Ui {
        book_title: "DL101 Live" / "DL101 Live",
        chapter: "Chương 3 · Huấn luyện mạng nơ-ron sâu" / "Chapter 3 · Training Deep Neural Networks",
        contents: "Mục lục" / "Contents",
        previous: "Bài trước" / "Previous",
        next: "Bài tiếp" / "Next",
        skip_to_content: "Đến nội dung chính" / "Skip to content",
        switch_language: "Read in English" / "Đọc bằng tiếng Việt",
        other_language_name: "EN" / "VI",
        to_dark: "Chuyển sang giao diện tối" / "Switch to dark theme",
        to_light: "Chuyển sang giao diện sáng" / "Switch to light theme",
        menu: "Mục lục" / "Contents",
        device_probing: "Đang dò thiết bị…" / "Probing device…",
        not_found_title: "Không tìm thấy trang" / "Page not found",
        not_found_body: "Đường dẫn này không khớp với bài học nào; có thể bài đã đổi tên." / "This address matches no lesson; it may have been renamed.",
        go_to_start: "Về bài đầu tiên" / "Go to the first lesson",
        search: "Tìm kiếm" / "Search",
        search_placeholder: "Tìm trong bài học (/)" / "Search the lessons (/)",
        search_results: "Kết quả tìm kiếm" / "Search results",
        search_loading: "Đang tải chỉ mục tìm kiếm…" / "Loading the search index…",
        search_none: "Không có kết quả cho" / "Nothing matches",
        search_result: "kết quả" / "result",
        search_results_count: "kết quả" / "results",
        search_shown_before: "hiện" / "showing the first",
        search_shown_after: "kết quả đầu" / "",
        search_unreachable: "Không tải được chỉ mục tìm kiếm" / "The search index could not be downloaded",
        search_missing: "Không tìm thấy tệp chỉ mục tìm kiếm trên máy chủ" / "The search index is missing on the server",
        search_broken: "Tệp chỉ mục tìm kiếm bị hỏng" / "The search index file is damaged",
        search_retry: "Hãy đóng ô tìm kiếm rồi mở lại để thử lần nữa; bài học vẫn đọc được như thường." / "Close the search box and open it again to retry; the lessons still read as usual.",
        search_hint: "↑ ↓ chọn · Enter mở · Esc đóng" / "↑ ↓ choose · Enter open · Esc close",
        sigmoid_saturation: "Sigmoid bão hòa" / "Sigmoid saturation",
        signal_propagation: "Lan truyền tín hiệu lúc khởi tạo" / "Signal propagation at initialization",
        activation_explorer: "Khám phá hàm kích hoạt" / "Activation explorer",
        normalization: "Chuẩn hóa theo batch / theo tầng" / "Batch and layer normalization",
        gradient_clipping: "Cắt gradient" / "Gradient clipping",
        transfer_learning: "Học chuyển giao A → B" / "Transfer learning A → B",
        optimizer_race: "Cuộc đua optimizer" / "Optimizer race",
        loss_surface: "Đường đi trên mặt mất mát" / "Paths on a loss surface",
        lr_schedules: "Lịch tốc độ học" / "Learning-rate schedules",
        regularization: "Chính quy hóa" / "Regularization",
        mc_dropout: "MC Dropout" / "MC dropout",
        cifar_practice: "Thực hành CIFAR-10" / "CIFAR-10 practice",
        widget_waiting: "Phần tương tác này chạy khi trang tải xong (cần JavaScript và WebAssembly)." / "This interactive part runs once the page has loaded (it needs JavaScript and WebAssembly).",
        noscript_note: "JavaScript đang tắt: bài học vẫn đọc được, còn các phần tương tác cần JavaScript và WebAssembly." / "JavaScript is off: the lesson reads as it is; the interactive parts need JavaScript and WebAssembly.",
        book_loading: "Đang tải bài học…" / "Loading the lessons…",
        book_failed: "Không tải được bài học." / "The lessons did not load.",
        book_unreachable: "Mạng không tới được máy chủ; hãy kiểm tra kết nối rồi thử lại." / "The network did not reach the server; check the connection and try again.",
        book_status: "Máy chủ trả lời bằng mã lỗi HTTP" / "The server answered with HTTP error",
        book_corrupt: "Tệp bài học tải về bị hỏng." / "The downloaded lessons file is damaged.",
        book_no_address: "Trang này không ghi tệp bài học của nó." / "This page does not name its lessons file.",
        retry: "Thử lại" / "Retry",
        experiment_badge: "Thí nghiệm: đoán trước, rồi chạy" / "Experiment: predict, then run",
        experiment_explained: "Xem giải thích" / "Show the explanation",
        figure_title: "Lượt của chương: độ chính xác kiểm định theo epoch" / "The chapter's runs: validation accuracy per epoch",
        figure_caption: "Các lượt chạy của chương, do trình chạy gốc (dl101) huấn luyện trên toàn bộ dữ liệu; khi widget chạy, chúng hiện mờ dưới các lượt của bạn." / "The chapter's runs, trained by the native runner (dl101) on the full data; in the live widget they are drawn faded under yours.",
        epoch_axis: "epoch" / "epoch",
        accuracy_axis: "độ chính xác" / "accuracy",
    }
);

/// The interface strings of `language`.
pub fn ui(language: Language) -> &'static Ui {
    match language {
        Language::Vi => &VI,
        Language::En => &EN,
    }
}

/// The other language (the switch's target).
pub fn other(language: Language) -> Language {
    match language {
        Language::Vi => Language::En,
        Language::En => Language::Vi,
    }
}

/// A widget's display name.
pub fn widget_name(kind: WidgetKind, language: Language) -> &'static str {
    let w = ui(language);
    match kind {
        WidgetKind::SigmoidSaturation => w.sigmoid_saturation,
        WidgetKind::SignalPropagation => w.signal_propagation,
        WidgetKind::ActivationExplorer => w.activation_explorer,
        WidgetKind::Normalization => w.normalization,
        WidgetKind::GradientClipping => w.gradient_clipping,
        WidgetKind::TransferLearning => w.transfer_learning,
        WidgetKind::OptimizerRace => w.optimizer_race,
        WidgetKind::LossSurface => w.loss_surface,
        WidgetKind::LrSchedules => w.lr_schedules,
        WidgetKind::Regularization => w.regularization,
        WidgetKind::McDropout => w.mc_dropout,
        WidgetKind::CifarPractice => w.cifar_practice,
    }
}
