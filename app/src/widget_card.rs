//! A widget's place in the lesson: a card naming the experiment and its settings. The live
//! widgets replace the card body one by one.

use book::{Language, WidgetSpec};
use leptos::prelude::*;

use crate::i18n::{ui, widget_name};

/// The directive's settings as `key = value` lines, for the card.
fn settings(spec: &WidgetSpec) -> Vec<(String, String)> {
    let Ok(serde_json::Value::Object(map)) = serde_json::to_value(spec) else {
        return Vec::new();
    };
    map.into_iter()
        .filter(|(key, _)| key != "widget")
        .map(|(key, value)| {
            let shown = match value {
                serde_json::Value::String(s) => s,
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                    .collect::<Vec<_>>()
                    .join(", "),
                other => other.to_string(),
            };
            (key.replace('_', "-"), shown)
        })
        .collect()
}

/// The card for one `{{#widget}}` directive.
#[component]
pub fn WidgetCard(
    /// What the lesson asked for.
    spec: WidgetSpec,
    /// The lesson's language.
    language: Language,
) -> impl IntoView {
    let words = ui(language);
    let kind = spec.kind();
    let rows = settings(&spec);
    view! {
        <section class="widget-card" data-widget=kind.name() aria-label=widget_name(kind, language)>
            <header class="widget-head">
                <span class="widget-icon" aria-hidden="true">"▶"</span>
                <h4 class="widget-title">{widget_name(kind, language)}</h4>
            </header>
            <p class="widget-pending">{words.widget_pending}</p>
            <dl class="widget-settings" aria-label=words.widget_settings>
                {rows
                    .into_iter()
                    .map(|(key, value)| view! { <div><dt>{key}</dt><dd>{value}</dd></div> })
                    .collect_view()}
            </dl>
        </section>
    }
}
