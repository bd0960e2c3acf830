//! Adam (torch.optim.Adam, amsgrad off).

use burn::tensor::Tensor;

use super::{ParamState, StepContext, UpdateRule, with_weight_decay};

/// Adam: momentum on g plus RMSProp scaling, both bias-corrected.
#[derive(Debug, Clone, Copy)]
pub struct Adam {
    /// Decay of the first moment.
    pub beta1: f64,
    /// Decay of the second moment.
    pub beta2: f64,
    /// Added to √v̂ (after bias correction, as torch).
    pub eps: f64,
    /// L2 weight decay added to the gradient (coupled; see AdamW for decoupled).
    pub weight_decay: f64,
}

// ANCHOR: adam_update
/// The Adam update shared by Adam and AdamW (after any weight decay is applied).
pub(crate) fn adam_update(
    rule: &Adam,
    ctx: StepContext,
    p: Tensor<1>,
    g: Tensor<1>,
    s: &mut ParamState,
) -> Tensor<1> {
    let beta1 = ctx.momentum.unwrap_or(rule.beta1);
    let m = s.slots[0].clone().mul_scalar(beta1) + g.clone().mul_scalar(1.0 - beta1);
    let v = s.slots[1].clone().mul_scalar(rule.beta2) + g.square().mul_scalar(1.0 - rule.beta2);
    s.slots[0] = m.clone();
    s.slots[1] = v.clone();
    let t = s.step as i32;
    let bias_correction1 = 1.0 - beta1.powi(t);
    let bias_correction2 = 1.0 - rule.beta2.powi(t);
    let denom = v
        .sqrt()
        .div_scalar(bias_correction2.sqrt())
        .add_scalar(rule.eps);
    p - (m / denom).mul_scalar(ctx.lr / bias_correction1)
}
// ANCHOR_END: adam_update

impl UpdateRule for Adam {
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
        adam_update(self, ctx, p, g, s)
    }
    // ANCHOR_END: step
}
