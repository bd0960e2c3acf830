//! Guided experiments: the reader ticks the runs they expect to meet the question's condition,
//! one button sets the widget up and trains, and the runs' own numbers decide, shown beside the
//! chapter's. What is measured in each run is [`measure`]; which runs answer is
//! [`book::Pick::chosen`].

use book::{Experiment, Language, Measure, Pick, TRANSFER_RUNS, WidgetKind};
use dl101_protocol::settings::{DataSize, RunSettings};
use leptos::prelude::*;

use super::labels::run_labels;
use super::session::Trace;
use super::views::Faded;
use super::words::words;

crate::i18n::words!(
    /// The words of a guided experiment.
    ExperimentWords {
    predict: "Dự đoán của bạn (đánh dấu các lượt bạn nghĩ sẽ thỏa điều kiện, rồi chạy):" / "Your prediction (tick the runs you expect to meet it, then run):",
    run_train: "Đặt thông số và huấn luyện" / "Set up and train",
    run_show: "Đặt thông số và tính" / "Set up and compute",
    running: "Đang chạy các lượt của thí nghiệm…" / "Running the experiment's runs…",
    choice: "Lượt" / "Run",
    yours: "Lượt của bạn" / "Your run",
    chapter: "Trong chương" / "The chapter",
    met: "Thỏa?" / "Meets it?",
    guess: "Bạn đoán" / "You guessed",
    yes: "có" / "yes",
    no: "không" / "no",
    none: "không lượt nào" / "none",
    met_line: "Thỏa điều kiện ({condition}):" / "Meeting the condition ({condition}):",
    score_all: "Bạn đoán đúng cả {total} lượt." / "You called all {total} runs right.",
    score: "Bạn đoán đúng {right} trên {total} lượt." / "You called {right} of {total} runs right.",
    no_guess: "Bạn chưa đánh dấu lượt nào: kết quả vẫn ở đây để so." / "You ticked no run: the result is here to compare anyway.",
    conditions: "Lượt của bạn: {images} ảnh huấn luyện ({size}), {epochs} epoch, hạt giống {seed}." / "Your run: {images} training images ({size}), {epochs} epochs, seed {seed}.",
    quick: "tập con nhanh" / "the quick subset",
    full: "toàn bộ" / "the full split",
    differs: "Số của chương đến từ lượt chạy của chương (thường là toàn bộ dữ liệu và nhiều epoch hơn), nên số của bạn có thể lệch; điều đáng so là thứ tự và xu hướng." / "The chapter's numbers come from its own runs (usually full data and more epochs), so yours can differ; compare the order and the trend.",
    below: "{measure} dưới {value}" / "{measure} below {value}",
    diverges: "lượt bị phân kỳ (loss thành NaN)" / "the run diverges (the loss becomes NaN)",
    converges: "lượt không phân kỳ" / "the run does not diverge",
    above: "{measure} trên {value}" / "{measure} above {value}",
    highest: "{measure} cao nhất" / "the highest {measure}",
    lowest: "{measure} thấp nhất" / "the lowest {measure}",
    test_accuracy: "độ chính xác test" / "test accuracy",
    valid_accuracy: "độ chính xác kiểm định" / "validation accuracy",
    train_loss: "loss huấn luyện (epoch cuối)" / "training loss (last epoch)",
    diverged: "phân kỳ (1 = có)" / "diverged (1 = yes)",
    overfit_gap: "khoảng cách huấn luyện − kiểm định" / "train − validation gap",
    grad_ratio: "tỉ số gradient tầng đầu / tầng ra" / "first-layer / output-layer gradient ratio",
    gradient_bound: "cận trên của gradient 0,25^L" / "gradient bound 0.25^L",
    surface_loss: "f ở cuối đường đi" / "f at the end of the path",
    why: "Vì sao" / "Why",
    chapter_run: "{run} · chương" / "{run} · chapter",
    step_run: "bước {step}" / "step {step}",
    switch_on: "bật" / "on",
    switch_off: "tắt" / "off",
    references_note: "Nét mờ: các lượt của chương ({images} ảnh, {epochs} epoch, do trình chạy gốc huấn luyện), để so với lượt của bạn." / "Faded: the chapter's runs ({images} images, {epochs} epochs, trained by the native runner), to compare with yours.",
    }
);

/// The experiment words in `language`.
pub fn experiment_words(language: Language) -> &'static ExperimentWords {
    match language {
        Language::Vi => &VI,
        Language::En => &EN,
    }
}

impl ExperimentWords {
    fn measure(&self, measure: Measure) -> &'static str {
        match measure {
            Measure::TestAccuracy => self.test_accuracy,
            Measure::ValidAccuracy => self.valid_accuracy,
            Measure::TrainLoss => self.train_loss,
            Measure::Diverged => self.diverged,
            Measure::OverfitGap => self.overfit_gap,
            Measure::GradRatio => self.grad_ratio,
            Measure::GradientBound => self.gradient_bound,
            Measure::SurfaceLoss => self.surface_loss,
        }
    }

    /// The condition in words: "test accuracy below 50 %".
    pub fn condition(&self, measure: Measure, pick: Pick) -> String {
        let name = self.measure(measure);
        let value = |v: f64| format_value(self.language, measure, Some(v));
        match (measure, pick) {
            (Measure::Diverged, Pick::Above(_) | Pick::Highest) => return self.diverges.into(),
            (Measure::Diverged, Pick::Below(_) | Pick::Lowest) => return self.converges.into(),
            _ => {}
        }
        match pick {
            Pick::Below(v) => self
                .below
                .replace("{measure}", name)
                .replace("{value}", &value(v)),
            Pick::Above(v) => self
                .above
                .replace("{measure}", name)
                .replace("{value}", &value(v)),
            Pick::Highest => self.highest.replace("{measure}", name),
            Pick::Lowest => self.lowest.replace("{measure}", name),
        }
    }

    /// "Your run: 5,000 training images (the quick subset), 2 epochs, seed 42."
    pub fn conditions(&self, settings: &RunSettings) -> String {
        let images = settings.size.train_images(settings.data);
        let size = match settings.size {
            DataSize::Quick => self.quick,
            DataSize::Full => self.full,
        };
        self.conditions
            .replace("{images}", &group_thousands(self.language, images))
            .replace("{size}", size)
            .replace("{epochs}", &settings.epochs.to_string())
            .replace("{seed}", &settings.seed.to_string())
    }
}

/// The chapter's reference runs of the first experiment that has them, faded in the widget's
/// learning curves, each in the colour of its choice; and the note that says what they are.
pub fn reference_runs(
    language: Language,
    experiments: &[Experiment],
) -> (Vec<Faded>, Option<String>) {
    let w = experiment_words(language);
    let Some(experiment) = experiments
        .iter()
        .find(|e| e.references.iter().any(Option::is_some))
    else {
        return (Vec::new(), None);
    };
    let runs: Vec<Faded> = run_labels(language, experiment)
        .iter()
        .zip(&experiment.references)
        .enumerate()
        .filter_map(|(i, (run, reference))| {
            let r = reference.as_ref()?;
            Some(Faded {
                label: w.chapter_run.replace("{run}", run),
                epochs: r.epochs.clone(),
                color: i,
            })
        })
        .collect();
    let note = experiment.references.iter().flatten().next().map(|r| {
        w.references_note
            .replace("{images}", &group_thousands(language, r.train_images))
            .replace("{epochs}", &r.epochs.len().to_string())
    });
    (runs, note)
}

/// 55000 → "55.000" (vi) or "55,000" (en).
pub(super) fn group_thousands(language: Language, n: usize) -> String {
    let separator = match language {
        Language::Vi => '.',
        Language::En => ',',
    };
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// A measured value as the reader reads it: percentages for fractions, yes/no for divergence.
pub fn format_value(language: Language, measure: Measure, value: Option<f64>) -> String {
    let w = experiment_words(language);
    let Some(v) = value else {
        return "–".into();
    };
    let text = match measure {
        _ if v.is_infinite() => "∞".into(),
        _ if v.is_nan() => "NaN".into(),
        m if m.is_fraction() => format!("{:.1} %", v * 100.0),
        Measure::Diverged => return (if v >= 0.5 { w.yes } else { w.no }).into(),
        Measure::GradRatio | Measure::GradientBound => {
            if v != 0.0 && !(1e-2..1e3).contains(&v.abs()) {
                format!("{v:.1e}")
            } else {
                format!("{v:.3}")
            }
        }
        // Losses: three decimals, far-off values (a path that flew off, the floor) in powers of ten.
        _ if v != 0.0 && !(1e-3..1e4).contains(&v.abs()) => dl101_charts::geom::format_value(v),
        _ => format!("{v:.3}"),
    };
    match language {
        Language::Vi => text.replace('.', ","),
        Language::En => text,
    }
}

/// What `measure` reads from one finished run.
pub fn measure_trace(measure: Measure, trace: &Trace) -> Option<f64> {
    let last = trace.epochs.last();
    match measure {
        Measure::TestAccuracy => trace.test.map(|t| t.accuracy),
        Measure::ValidAccuracy => last.and_then(|e| e.valid).map(|v| v.accuracy),
        Measure::TrainLoss if trace.diverged_at.is_some() => Some(f64::INFINITY),
        Measure::TrainLoss => last.map(|e| e.train_loss),
        Measure::Diverged => Some(if trace.diverged_at.is_some() {
            1.0
        } else {
            0.0
        }),
        Measure::OverfitGap => last.and_then(|e| e.valid.map(|v| e.train_accuracy - v.accuracy)),
        Measure::GradRatio => {
            let probe = trace.probes.first()?;
            let first = probe.layers.first()?.grad_norm;
            let output = probe.layers.last()?.grad_norm;
            (output > 0.0).then(|| first / output)
        }
        Measure::GradientBound | Measure::SurfaceLoss => None,
    }
}

/// One value per choice of `experiment`, read from a finished job's traces (the transfer job's
/// first run trains task A; its choices are the two task-B runs after it).
pub fn measure_traces(experiment: &Experiment, traces: &[Trace]) -> Vec<Option<f64>> {
    let runs = match experiment.widget {
        WidgetKind::TransferLearning => traces.get(1..).unwrap_or_default(),
        _ => traces,
    };
    (0..experiment.choices().len())
        .map(|i| {
            runs.get(i)
                .and_then(|trace| measure_trace(experiment.measure, trace))
        })
        .collect()
}

/// A guided experiment under its widget: the question, the reader's prediction, the button, and
/// once `outcome` has one value per choice, the comparison with the chapter and the explanation.
#[component]
pub fn ExperimentCard(
    experiment: Experiment,
    index: usize,
    language: Language,
    /// Sets the widget to the experiment's settings and runs it.
    run: Callback<()>,
    /// One value per choice once the experiment's runs have ended.
    outcome: Signal<Option<Vec<Option<f64>>>>,
    /// The experiment's runs are going.
    running: Signal<bool>,
    /// "Your run: …" (training widgets).
    conditions: Signal<Option<String>>,
) -> impl IntoView {
    let w = experiment_words(language);
    let choices = match experiment.widget {
        WidgetKind::TransferLearning => {
            let words = words(language);
            vec![
                format!("{} ({})", TRANSFER_RUNS[0], words.transfer_reuse),
                format!("{} ({})", TRANSFER_RUNS[1], words.transfer_scratch),
            ]
        }
        _ => experiment.choices(),
    };
    let n = choices.len();
    let guessed = RwSignal::new(vec![false; n]);
    let measure = experiment.measure;
    let pick = experiment.pick;
    let chapter = experiment.chapter.clone();
    let has_chapter = chapter.iter().any(Option::is_some);
    let condition = w.condition(measure, pick);
    let trains = experiment.widget.trains();
    let state = move || {
        if outcome.with(Option::is_some) {
            "done"
        } else if running.get() {
            "running"
        } else {
            "ask"
        }
    };
    let id = format!("experiment-{}-{index}", experiment.widget.name());
    let choice_list = choices
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let input_id = format!("{id}-choice-{i}");
            let label_for = input_id.clone();
            view! {
                <label class="experiment-choice" for=label_for>
                    <input type="checkbox" id=input_id data-choice=i
                        prop:checked=move || guessed.with(|g| g[i])
                        disabled=move || running.get()
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            guessed.update(|g| g[i] = on);
                        } />
                    {label.clone()}
                </label>
            }
        })
        .collect_view();
    let result_choices = choices.clone();
    let result = move || {
        let values = outcome.get()?;
        let met = pick.chosen(&values);
        let guesses = guessed.get();
        let right = met.iter().zip(&guesses).filter(|(m, g)| m == g).count();
        let met_names: Vec<String> = result_choices
            .iter()
            .zip(&met)
            .filter(|(_, m)| **m)
            .map(|(c, _)| c.clone())
            .collect();
        let met_text = if met_names.is_empty() {
            w.none.to_string()
        } else {
            met_names.join(", ")
        };
        let score = if !guesses.iter().any(|g| *g) {
            w.no_guess.to_string()
        } else if right == n {
            w.score_all.replace("{total}", &n.to_string())
        } else {
            w.score
                .replace("{right}", &right.to_string())
                .replace("{total}", &n.to_string())
        };
        let yes_no = |b: bool| if b { w.yes } else { w.no };
        let met_codes = met
            .iter()
            .map(|m| m.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let rows = result_choices
            .iter()
            .enumerate()
            .map(|(i, label)| {
                let value = values.get(i).copied().flatten();
                let is_met = met.get(i).copied().unwrap_or(false);
                let guess = guesses.get(i).copied().unwrap_or(false);
                let chapter_cell = has_chapter.then(|| {
                    view! { <td>{format_value(language, measure, chapter.get(i).copied().flatten())}</td> }
                });
                view! {
                    <tr data-run=i data-met=is_met.to_string() class:called-right=guess == is_met>
                        <th scope="row">{label.clone()}</th>
                        <td data-value=value.map_or(String::new(), |v| v.to_string())>{format_value(language, measure, value)}</td>
                        {chapter_cell}
                        <td>{yes_no(is_met)}</td>
                        <td>{if guess == is_met { "✓ " } else { "✗ " }}{yes_no(guess)}</td>
                    </tr>
                }
            })
            .collect_view();
        let chapter_head = has_chapter.then(|| view! { <th scope="col">{w.chapter}</th> });
        Some(view! {
            <p class="experiment-met" data-met=met_codes>
                <strong>{w.met_line.replace("{condition}", &condition)}</strong>" "{met_text}
            </p>
            <table class="experiment-table">
                <thead><tr>
                    <th scope="col">{w.choice}</th><th scope="col">{w.yours}</th>{chapter_head}
                    <th scope="col">{w.met}</th><th scope="col">{w.guess}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <p class="experiment-score" role="status">{score}</p>
        })
    };
    let conditions_line = move || {
        outcome.with(Option::is_some).then(|| {
            conditions.get().map(|text| {
                let differs = has_chapter.then_some(w.differs);
                view! { <p class="experiment-conditions">{text}" "{differs}</p> }
            })
        })
    };
    let answer = experiment.answer.clone();
    view! {
        <div class="experiment" id=id data-experiment=index data-state=state>
            <p class="experiment-badge">{crate::i18n::ui(language).experiment_badge}</p>
            <div class="experiment-question" inner_html=experiment.question.clone()></div>
            <fieldset class="experiment-choices">
                <legend>{w.predict}</legend>
                {choice_list}
            </fieldset>
            <button class="btn primary" data-action="experiment" disabled=move || running.get()
                on:click=move |_| run.run(())>
                {if trains { w.run_train } else { w.run_show }}
            </button>
            {move || running.get().then(|| view! { <p class="experiment-running" role="status">{w.running}</p> })}
            {result}
            {conditions_line}
            {move || outcome.with(Option::is_some).then(|| view! {
                <div class="experiment-answer">
                    <p class="experiment-why">{w.why}</p>
                    <div inner_html=answer.clone()></div>
                </div>
            })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dl101_protocol::report::{EpochReport, EvalReport};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn finished(train_loss: f64, valid: f64, test: f64, diverged: bool) -> Trace {
        Trace {
            epochs: vec![EpochReport {
                epoch: 1,
                train_loss,
                train_penalty: None,
                train_accuracy: 0.9,
                valid: Some(EvalReport {
                    loss: 0.5,
                    accuracy: valid,
                    count: 100,
                }),
                lr: 0.01,
                best: true,
            }],
            test: Some(EvalReport {
                loss: 0.5,
                accuracy: test,
                count: 100,
            }),
            diverged_at: diverged.then_some(10),
            ..Trace::default()
        }
    }

    #[test]
    fn each_measure_reads_its_number_from_the_run() {
        let t = finished(0.4, 0.8, 0.75, false);
        assert_eq!(measure_trace(Measure::TestAccuracy, &t), Some(0.75));
        assert_eq!(measure_trace(Measure::ValidAccuracy, &t), Some(0.8));
        assert_eq!(measure_trace(Measure::TrainLoss, &t), Some(0.4));
        assert_eq!(measure_trace(Measure::Diverged, &t), Some(0.0));
        let gap = measure_trace(Measure::OverfitGap, &t).unwrap_or(f64::NAN);
        assert!((gap - 0.1).abs() < 1e-12, "{gap}");
        let d = finished(0.4, 0.1, 0.1, true);
        assert_eq!(measure_trace(Measure::TrainLoss, &d), Some(f64::INFINITY));
        assert_eq!(measure_trace(Measure::Diverged, &d), Some(1.0));
        assert_eq!(measure_trace(Measure::GradRatio, &t), None, "no probe");
    }

    #[test]
    fn transfer_choices_are_the_two_task_b_runs() {
        let experiment = Experiment::parse(
            WidgetKind::TransferLearning,
            &[
                ("measure".into(), "test-accuracy".into()),
                ("pick".into(), "highest".into()),
            ],
        )
        .expect("valid");
        let traces = [
            finished(0.1, 0.99, 0.99, false),
            finished(0.2, 0.9, 0.93, false),
            finished(0.3, 0.8, 0.85, false),
        ];
        assert_eq!(
            measure_traces(&experiment, &traces),
            vec![Some(0.93), Some(0.85)]
        );
    }

    #[test]
    fn values_and_conditions_are_worded_per_language() {
        assert_eq!(
            format_value(Language::Vi, Measure::TestAccuracy, Some(0.871)),
            "87,1 %"
        );
        assert_eq!(
            format_value(Language::En, Measure::TestAccuracy, Some(0.871)),
            "87.1 %"
        );
        assert_eq!(
            format_value(Language::En, Measure::Diverged, Some(1.0)),
            "yes"
        );
        assert_eq!(
            format_value(Language::Vi, Measure::SurfaceLoss, Some(7.3e13)),
            "7,3e13"
        );
        assert_eq!(
            format_value(Language::En, Measure::SurfaceLoss, Some(2.5e-9)),
            "2.5e-9"
        );
        assert_eq!(
            format_value(Language::En, Measure::TrainLoss, Some(0.25)),
            "0.250"
        );
        assert_eq!(
            format_value(Language::En, Measure::GradientBound, Some(0.25f64.powi(10))),
            "9.5e-7"
        );
        assert_eq!(
            experiment_words(Language::En).condition(Measure::TestAccuracy, Pick::Below(0.5)),
            "test accuracy below 50.0 %"
        );
        assert_eq!(
            experiment_words(Language::Vi).condition(Measure::Diverged, Pick::Above(0.5)),
            "lượt bị phân kỳ (loss thành NaN)"
        );
        let settings = RunSettings {
            epochs: 2,
            ..RunSettings::default()
        };
        assert_eq!(
            experiment_words(Language::Vi).conditions(&settings),
            "Lượt của bạn: 5.000 ảnh huấn luyện (tập con nhanh), 2 epoch, hạt giống 42."
        );
    }
}
