//! The page's stateless questions, answered by `dl101_core::queries`.

use super::*;

impl Runner {
    pub(super) fn curves(
        &self,
        request: u32,
        curves: &[CurveRequest],
        lo: f64,
        hi: f64,
        points: usize,
    ) {
        self.post(&FromWorker::Curves {
            request,
            curves: queries::activation_curves(curves, lo, hi, points),
        });
    }

    pub(super) fn lr_curve(&self, request: u32, settings: &RunSettings) {
        match queries::lr_curve(settings) {
            Ok(points) => self.post(&FromWorker::LrCurve { request, points }),
            Err(e) => self.fail(None, Some(request), training(e)),
        }
    }

    pub(super) async fn paths(
        &self,
        request: u32,
        shape: Surface,
        optimizers: &[Optimizer],
        lr: f64,
        momentum: Option<f64>,
        steps: usize,
    ) {
        match queries::optimizer_paths(shape, optimizers, lr, momentum, steps, &cpu_device()).await
        {
            Ok(paths) => self.post(&FromWorker::Paths { request, paths }),
            Err(e) => self.fail(None, Some(request), training(e)),
        }
    }
}
