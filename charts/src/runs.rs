//! Whole runs, one point per epoch: the chapter's reference runs and the reader's earlier runs,
//! built the same way for the widgets' live charts and for the build-time figures.

use crate::spec::{ChartSpec, LineChart, Scale, Series};

/// One epoch of a run: mean training loss, training accuracy, validation accuracy (the rows of
/// `dl101_protocol::reference::Reference`; this crate stands alone, so it names the tuple itself).
pub type EpochRow = (f64, f64, Option<f64>);

/// The validation accuracy of each epoch.
pub fn validation(row: &EpochRow) -> Option<f64> {
    row.2
}

/// The mean training loss of each epoch.
pub fn train_loss(row: &EpochRow) -> Option<f64> {
    Some(row.0)
}

/// A run as a line with a point per epoch (x from 1), the value `pick` reads from each epoch.
pub fn per_epoch(
    label: impl Into<String>,
    epochs: &[EpochRow],
    pick: impl Fn(&EpochRow) -> Option<f64>,
) -> Series {
    let points = epochs
        .iter()
        .enumerate()
        .filter_map(|(e, row)| pick(row).map(|v| ((e + 1) as f64, v)))
        .collect();
    Series::new(label, points)
}

/// The figure of whole runs: validation accuracy per epoch, each run in the colour of its index,
/// the axis fitted to the runs (a printed figure has no live run to make room for, and the
/// chapter's runs often differ by a few points only).
pub fn validation_figure(
    title: &str,
    x_label: &str,
    y_label: &str,
    runs: &[(String, &[EpochRow])],
) -> ChartSpec {
    let series = runs
        .iter()
        .enumerate()
        .map(|(i, (label, epochs))| per_epoch(label.clone(), epochs, validation).color(i))
        .collect();
    ChartSpec::Line(LineChart {
        title: title.into(),
        x_label: x_label.into(),
        y_label: y_label.into(),
        y_scale: Scale::Linear,
        series,
        y_range: None,
        x_range: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_has_a_point_per_epoch_it_measured() {
        let epochs = [
            (0.5, 0.8, Some(0.7)),
            (0.4, 0.85, None),
            (0.3, 0.9, Some(0.8)),
        ];
        let valid = per_epoch("sgd", &epochs, validation);
        assert_eq!(valid.points, vec![(1.0, 0.7), (3.0, 0.8)]);
        let loss = per_epoch("sgd", &epochs, train_loss);
        assert_eq!(loss.points.len(), 3);
        let ChartSpec::Line(figure) = validation_figure(
            "t",
            "epoch",
            "acc",
            &[("a".into(), &epochs), ("b".into(), &epochs)],
        ) else {
            panic!("a line chart")
        };
        assert_eq!(figure.series[1].color, 1);
        assert_eq!(figure.series[0].label, "a");
    }
}
