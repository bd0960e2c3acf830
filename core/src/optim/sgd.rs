//! SGD, momentum and Nesterov (torch.optim.SGD, dampening 0).

use burn::tensor::Tensor;

use super::{ParamState, StepContext, UpdateRule, with_weight_decay};

/// SGD with optional heavy-ball or Nesterov momentum.
#[derive(Debug, Clone, Copy)]
pub struct Sgd {
    /// β; 0 is plain SGD.
    pub momentum: f64,
    /// Use the look-ahead gradient g + β·b.
    pub nesterov: bool,
    /// L2 weight decay.
    pub weight_decay: f64,
}

impl UpdateRule for Sgd {
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
        let momentum = ctx.momentum.unwrap_or(self.momentum);
        let mut g = with_weight_decay(g, &p, self.weight_decay);
        if momentum != 0.0 {
            // torch starts the buffer at the first gradient; β·0 + g is the same thing.
            let buffer = s.slots[0].clone().mul_scalar(momentum) + g.clone();
            s.slots[0] = buffer.clone();
            g = if self.nesterov {
                g + buffer.mul_scalar(momentum)
            } else {
                buffer
            };
        }
        p - g.mul_scalar(ctx.lr)
    }
    // ANCHOR_END: step
}
