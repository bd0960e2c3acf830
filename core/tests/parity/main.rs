//! Parity with PyTorch: fixtures from tools/torch/make_fixtures.py (torch is not needed here).

#![allow(clippy::unwrap_used)]

mod activations;
mod common;
mod norms;
mod optimizers;
mod regularization;
mod schedules;
mod surfaces;
