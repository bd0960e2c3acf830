//! RMSProp (torch.optim.RMSprop, not centered).

use burn::tensor::Tensor;

use super::{ParamState, StepContext, UpdateRule, with_weight_decay};

/// RMSProp: divides by the root of an exponential average of squared gradients.
#[derive(Debug, Clone, Copy)]
pub struct RmsProp {
    /// Decay α of the average (torch default 0.99; the chapter uses 0.9).
    pub alpha: f64,
    /// Added to √v (outside the root, as torch).
    pub eps: f64,
    /// Momentum on the scaled step; 0 disables it.
    pub momentum: f64,
    /// L2 weight decay.
    pub weight_decay: f64,
}

impl UpdateRule for RmsProp {
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
        let g = with_weight_decay(g, &p, self.weight_decay);
        let v = s.slots[0].clone().mul_scalar(self.alpha)
            + g.clone().square().mul_scalar(1.0 - self.alpha);
        s.slots[0] = v.clone();
        let scaled = g / v.sqrt().add_scalar(self.eps);
        let momentum = ctx.momentum.unwrap_or(self.momentum);
        let step = if momentum > 0.0 {
            let buffer = s.slots[1].clone().mul_scalar(momentum) + scaled;
            s.slots[1] = buffer.clone();
            buffer
        } else {
            scaled
        };
        p - step.mul_scalar(ctx.lr)
    }
    // ANCHOR_END: step
}
