//! Optimizer paths on the 2-D loss surfaces: every optimizer on every surface, 100 steps.

use dl101_core::cpu_device;
use dl101_core::optim::OptimizerConfig;
use dl101_core::surface::{Surface, path};
use dl101_protocol::vocab::Optimizer;

use crate::common::{fixture, floats};

/// Per coordinate: |ours − torch| ≤ TOLERANCE · max(1, |torch|).
const TOLERANCE: f64 = 2e-6;

#[test]
fn surface_paths_match_torch() {
    let fixture = fixture("surfaces.json");
    let steps = fixture["steps"].as_u64().unwrap() as usize;
    assert!(steps >= 100);
    let runs = fixture["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 27, "3 surfaces × 9 optimizers");
    let device = cpu_device();
    let mut worst = (0.0, String::new());
    for run in runs {
        let surface: Surface = serde_json::from_value(run["surface"].clone()).unwrap();
        let name = run["optimizer"].as_str().unwrap();
        let config = OptimizerConfig::defaults(Optimizer::from_name(name).unwrap());
        let lr = run["lr"].as_f64().unwrap();
        let what = format!("{} / {name} at lr {lr}", surface.name());
        let expected: Vec<Vec<f64>> = run["points"]
            .as_array()
            .unwrap()
            .iter()
            .map(floats)
            .collect();
        assert_eq!(expected.len(), steps + 1, "{what}");
        let ours = pollster::block_on(path(surface, config, lr, steps, &device)).unwrap();
        assert_eq!(ours.len(), steps + 1, "{what}: stopped early");
        let mut run_worst = 0f64;
        for (step, (&(x, y, f), torch)) in ours.iter().zip(&expected).enumerate() {
            assert_eq!(f, surface.value(x, y));
            for (axis, (a, e)) in [x, y].into_iter().zip(torch.iter().copied()).enumerate() {
                let error = (a - e).abs() / e.abs().max(1.0);
                assert!(
                    error <= TOLERANCE,
                    "{what}: step {step}, coordinate {axis}: {a} vs torch {e} (error {error:e})"
                );
                run_worst = run_worst.max(error);
            }
        }
        eprintln!("{what}: max error {run_worst:e}");
        if run_worst >= worst.0 {
            worst = (run_worst, what);
        }
    }
    eprintln!("worst: {:e} ({})", worst.0, worst.1);
}
