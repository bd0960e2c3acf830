//! NAdam (torch.optim.NAdam) with torch's momentum-decay schedule. Not in Burn.

use burn::tensor::Tensor;

use super::{ParamState, StepContext, UpdateRule, with_weight_decay};

/// NAdam: Adam whose first moment looks one step ahead, with a warming-up μ_t.
#[derive(Debug, Clone, Copy)]
pub struct Nadam {
    /// Base β₁.
    pub beta1: f64,
    /// Decay of the second moment.
    pub beta2: f64,
    /// Added to √v̂.
    pub eps: f64,
    /// L2 weight decay.
    pub weight_decay: f64,
    /// ψ in μ_t = β₁(1 − ½·0.96^(tψ)).
    pub momentum_decay: f64,
}

impl UpdateRule for Nadam {
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
        let t = s.step as f64;
        let mu = beta1 * (1.0 - 0.5 * 0.96f64.powf(t * self.momentum_decay));
        let mu_next = beta1 * (1.0 - 0.5 * 0.96f64.powf((t + 1.0) * self.momentum_decay));
        // torch keeps the μ product in a float32 tensor; round the same way.
        let mu_product = (s.scalar * mu) as f32 as f64;
        s.scalar = mu_product;

        let g = with_weight_decay(g, &p, self.weight_decay);
        let m = s.slots[0].clone().mul_scalar(beta1) + g.clone().mul_scalar(1.0 - beta1);
        let v = s.slots[1].clone().mul_scalar(self.beta2)
            + g.clone().square().mul_scalar(1.0 - self.beta2);
        s.slots[0] = m.clone();
        s.slots[1] = v.clone();

        let bias_correction2 = 1.0 - self.beta2.powf(t);
        let denom = v.div_scalar(bias_correction2).sqrt().add_scalar(self.eps);
        let grad_weight = ctx.lr * (1.0 - mu) / (1.0 - mu_product);
        let momentum_weight = ctx.lr * mu_next / (1.0 - mu_product * mu_next);
        p - (g / denom.clone()).mul_scalar(grad_weight) - (m / denom).mul_scalar(momentum_weight)
    }
    // ANCHOR_END: step
}
