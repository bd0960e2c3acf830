//! Command line, experiment loop and the results table.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use burn::tensor::Device;
use clap::Parser;
use dl101_core::data::{Task, TaskData, find_data_dir, load_task};
use dl101_core::model::Mlp;
use dl101_core::reference::ReferenceFile;
use dl101_core::report::{EpochReport, Event};
use dl101_core::{ExperimentConfig, Trainer, cpu_device, presets};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

/// Train the chapter's experiments natively.
#[derive(Debug, Parser)]
#[command(name = "dl101", version, about)]
pub struct Cli {
    /// Presets, groups (optimizers, optimizers-1e-3, schedules, regularization, transfer, cifar),
    /// JSON config files, `list` or `bench`.
    #[arg(required = true)]
    pub experiments: Vec<String>,
    /// Override the number of epochs.
    #[arg(long)]
    pub epochs: Option<usize>,
    /// Use only the first N training images.
    #[arg(long)]
    pub train_subset: Option<usize>,
    /// Use only the first N validation and test images.
    #[arg(long)]
    pub eval_subset: Option<usize>,
    /// Override the seed.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Take probes every K steps.
    #[arg(long)]
    pub probe_every: Option<usize>,
    /// Data root holding fashion-mnist/ and cifar10/ (default: ../shared/datasets from the
    /// repository root, else public/data).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// CIFAR-10 training PNG batches to decode (1000 images each, max 50).
    #[arg(long, default_value_t = 50)]
    pub cifar_batches: usize,
    /// Where JSON histories go.
    #[arg(long, default_value = "target/dl101-runs")]
    pub out: PathBuf,
    /// Benchmark: seconds per measurement.
    #[arg(long, default_value_t = 5.0)]
    pub bench_seconds: f64,
    /// Benchmark: which model (fashion: 784-100-100-100-10 ReLU, SGD; cifar: the CIFAR-10
    /// exercise's 3072-20×100-10 Swish, NAdam, as `cifar-nadam`).
    #[arg(long, value_enum, default_value_t = crate::bench::BenchModel::Fashion)]
    pub bench_model: crate::bench::BenchModel,
    /// Benchmark: batch sizes (default 32,256 for fashion, 128 for cifar).
    #[arg(long, value_delimiter = ',')]
    pub bench_batches: Vec<usize>,
    /// Benchmark: instead of timing `--bench-seconds`, run ceil(N / batch) steps (e.g. 45000:
    /// one epoch of the CIFAR exercise's training set, synthetic images of the same shape).
    #[arg(long)]
    pub bench_samples: Option<usize>,
    /// Benchmark on `--device wgpu`: also count, per timed step, the kernels dispatched, the
    /// queue submissions, the readbacks and the uploads (from wgpu-core's API log).
    #[arg(long)]
    pub gpu_calls: bool,
    /// Where training runs: `cpu` (Burn's Flex backend) or `wgpu` (native GPU through Vulkan,
    /// Metal or DX12, or Mesa's lavapipe; needs a binary built with `--features wgpu`).
    #[arg(long, value_enum, default_value_t = DeviceChoice::Cpu)]
    pub device: DeviceChoice,
    /// Also write each run as a compact reference run into this folder (the book's
    /// `content/reference`), with its config for the test that checks it against its preset.
    #[arg(long)]
    pub reference: Option<PathBuf>,
    /// Runs trained at once, one per thread (default: the machine's cores). Runs that start
    /// from another run's model (transfer) train after the others, one at a time.
    #[arg(long)]
    pub jobs: Option<usize>,
}

/// The `--device` choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DeviceChoice {
    /// Burn's Flex CPU backend.
    Cpu,
    /// Burn's wgpu backend on the machine's GPU (or lavapipe).
    Wgpu,
}

/// The device for `choice` and a line describing it.
///
/// # Errors
/// `wgpu` in a binary built without the `wgpu` feature, or no adapter found.
pub fn device(choice: DeviceChoice) -> Result<(Device, String), String> {
    match choice {
        DeviceChoice::Cpu => Ok((cpu_device(), "Flex (CPU)".into())),
        #[cfg(feature = "wgpu")]
        DeviceChoice::Wgpu => {
            let (device, adapter) = dl101_core::wgpu_device()?;
            Ok((device, format!("wgpu on {adapter}")))
        }
        #[cfg(not(feature = "wgpu"))]
        DeviceChoice::Wgpu => Err("--device wgpu: this dl101 was built without the `wgpu` \
             feature; rebuild with `cargo build --release -p dl101-core --features wgpu`"
            .into()),
    }
}

/// One finished run, for the table.
struct Row {
    name: String,
    last: Option<EpochReport>,
    test: Option<f64>,
    note: String,
    seconds: f64,
    /// Training samples per second (validation passes included, the test not).
    rate: f64,
}

pub fn main(cli: Cli) -> ExitCode {
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run(cli: &Cli) -> Result<(), String> {
    if cli.experiments.iter().any(|e| e == "list") {
        for name in presets::names() {
            let description = presets::preset(&name)
                .map(|p| p.description)
                .unwrap_or_default();
            println!("{name:24} {description}");
        }
        return Ok(());
    }
    if cli.experiments.iter().any(|e| e == "bench") {
        return crate::bench::run(cli);
    }
    let configs = resolve(cli)?;
    let (device, label) = device(cli.device)?;
    let root = match &cli.data_dir {
        Some(dir) => dir.clone(),
        None => find_data_dir(&repo_root())
            .ok_or("no data: pass --data-dir (looked in ../shared/datasets and public/data)")?,
    };
    std::fs::create_dir_all(&cli.out).map_err(|e| format!("{}: {e}", cli.out.display()))?;
    let mut data_cache: HashMap<Task, TaskData> = HashMap::new();
    let mut sources: HashMap<String, Mlp> = HashMap::new();
    let bars = MultiProgress::new();
    if cli.device != DeviceChoice::Cpu {
        eprintln!("device: {label}");
    }
    // One GPU is one device: runs on it train one at a time unless asked otherwise.
    let default_jobs = match cli.device {
        DeviceChoice::Cpu => std::thread::available_parallelism().map_or(1, |n| n.get()),
        DeviceChoice::Wgpu => 1,
    };
    let jobs = cli.jobs.unwrap_or(default_jobs).max(1);
    let (plain, transfers): (Vec<_>, Vec<_>) =
        configs.into_iter().partition(|c| c.transfer.is_none());
    let mut rows = Vec::new();
    let one_at_a_time = if jobs > 1 && plain.len() > 1 {
        for config in &plain {
            task_data(cli, &root, config.task, config.seed, &mut data_cache)?;
        }
        for (row, model) in parallel(cli, &device, &plain, &data_cache, jobs, &bars)? {
            sources.insert(row.name.clone(), model);
            rows.push(row);
        }
        Vec::new()
    } else {
        plain
    };
    for config in one_at_a_time.into_iter().chain(transfers) {
        rows.push(run_one(
            cli,
            &device,
            &root,
            config,
            &mut data_cache,
            &mut sources,
            &bars,
        )?);
    }
    print_table(&rows);
    Ok(())
}

/// A finished run and its model, or why it failed.
type Trained = Result<(Row, Mlp), String>;

/// Trains `configs` on up to `jobs` threads, each run on its own clone of `device` with its
/// own copy of the data; the rows come back in the order of `configs`. Each run's numbers are
/// those of a run alone: its RNG is its own and the CPU backend is deterministic.
fn parallel(
    cli: &Cli,
    device: &Device,
    configs: &[ExperimentConfig],
    data: &HashMap<Task, TaskData>,
    jobs: usize,
    bars: &MultiProgress,
) -> Result<Vec<(Row, Mlp)>, String> {
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<Trained>>> = configs.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..jobs.min(configs.len()) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(config) = configs.get(i) else {
                        break;
                    };
                    let result = match data.get(&config.task) {
                        Some(task) => train_new(cli, device, config.clone(), task.clone(), bars)
                            .map(|(row, t)| (row, t.model().clone())),
                        None => Err(format!("{}: its data did not load", config.name)),
                    };
                    if let Ok(mut slot) = results[i].lock() {
                        *slot = Some(result);
                    }
                }
            });
        }
    });
    results
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .map_err(|_| "a training thread panicked".to_string())?
                .unwrap_or_else(|| Err("a run did not finish".into()))
        })
        .collect()
}

fn resolve(cli: &Cli) -> Result<Vec<ExperimentConfig>, String> {
    let mut configs = Vec::new();
    for name in &cli.experiments {
        let names = presets::group(name).unwrap_or_else(|| vec![name.clone()]);
        for name in names {
            let mut config = match presets::preset(&name) {
                Some(config) => config,
                None if name.ends_with(".json") => {
                    let text =
                        std::fs::read_to_string(&name).map_err(|e| format!("{name}: {e}"))?;
                    serde_json::from_str(&text).map_err(|e| format!("{name}: {e}"))?
                }
                None => return Err(format!("unknown experiment `{name}` (try `dl101 list`)")),
            };
            config.epochs = cli.epochs.unwrap_or(config.epochs);
            config.seed = cli.seed.unwrap_or(config.seed);
            config.train_subset = cli.train_subset.or(config.train_subset);
            config.eval_subset = cli.eval_subset.or(config.eval_subset);
            config.probe_every = cli.probe_every.or(config.probe_every);
            configs.push(config);
        }
    }
    Ok(configs)
}

fn task_data(
    cli: &Cli,
    root: &Path,
    task: Task,
    seed: u64,
    cache: &mut HashMap<Task, TaskData>,
) -> Result<TaskData, String> {
    if let Some(data) = cache.get(&task) {
        return Ok(data.clone());
    }
    let data = load_task(task, root, seed, cli.cifar_batches).map_err(|e| e.to_string())?;
    cache.insert(task, data.clone());
    Ok(data)
}

fn run_one(
    cli: &Cli,
    device: &Device,
    root: &Path,
    config: ExperimentConfig,
    cache: &mut HashMap<Task, TaskData>,
    sources: &mut HashMap<String, Mlp>,
    bars: &MultiProgress,
) -> Result<Row, String> {
    let data = task_data(cli, root, config.task, config.seed, cache)?;
    let Some(transfer) = config.transfer.clone() else {
        let (row, trainer) = train_new(cli, device, config, data, bars)?;
        sources.insert(row.name.clone(), trainer.model().clone());
        return Ok(row);
    };
    let started = Instant::now();
    let trainer = {
        {
            if !sources.contains_key(&transfer.source) {
                let mut source = presets::preset(&transfer.source)
                    .ok_or_else(|| format!("unknown source preset {}", transfer.source))?;
                source.epochs = cli.epochs.unwrap_or(source.epochs);
                source.train_subset = cli.train_subset.or(source.train_subset);
                source.eval_subset = cli.eval_subset.or(source.eval_subset);
                let row = run_one(cli, device, root, source, cache, sources, bars)?;
                let _ = bars.println(format!("source {} done in {:.1}s", row.name, row.seconds));
            }
            let source = sources
                .get(&transfer.source)
                .ok_or("source model missing")?;
            Trainer::from_source(config.clone(), data, device, source)
        }
    }
    .map_err(|e| e.to_string())?;
    let (row, trainer) = finish(cli, config, trainer, started, bars)?;
    sources.insert(row.name.clone(), trainer.model().clone());
    Ok(row)
}

/// Builds a trainer from scratch and runs it to the end.
fn train_new(
    cli: &Cli,
    device: &Device,
    config: ExperimentConfig,
    data: TaskData,
    bars: &MultiProgress,
) -> Result<(Row, Trainer), String> {
    let started = Instant::now();
    let trainer = Trainer::new(config.clone(), data, device).map_err(|e| e.to_string())?;
    finish(cli, config, trainer, started, bars)
}

/// Trains to the end, tests, writes the history; the row for the table and the trained model.
fn finish(
    cli: &Cli,
    config: ExperimentConfig,
    mut trainer: Trainer,
    started: Instant,
    bars: &MultiProgress,
) -> Result<(Row, Trainer), String> {
    let say = |line: String| {
        let _ = bars.println(line);
    };
    say(format!("== {}: {}", config.name, config.description));
    let (note, train_seconds) = train(&mut trainer, &config.name, bars)?;
    let samples = trainer.history().epochs.len() * trainer.data().train.len();
    let rate = samples as f64 / train_seconds.max(f64::MIN_POSITIVE);
    say(format!(
        "[{}] {samples} training samples in {train_seconds:.1} s: {rate:.0} samples/s",
        config.name
    ));
    let test = pollster::block_on(trainer.evaluate_test()).map_err(|e| e.to_string())?;
    say(format!(
        "[{}] test accuracy: {:.4}",
        config.name, test.accuracy
    ));
    if let Some(mc) = config.mc_dropout {
        let prediction = pollster::block_on(trainer.mc_dropout(mc.images, mc.samples))
            .map_err(|e| e.to_string())?;
        say(mc_lines(&prediction));
    }
    let path = cli.out.join(format!("{}.json", config.name));
    let json = serde_json::to_string_pretty(trainer.history()).map_err(|e| e.to_string())?;
    std::fs::write(&path, json).map_err(|e| format!("{}: {e}", path.display()))?;
    if let Some(dir) = &cli.reference {
        let file = ReferenceFile::of(&config, trainer.history(), trainer.data().train.len());
        let path = dir.join(format!("{}.json", config.name));
        let json = serde_json::to_string(&file).map_err(|e| e.to_string())?;
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        std::fs::write(&path, json + "\n").map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let row = Row {
        name: config.name,
        last: trainer.history().epochs.last().cloned(),
        test: Some(test.accuracy),
        note,
        seconds: started.elapsed().as_secs_f64(),
        rate,
    };
    Ok((row, trainer))
}

/// Trains to the end with a progress bar; returns a note (divergence, early stop) and the
/// seconds spent in training steps (the epochs' validation passes included, the test not).
fn train(trainer: &mut Trainer, name: &str, bars: &MultiProgress) -> Result<(String, f64), String> {
    let started = Instant::now();
    let bar = bars.add(ProgressBar::new(trainer.total_steps() as u64));
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} steps {elapsed} eta {eta} {msg}")
            .map_err(|e| e.to_string())?,
    );
    let epochs = trainer.config().epochs;
    let mut note = String::new();
    while !trainer.is_finished() {
        let report = pollster::block_on(trainer.advance(50)).map_err(|e| e.to_string())?;
        bar.inc(report.steps as u64);
        if let Some(loss) = report.losses.last() {
            bar.set_message(format!("{name} loss {loss:.4}"));
        }
        for event in &report.events {
            match event {
                Event::EpochEnd(e) => bar.println(format!("[{name}] {}", epoch_line(e, epochs))),
                Event::Finished => {}
                other => {
                    bar.println(format!("[{name}] {}", other.describe()));
                    note = other.describe();
                }
            }
        }
    }
    bar.finish_and_clear();
    Ok((note, started.elapsed().as_secs_f64()))
}

fn epoch_line(e: &EpochReport, epochs: usize) -> String {
    let valid = e
        .valid
        .map(|v| format!(", valid metric: {:.4}", v.accuracy))
        .unwrap_or_default();
    let penalty = e
        .train_penalty
        .map(|p| format!(", penalty: {p:.4}"))
        .unwrap_or_default();
    let best = if e.best { " (best)" } else { "" };
    format!(
        "Epoch {}/{epochs}, train loss: {:.4}, train metric: {:.4}{valid}{penalty}, lr: {:.5}{best}",
        e.epoch, e.train_loss, e.train_accuracy, e.lr
    )
}

fn mc_lines(prediction: &dl101_core::predict::McPrediction) -> String {
    let mut lines = vec!["MC dropout (mean ± std per class):".to_string()];
    for (i, (mean, std)) in prediction.mean.iter().zip(&prediction.std).enumerate() {
        let cells: Vec<String> = mean
            .iter()
            .zip(std)
            .map(|(m, s)| format!("{m:.2}±{s:.2}"))
            .collect();
        lines.push(format!(
            "  image {i} (label {}): {}",
            prediction.labels[i],
            cells.join(" ")
        ));
    }
    lines.join("\n")
}

fn print_table(rows: &[Row]) {
    println!();
    println!(
        "{:24} {:>6} {:>10} {:>9} {:>9} {:>9} {:>8} {:>9}  note",
        "experiment",
        "epochs",
        "train loss",
        "train acc",
        "valid acc",
        "test acc",
        "time s",
        "samples/s"
    );
    for row in rows {
        let (epochs, loss, train_acc, valid) = match &row.last {
            Some(e) => (
                e.epoch,
                e.train_loss,
                e.train_accuracy,
                e.valid.map(|v| v.accuracy),
            ),
            None => (0, f64::NAN, f64::NAN, None),
        };
        let fmt = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or_else(|| "-".into());
        println!(
            "{:24} {:>6} {:>10.4} {:>9.4} {:>9} {:>9} {:>8.1} {:>9.0}  {}",
            row.name,
            epochs,
            loss,
            train_acc,
            fmt(valid),
            fmt(row.test),
            row.seconds,
            row.rate,
            row.note
        );
    }
}
