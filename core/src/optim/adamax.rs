//! Adamax (torch.optim.Adamax): Adam with an infinity-norm second moment. Not in Burn.

use burn::tensor::Tensor;

use super::{ParamState, StepContext, UpdateRule, with_weight_decay};

/// Adamax.
#[derive(Debug, Clone, Copy)]
pub struct Adamax {
    /// Decay of the first moment.
    pub beta1: f64,
    /// Decay of the running max.
    pub beta2: f64,
    /// Added to |g| before the max (torch's placement).
    pub eps: f64,
    /// L2 weight decay.
    pub weight_decay: f64,
}

impl UpdateRule for Adamax {
    fn slots(&self) -> usize {
        2
    }

    // ANCHOR: step
    fn update(
        &self,
        ctx: StepContext,
        p: Tensor<1>,
        g: Tensor<1>,
        s: &mut ParamState,
    ) -> Tensor<1> {
        let beta1 = ctx.momentum.unwrap_or(self.beta1);
        let g = with_weight_decay(g, &p, self.weight_decay);
        let m = s.slots[0].clone().mul_scalar(beta1) + g.clone().mul_scalar(1.0 - beta1);
        let u = s.slots[1]
            .clone()
            .mul_scalar(self.beta2)
            .max_pair(g.abs().add_scalar(self.eps));
        s.slots[0] = m.clone();
        s.slots[1] = u.clone();
        let bias_correction = 1.0 - beta1.powi(s.step as i32);
        p - (m / u).mul_scalar(ctx.lr / bias_correction)
    }
    // ANCHOR_END: step
}
