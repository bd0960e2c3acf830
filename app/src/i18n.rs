//! The interface's own words in each language (lesson text comes from `content/`).

use book::{Language, WidgetKind};

/// Interface strings for one language.
pub struct Ui {
    pub book_title: &'static str,
    pub chapter: &'static str,
    pub contents: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub skip_to_content: &'static str,
    pub switch_language: &'static str,
    pub other_language_name: &'static str,
    pub to_dark: &'static str,
    pub to_light: &'static str,
    pub menu: &'static str,
    pub device_probing: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub go_to_start: &'static str,
}

const VI: Ui = Ui {
    book_title: "DL101 Live",
    chapter: "Chương 3 · Huấn luyện mạng nơ-ron sâu",
    contents: "Mục lục",
    previous: "Bài trước",
    next: "Bài tiếp",
    skip_to_content: "Đến nội dung chính",
    switch_language: "Read in English",
    other_language_name: "EN",
    to_dark: "Chuyển sang giao diện tối",
    to_light: "Chuyển sang giao diện sáng",
    menu: "Mục lục",
    device_probing: "Đang dò thiết bị…",
    not_found_title: "Không tìm thấy trang",
    not_found_body: "Đường dẫn này không khớp với bài học nào; có thể bài đã đổi tên.",
    go_to_start: "Về bài đầu tiên",
};

const EN: Ui = Ui {
    book_title: "DL101 Live",
    chapter: "Chapter 3 · Training Deep Neural Networks",
    contents: "Contents",
    previous: "Previous",
    next: "Next",
    skip_to_content: "Skip to content",
    switch_language: "Đọc bằng tiếng Việt",
    other_language_name: "VI",
    to_dark: "Switch to dark theme",
    to_light: "Switch to light theme",
    menu: "Contents",
    device_probing: "Probing device…",
    not_found_title: "Page not found",
    not_found_body: "This address matches no lesson; it may have been renamed.",
    go_to_start: "Go to the first lesson",
};

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
    let vi = language == Language::Vi;
    match kind {
        WidgetKind::SigmoidSaturation => {
            if vi {
                "Sigmoid bão hoà"
            } else {
                "Sigmoid saturation"
            }
        }
        WidgetKind::SignalPropagation => {
            if vi {
                "Lan truyền tín hiệu lúc khởi tạo"
            } else {
                "Signal propagation at initialization"
            }
        }
        WidgetKind::ActivationExplorer => {
            if vi {
                "Khám phá hàm kích hoạt"
            } else {
                "Activation explorer"
            }
        }
        WidgetKind::Normalization => {
            if vi {
                "Chuẩn hoá theo batch / theo tầng"
            } else {
                "Batch and layer normalization"
            }
        }
        WidgetKind::GradientClipping => {
            if vi {
                "Cắt gradient"
            } else {
                "Gradient clipping"
            }
        }
        WidgetKind::TransferLearning => {
            if vi {
                "Học chuyển giao A → B"
            } else {
                "Transfer learning A → B"
            }
        }
        WidgetKind::OptimizerRace => {
            if vi {
                "Cuộc đua optimizer"
            } else {
                "Optimizer race"
            }
        }
        WidgetKind::LossSurface => {
            if vi {
                "Đường đi trên mặt mất mát"
            } else {
                "Paths on a loss surface"
            }
        }
        WidgetKind::LrSchedules => {
            if vi {
                "Lịch tốc độ học"
            } else {
                "Learning-rate schedules"
            }
        }
        WidgetKind::Regularization => {
            if vi {
                "Chính quy hoá"
            } else {
                "Regularization"
            }
        }
        WidgetKind::McDropout => {
            if vi {
                "MC Dropout"
            } else {
                "MC dropout"
            }
        }
        WidgetKind::CifarPractice => {
            if vi {
                "Thực hành CIFAR-10"
            } else {
                "CIFAR-10 practice"
            }
        }
    }
}
