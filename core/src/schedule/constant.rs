//! Constant learning rate.

use super::Schedule;

/// Keeps the learning rate fixed.
#[derive(Debug, Clone)]
pub struct Constant {
    lr: f64,
}

impl Constant {
    /// A constant schedule at `lr`.
    pub fn new(lr: f64) -> Self {
        Self { lr }
    }
}

impl Schedule for Constant {
    fn lr(&self) -> f64 {
        self.lr
    }

    fn step(&mut self, _metric: Option<f64>) {}
}
