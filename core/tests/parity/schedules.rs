//! Learning-rate sequences of every schedule, and OneCycle's momentum/β₁.

use dl101_core::schedule::{ScheduleConfig, curve};

use crate::common::{assert_close, fixture, floats};

#[test]
fn epoch_schedules_match_torch() {
    let fixture = fixture("schedules.json");
    let mut kinds = std::collections::BTreeSet::new();
    for case in fixture["epoch_cases"].as_array().unwrap() {
        let config: ScheduleConfig = serde_json::from_value(case["schedule"].clone()).unwrap();
        kinds.insert(config.name());
        let metrics = case["metrics"]
            .as_array()
            .map(|_| floats(&case["metrics"]))
            .unwrap_or_default();
        let epochs = case["epochs"].as_u64().unwrap() as usize;
        let lr = case["lr"].as_f64().unwrap();
        let points = curve(&config, lr, epochs, 1, &metrics).unwrap();
        let lrs: Vec<f64> = points.iter().map(|p| p.lr).collect();
        assert_close(&lrs, &floats(&case["lrs"]), 1e-9, &format!("{config:?}"));
    }
    assert_eq!(
        kinds.len(),
        8,
        "every per-epoch schedule is covered: {kinds:?}"
    );
}

#[test]
fn one_cycle_matches_torch_including_momentum() {
    let fixture = fixture("schedules.json");
    for case in fixture["one_cycle"].as_array().unwrap() {
        let config: ScheduleConfig = serde_json::from_value(case["schedule"].clone()).unwrap();
        let expected = floats(&case["lrs"]);
        let points = curve(&config, 0.05, 1, expected.len(), &[]).unwrap();
        let lrs: Vec<f64> = points.iter().map(|p| p.lr).collect();
        let momentum: Vec<f64> = points.iter().map(|p| p.momentum.unwrap()).collect();
        assert_close(&lrs, &expected, 1e-9, &format!("{config:?} lr"));
        assert_close(
            &momentum,
            &floats(&case["momentum"]),
            1e-9,
            &format!("{config:?} momentum"),
        );
    }
}
