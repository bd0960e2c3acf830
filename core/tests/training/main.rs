//! Training behaviour: trainer mechanics on synthetic data, statistical properties of init and
//! dropout, and seed-behaviour checks on the real Fashion-MNIST (skipped if the data is absent).

#![allow(clippy::unwrap_used)]

mod fashion;
mod mechanics;
mod statistics;
mod support;
