//! AdamW (torch.optim.AdamW): Adam with decoupled weight decay.

use burn::tensor::Tensor;

use super::adam::{Adam, adam_update};
use super::{ParamState, StepContext, UpdateRule};

/// AdamW: shrinks the weights directly instead of adding λp to the gradient.
#[derive(Debug, Clone, Copy)]
pub struct AdamW {
    /// Decay of the first moment.
    pub beta1: f64,
    /// Decay of the second moment.
    pub beta2: f64,
    /// Added to √v̂.
    pub eps: f64,
    /// Decoupled decay λ.
    pub weight_decay: f64,
}

impl UpdateRule for AdamW {
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
        let decayed = p.mul_scalar(1.0 - ctx.lr * self.weight_decay);
        let adam = Adam {
            beta1: self.beta1,
            beta2: self.beta2,
            eps: self.eps,
            weight_decay: 0.0,
        };
        adam_update(&adam, ctx, decayed, g, s)
    }
    // ANCHOR_END: step
}
