//! AdaGrad (torch.optim.Adagrad, lr_decay 0, initial accumulator 0).

use burn::tensor::Tensor;

use super::{ParamState, StepContext, UpdateRule, with_weight_decay};

/// AdaGrad: divides by the root of all squared gradients so far.
#[derive(Debug, Clone, Copy)]
pub struct Adagrad {
    /// Added to √(Σg²).
    pub eps: f64,
    /// L2 weight decay.
    pub weight_decay: f64,
}

impl UpdateRule for Adagrad {
    fn slots(&self) -> usize {
        1
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
        let sum = s.slots[0].clone() + g.clone().square();
        s.slots[0] = sum.clone();
        p - (g / sum.sqrt().add_scalar(self.eps)).mul_scalar(ctx.lr)
    }
    // ANCHOR_END: step
}
