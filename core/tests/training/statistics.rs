//! Statistical checks: initializers on real layers, dropout and alpha dropout moments.

use burn::tensor::{Tensor, TensorData};
use dl101_core::cpu_device;
use dl101_core::dropout::{alpha_dropout, standard_dropout};
use dl101_core::init::Init;
use dl101_core::rng::SeededRng;

fn moments(t: Tensor<2>) -> (f64, f64) {
    let v: Vec<f32> = t.into_data().try_into_vec_as::<f32>().unwrap();
    let n = v.len() as f64;
    let mean = v.iter().map(|&x| x as f64).sum::<f64>() / n;
    let var = v.iter().map(|&x| (x as f64 - mean).powi(2)).sum::<f64>() / n;
    (mean, var)
}

fn normal(rows: usize, cols: usize, seed: u64) -> Tensor<2> {
    let mut rng = SeededRng::new(seed);
    let values: Vec<f32> = (0..rows * cols).map(|_| rng.normal() as f32).collect();
    Tensor::from_data(TensorData::new(values, [rows, cols]), &cpu_device())
}

#[test]
fn initialized_layers_have_the_right_variance() {
    let device = cpu_device();
    let (fan_in, fan_out) = (784, 300);
    let cases = [
        (Init::HeUniform, 0.0, 2.0f64 / 784.0),
        (Init::HeNormal, 0.2, 2.0 / (1.04 * 784.0)),
        (Init::GlorotUniform, 0.0, 2.0 / 1084.0),
        (Init::GlorotNormal, 0.0, 2.0 / 1084.0),
        (Init::LecunNormal, 0.0, 1.0 / 784.0),
        (Init::Default, 0.0, 1.0 / (3.0 * 784.0)),
        (Init::Normal, 0.0, 1.0),
    ];
    for (init, slope, expected) in cases {
        let layer = dl101_core::init::linear(
            init,
            fan_in,
            fan_out,
            true,
            slope,
            &mut SeededRng::new(5),
            &device,
        );
        assert_eq!(
            layer.weight.val().dims(),
            [fan_in, fan_out],
            "Burn layout is [in, out]"
        );
        let (mean, var) = moments(layer.weight.val());
        assert!(mean.abs() < 0.1 * expected.sqrt(), "{init:?} mean {mean}");
        assert!(
            (var / expected - 1.0).abs() < 0.03,
            "{init:?}: {var} vs {expected}"
        );
    }
}

#[test]
fn dropout_keeps_the_mean() {
    let x = normal(500, 400, 1).add_scalar(1.0);
    let (mean, _) = moments(standard_dropout(x, 0.3, &mut SeededRng::new(2)));
    assert!((mean - 1.0).abs() < 0.02, "{mean}");
}

#[test]
fn alpha_dropout_keeps_selu_mean_and_variance() {
    for rate in [0.1, 0.3] {
        let (mean, var) = moments(alpha_dropout(
            normal(500, 400, 3),
            rate,
            &mut SeededRng::new(4),
        ));
        assert!(mean.abs() < 0.01, "rate {rate}: mean {mean}");
        assert!((var - 1.0).abs() < 0.02, "rate {rate}: var {var}");
    }
}
