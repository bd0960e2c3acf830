//! The MLP of the chapter, built from a serializable config: depth, width, activation, init,
//! normalization, dropout, input standardization and head; freezing and layer transfer.

use burn::module::{Module, ModuleMapper, Param, ParamId};
use burn::nn::{LayerNorm, LayerNormConfig, Linear};
use burn::tensor::{Device, Tensor};
use serde::{Deserialize, Serialize};

use crate::activation::ActivationFn;
use crate::dropout::DropoutConfig;
use crate::init::{self, Init};
use crate::norm::{BatchNorm1d, FeatureStats, Standardize};
use crate::rng::SeededRng;
use dl101_protocol::vocab::Norm;

/// The output layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Head {
    /// One logit per class, trained with cross-entropy.
    MultiClass {
        /// Number of classes.
        classes: usize,
    },
    /// A single logit, trained with binary cross-entropy on logits.
    Binary,
}

impl Head {
    /// Number of output logits.
    pub fn outputs(&self) -> usize {
        match self {
            Head::MultiClass { classes } => *classes,
            Head::Binary => 1,
        }
    }
}

fn yes() -> bool {
    true
}

/// Everything needed to build an [`Mlp`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MlpConfig {
    /// Input features (784 for Fashion-MNIST, 3072 for CIFAR-10).
    pub inputs: usize,
    /// Number of hidden layers.
    pub depth: usize,
    /// Units per hidden layer.
    pub width: usize,
    /// Hidden activation.
    pub activation: ActivationFn,
    /// Weight initialization of every linear layer.
    #[serde(default)]
    pub init: Init,
    /// Normalization inside the hidden blocks.
    #[serde(default)]
    pub normalization: Norm,
    /// Whether hidden linear layers have a bias (drop it with BatchNorm before the activation).
    #[serde(default = "yes")]
    pub linear_bias: bool,
    /// BatchNorm on the raw inputs (the chapter's first BatchNorm model).
    #[serde(default)]
    pub input_batch_norm: bool,
    /// Dropout settings.
    #[serde(default)]
    pub dropout: DropoutConfig,
    /// Standardize inputs with the training set's mean and std (the SELU recipe).
    #[serde(default)]
    pub standardize_input: bool,
    /// Output layer.
    pub head: Head,
}

/// Errors building a model.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ModelError {
    /// Standardization was asked for without training-set statistics.
    #[error("standardize_input needs the training set's feature statistics")]
    MissingInputStats,
    /// The statistics do not have one entry per input feature.
    #[error("input statistics have {found} features, the model has {expected}")]
    InputStatsShape {
        /// Model inputs.
        expected: usize,
        /// Statistics length.
        found: usize,
    },
    /// Zero inputs or zero width.
    #[error("a model needs at least one input and one unit per hidden layer")]
    Empty,
}

/// One hidden block: linear, optional normalization; the activation comes from the config.
#[derive(Module, Debug)]
pub struct Block {
    /// The affine map.
    pub linear: Linear,
    /// BatchNorm (before or after the activation, per [`Norm`]).
    pub batch_norm: Option<BatchNorm1d>,
    /// LayerNorm (before the activation).
    pub layer_norm: Option<LayerNorm>,
}

/// Intermediate tensors of one hidden block, kept for probes.
#[derive(Debug, Clone)]
pub struct BlockTrace {
    /// Input of the activation (after a pre-activation norm), `[batch, input_width]`.
    pub pre_activation: Tensor<2>,
    /// Output of the activation, `[batch, width]`.
    pub activation: Tensor<2>,
}

/// The multilayer perceptron.
#[derive(Module, Debug)]
pub struct Mlp {
    /// Fixed input standardization.
    pub standardize: Option<Standardize>,
    /// BatchNorm on the inputs.
    pub input_norm: Option<BatchNorm1d>,
    /// Hidden blocks, input side first.
    pub blocks: Vec<Block>,
    /// Output layer.
    pub head: Linear,
    /// The config it was built from.
    #[module(skip)]
    pub config: MlpConfig,
}

impl MlpConfig {
    /// Builds the model on `device`, drawing weights from `rng`.
    ///
    /// # Errors
    /// [`ModelError`] if the shape is empty or standardization lacks matching statistics.
    pub fn init(
        &self,
        device: &Device,
        rng: &mut SeededRng,
        input_stats: Option<&FeatureStats>,
    ) -> Result<Mlp, ModelError> {
        if self.inputs == 0 || (self.depth > 0 && self.width == 0) {
            return Err(ModelError::Empty);
        }
        let standardize = self.standardize_layer(input_stats, device)?;
        let input_norm = self
            .input_batch_norm
            .then(|| BatchNorm1d::new(self.inputs, device));
        let blocks = (0..self.depth)
            .map(|i| self.block(if i == 0 { self.inputs } else { self.width }, rng, device))
            .collect();
        let head = self.head_layer(rng, device);
        Ok(Mlp {
            standardize,
            input_norm,
            blocks,
            head,
            config: self.clone(),
        })
    }

    fn standardize_layer(
        &self,
        stats: Option<&FeatureStats>,
        device: &Device,
    ) -> Result<Option<Standardize>, ModelError> {
        if !self.standardize_input {
            return Ok(None);
        }
        let stats = stats.ok_or(ModelError::MissingInputStats)?;
        if stats.mean.len() != self.inputs || stats.std.len() != self.inputs {
            return Err(ModelError::InputStatsShape {
                expected: self.inputs,
                found: stats.mean.len(),
            });
        }
        Ok(Some(Standardize::new(stats, device)))
    }

    fn block(&self, fan_in: usize, rng: &mut SeededRng, device: &Device) -> Block {
        let out = self.activation.input_width(self.width);
        let slope = self.activation.he_negative_slope();
        let linear = init::linear(self.init, fan_in, out, self.linear_bias, slope, rng, device);
        let batch_norm = match self.normalization {
            Norm::BnBefore => Some(BatchNorm1d::new(out, device)),
            Norm::BnAfter => Some(BatchNorm1d::new(self.width, device)),
            _ => None,
        };
        let layer_norm =
            (self.normalization == Norm::Ln).then(|| LayerNormConfig::new(out).init(device));
        Block {
            linear,
            batch_norm,
            layer_norm,
        }
    }

    /// A freshly initialized output layer for this config.
    pub fn head_layer(&self, rng: &mut SeededRng, device: &Device) -> Linear {
        let fan_in = if self.depth == 0 {
            self.inputs
        } else {
            self.width
        };
        let slope = self.activation.he_negative_slope();
        init::linear(
            self.init,
            fan_in,
            self.head.outputs(),
            true,
            slope,
            rng,
            device,
        )
    }
}

impl Mlp {
    /// Training forward: dropout on, BatchNorm with batch statistics (running ones updated).
    ///
    /// # Shapes
    /// `[batch, inputs] -> [batch, outputs]`
    pub fn forward_train(
        &mut self,
        x: Tensor<2>,
        rng: &mut SeededRng,
        traces: Option<&mut Vec<BlockTrace>>,
    ) -> Tensor<2> {
        self.run(x, true, false, rng, traces)
    }

    /// Inference forward: running BatchNorm statistics, dropout only if it is MC dropout.
    pub fn forward_eval(&self, x: Tensor<2>, rng: &mut SeededRng) -> Tensor<2> {
        // Evaluation never writes the running statistics, so a shallow copy is enough.
        self.clone().run(x, false, false, rng, None)
    }

    /// Inference forward with every dropout layer forced on (MC dropout on a model trained
    /// with standard dropout, as the chapter does by switching the dropout layers to train).
    pub fn forward_mc(&self, x: Tensor<2>, rng: &mut SeededRng) -> Tensor<2> {
        self.clone().run(x, false, true, rng, None)
    }

    fn run(
        &mut self,
        x: Tensor<2>,
        training: bool,
        force_dropout: bool,
        rng: &mut SeededRng,
        mut traces: Option<&mut Vec<BlockTrace>>,
    ) -> Tensor<2> {
        let config = self.config.clone();
        let dropout_on = training || force_dropout;
        let mut x = match &self.standardize {
            Some(layer) => layer.forward(x),
            None => x,
        };
        if let Some(norm) = self.input_norm.as_mut() {
            x = batch_norm(norm, x, training);
        }
        if config.dropout.on_input {
            x = config.dropout.apply(x, dropout_on, rng);
        }
        for block in self.blocks.iter_mut() {
            let (out, trace) = block.forward(x, &config, training);
            if let Some(traces) = traces.as_deref_mut() {
                traces.push(trace);
            }
            x = config.dropout.apply(out, dropout_on, rng);
        }
        self.head.forward(x)
    }

    /// Stops gradients for hidden block `index` (torch: `requires_grad = False`).
    pub fn freeze_block(mut self, index: usize) -> Self {
        self.blocks = set_block_grad(self.blocks, |i| i == index, false);
        self
    }

    /// Re-enables gradients for hidden block `index`.
    pub fn unfreeze_block(mut self, index: usize) -> Self {
        self.blocks = set_block_grad(self.blocks, |i| i == index, true);
        self
    }

    /// Freezes every hidden block (the head stays trainable).
    pub fn freeze_hidden(mut self) -> Self {
        self.blocks = set_block_grad(self.blocks, |_| true, false);
        self
    }

    /// Whether any parameter of hidden block `index` receives gradients.
    pub fn is_block_trainable(&self, index: usize) -> bool {
        self.blocks
            .get(index)
            .is_some_and(|b| b.linear.weight.val().is_require_grad())
    }

    // ANCHOR: transfer
    /// Transfer learning: copies every hidden block (and input layers) into a new model with a
    /// fresh head for `head`. The copy gets new parameter ids, so the two models never share
    /// optimizer state.
    pub fn transfer(&self, head: Head, rng: &mut SeededRng, device: &Device) -> Mlp {
        let config = MlpConfig {
            head,
            ..self.config.clone()
        };
        let copy = Mlp {
            standardize: self.standardize.clone(),
            input_norm: self.input_norm.clone(),
            blocks: self.blocks.clone(),
            head: config.head_layer(rng, device),
            config,
        };
        copy.map(&mut FreshIds)
    }
    // ANCHOR_END: transfer
}

fn batch_norm(norm: &mut BatchNorm1d, x: Tensor<2>, training: bool) -> Tensor<2> {
    if training {
        norm.forward_train(x)
    } else {
        norm.forward_eval(x)
    }
}

impl Block {
    // ANCHOR: block_forward
    /// linear → [norm] → activation → [BatchNorm after].
    fn forward(
        &mut self,
        x: Tensor<2>,
        config: &MlpConfig,
        training: bool,
    ) -> (Tensor<2>, BlockTrace) {
        let mut z = self.linear.forward(x);
        let norm_first = config.normalization != Norm::BnAfter;
        if let (true, Some(norm)) = (norm_first, self.batch_norm.as_mut()) {
            z = batch_norm(norm, z, training);
        }
        if let Some(norm) = &self.layer_norm {
            z = norm.forward(z);
        }
        let a = config.activation.forward(z.clone());
        let trace = BlockTrace {
            pre_activation: z,
            activation: a.clone(),
        };
        let out = match (norm_first, self.batch_norm.as_mut()) {
            (false, Some(norm)) => batch_norm(norm, a, training),
            _ => a,
        };
        (out, trace)
    }
    // ANCHOR_END: block_forward
}

fn set_block_grad(blocks: Vec<Block>, pick: impl Fn(usize) -> bool, grad: bool) -> Vec<Block> {
    blocks
        .into_iter()
        .enumerate()
        .map(|(i, b)| if pick(i) { b.set_require_grad(grad) } else { b })
        .collect()
}

/// Gives every parameter a new id, keeping values and gradient settings.
struct FreshIds;

impl ModuleMapper for FreshIds {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let (_, tensor, mapper) = param.consume();
        Param::from_mapped_value(ParamId::new(), tensor, mapper)
    }
}
