//! Losses (cross-entropy, binary cross-entropy on logits) and accuracy counts, torch semantics.

use burn::tensor::{Int, Tensor, activation::log_softmax};

use crate::model::Head;

// ANCHOR: cross_entropy
/// Mean cross-entropy of logits `[batch, classes]` against class indices `[batch]`
/// (torch `nn.CrossEntropyLoss`).
pub fn cross_entropy(logits: Tensor<2>, targets: Tensor<1, Int>) -> Tensor<1> {
    let log_probs = log_softmax(logits, 1);
    let picked = log_probs.gather(1, targets.unsqueeze_dim(1)); // [batch, 1]
    picked.mean().neg()
}
// ANCHOR_END: cross_entropy

/// Mean binary cross-entropy of one logit per row `[batch, 1]` against 0/1 labels
/// (torch `nn.BCEWithLogitsLoss`), in the stable form max(x,0) − x·y + ln(1 + e^−|x|).
pub fn binary_cross_entropy_with_logits(logits: Tensor<2>, targets: Tensor<1, Int>) -> Tensor<1> {
    let y = targets.float().unsqueeze_dim(1);
    let x = logits;
    let softplus_neg_abs = x.clone().abs().neg().exp().log1p();
    (x.clone().clamp_min(0.0) - x * y + softplus_neg_abs).mean()
}

/// The loss that goes with a head.
pub fn loss_for(head: Head, logits: Tensor<2>, targets: Tensor<1, Int>) -> Tensor<1> {
    match head {
        Head::MultiClass { .. } => cross_entropy(logits, targets),
        Head::Binary => binary_cross_entropy_with_logits(logits, targets),
    }
}

/// Predicted class per row: argmax for multi-class, logit > 0 for binary. Shape `[batch]`.
pub fn predictions(head: Head, logits: Tensor<2>) -> Tensor<1, Int> {
    match head {
        Head::MultiClass { .. } => logits.argmax(1).squeeze_dim(1),
        Head::Binary => logits.greater_elem(0.0).int().squeeze_dim(1),
    }
}

/// Number of correct predictions, as a `[1]` float tensor (summed on the device).
pub fn correct_count(head: Head, logits: Tensor<2>, targets: Tensor<1, Int>) -> Tensor<1> {
    predictions(head, logits).equal(targets).float().sum()
}
