//! The datasets, fetched from the site's `data/` folder on first need (the files
//! `scripts/datasets.py` writes, listed with their sizes and SHA-256 in `data/manifest.json`),
//! checked, kept in the browser's Cache Storage so a second visit loads without the network,
//! and decoded into the training core's splits.

use std::cell::Cell;

use dl101_core::data::{
    CIFAR10_CLASSES, Dataset, FASHION_CLASSES, FashionMnist, TaskData, maybe_gunzip, parse_idx,
    parse_png_batch,
};
use dl101_protocol::message::DataProblem;
use dl101_protocol::settings::{DataSet, DataSize};
use futures_util::future::try_join_all;
use js_sys::{Function, Promise, Reflect, Uint8Array};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Cache, DedicatedWorkerGlobalScope, Response};

/// The first Fashion-MNIST training image of the validation split (the manifest's last shard,
/// images 55,000–59,999).
const FASHION_VALID_FIRST: usize = 55_000;

/// Name of the browser cache holding the data files.
const CACHE_NAME: &str = dl101_protocol::DATA_CACHE;

/// One file of the manifest.
#[derive(Clone, Debug, Deserialize)]
pub struct FileEntry {
    /// Path under `data/`.
    pub file: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Hex SHA-256.
    pub sha256: String,
    /// First image it holds (image files).
    #[serde(default)]
    pub first: usize,
    /// Images it holds (image files).
    #[serde(default)]
    pub count: usize,
}

#[derive(Clone, Debug, Deserialize)]
struct FashionSet {
    images: Vec<FileEntry>,
    labels: FileEntry,
}

#[derive(Clone, Debug, Deserialize)]
struct FashionSets {
    train: FashionSet,
    t10k: FashionSet,
}

#[derive(Clone, Debug, Deserialize)]
struct FashionManifest {
    sets: FashionSets,
}

#[derive(Clone, Debug, Deserialize)]
struct CifarManifest {
    images: Vec<FileEntry>,
    labels: FileEntry,
}

#[derive(Clone, Debug, Deserialize)]
struct Manifest {
    #[serde(rename = "fashion-mnist")]
    fashion: FashionManifest,
    #[serde(rename = "cifar-10")]
    cifar: CifarManifest,
}

/// Why data could not be had; the page words it, with a retry button.
#[derive(Debug)]
pub struct DataFailure(pub DataProblem);

impl From<JsValue> for DataFailure {
    fn from(value: JsValue) -> Self {
        unreachable("", &value)
    }
}

fn unreachable(file: &str, error: &JsValue) -> DataFailure {
    DataFailure(DataProblem::Unreachable {
        file: file.into(),
        detail: js_error_text(error),
    })
}

fn unreadable(file: &str, detail: impl std::fmt::Display) -> DataFailure {
    DataFailure(DataProblem::Unreadable {
        file: file.into(),
        detail: detail.to_string(),
    })
}

/// A JS error or value as text.
pub fn js_error_text(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| format!("{value:?}"))
}

/// Progress of a download: bytes done, bytes in all, files served from the cache.
#[derive(Clone, Copy, Debug, Default)]
pub struct Progress {
    /// Bytes received or read from the cache.
    pub done: u64,
    /// Bytes of every file needed.
    pub total: u64,
    /// Files that came from Cache Storage.
    pub cached: u32,
    /// Downloaded files that could not be kept in Cache Storage (storage full or unavailable).
    pub uncached: u32,
}

/// Fetches files for the worker, reporting progress.
pub struct Fetcher<'a> {
    scope: &'a DedicatedWorkerGlobalScope,
    cache: Option<Cache>,
    /// Shared by the files fetched at once.
    progress: Cell<Progress>,
    report: &'a dyn Fn(Progress),
}

fn call0(target: &JsValue, method: &str) -> Result<JsValue, JsValue> {
    let function: Function = Reflect::get(target, &method.into())?.dyn_into()?;
    function.call0(target)
}

impl<'a> Fetcher<'a> {
    /// A fetcher; Cache Storage is used when the browser offers it (not on plain http from
    /// another host, nor in some private modes).
    pub async fn new(scope: &'a DedicatedWorkerGlobalScope, report: &'a dyn Fn(Progress)) -> Self {
        let cache = match scope.caches() {
            Ok(storage) => JsFuture::from(storage.open(CACHE_NAME))
                .await
                .ok()
                .and_then(|c| c.dyn_into::<Cache>().ok()),
            Err(_) => None,
        };
        Fetcher {
            scope,
            cache,
            progress: Cell::new(Progress::default()),
            report,
        }
    }

    async fn manifest(&self) -> Result<Manifest, DataFailure> {
        let response: Response = JsFuture::from(self.scope.fetch_with_str("data/manifest.json"))
            .await
            .map_err(|e| unreachable("data/manifest.json", &e))?
            .dyn_into()?;
        if !response.ok() {
            return Err(DataFailure(DataProblem::NoManifest {
                status: response.status(),
            }));
        }
        let text = JsFuture::from(response.text()?).await?;
        let text = text.as_string().unwrap_or_default();
        serde_json::from_str(&text).map_err(|e| unreadable("data/manifest.json", e))
    }

    /// Changes the progress and reports it.
    fn advance(&self, change: impl FnOnce(&mut Progress)) {
        let mut progress = self.progress.get();
        change(&mut progress);
        self.progress.set(progress);
        (self.report)(progress);
    }

    /// The bytes of one file, from the cache or the network, checked against the manifest.
    async fn file(&self, entry: &FileEntry) -> Result<Vec<u8>, DataFailure> {
        let url = format!("data/{}", entry.file);
        let key = format!("{url}?sha256={}", entry.sha256);
        if let Some(bytes) = self.cached(&key).await {
            if checks(&bytes, entry) {
                self.advance(|p| {
                    p.done += entry.bytes;
                    p.cached += 1;
                });
                return Ok(bytes);
            }
            if let Some(cache) = &self.cache {
                let _ = cache.delete_with_str(&key);
            }
        }
        let bytes = self.download(&url).await?;
        if bytes.len() as u64 != entry.bytes {
            return Err(DataFailure(DataProblem::Incomplete {
                file: url,
                got: bytes.len() as u64,
                expected: entry.bytes,
            }));
        }
        if !checks(&bytes, entry) {
            return Err(DataFailure(DataProblem::Corrupt { file: url }));
        }
        // Storage may be full or disabled: training goes on without the cache, and the page is
        // told how many files it will download again next time.
        if !self.keep(&key, &bytes).await {
            self.advance(|p| p.uncached += 1);
        }
        Ok(bytes)
    }

    /// Puts a checked file in Cache Storage; false if it could not be kept.
    async fn keep(&self, key: &str, bytes: &[u8]) -> bool {
        let Some(cache) = &self.cache else {
            return false;
        };
        let mut copy = bytes.to_vec();
        match Response::new_with_opt_u8_array(Some(&mut copy)) {
            Ok(response) => JsFuture::from(cache.put_with_str(key, &response))
                .await
                .is_ok(),
            Err(_) => false,
        }
    }

    /// Downloaded files that could not be kept in Cache Storage so far.
    pub fn uncached(&self) -> u32 {
        self.progress.get().uncached
    }

    async fn cached(&self, key: &str) -> Option<Vec<u8>> {
        let cache = self.cache.as_ref()?;
        let found = JsFuture::from(cache.match_with_str(key)).await.ok()?;
        let response: Response = found.dyn_into().ok()?;
        let buffer = JsFuture::from(response.array_buffer().ok()?).await.ok()?;
        Some(Uint8Array::new(&buffer).to_vec())
    }

    /// Streams a file, reporting progress as chunks arrive.
    async fn download(&self, url: &str) -> Result<Vec<u8>, DataFailure> {
        let response: Response = JsFuture::from(self.scope.fetch_with_str(url))
            .await
            .map_err(|e| unreachable(url, &e))?
            .dyn_into()?;
        if !response.ok() {
            return Err(DataFailure(DataProblem::Http {
                file: url.into(),
                status: response.status(),
            }));
        }
        let Some(body) = response.body() else {
            let buffer = JsFuture::from(response.array_buffer()?).await?;
            return Ok(Uint8Array::new(&buffer).to_vec());
        };
        let reader = call0(&body, "getReader")?;
        let mut bytes = Vec::new();
        loop {
            let chunk = JsFuture::from(Promise::from(call0(&reader, "read")?))
                .await
                .map_err(|e| unreachable(url, &e))?;
            if Reflect::get(&chunk, &"done".into())?.as_bool() == Some(true) {
                break;
            }
            let value = Uint8Array::new(&Reflect::get(&chunk, &"value".into())?);
            let start = bytes.len();
            bytes.resize(start + value.length() as usize, 0);
            value.copy_to(&mut bytes[start..]);
            self.advance(|p| p.done += u64::from(value.length()));
        }
        Ok(bytes)
    }

    /// Every file at once: the browser downloads them (or reads them from its cache) side by
    /// side. One after the other, each file waited out the round trips of the one before: 1.3 s
    /// for Fashion-MNIST in full from localhost, most of the wait from Train to the first step
    /// (README "Benchmark").
    async fn files(&self, entries: &[FileEntry]) -> Result<Vec<Vec<u8>>, DataFailure> {
        self.advance(|p| p.total += entries.iter().map(|e| e.bytes).sum::<u64>());
        try_join_all(entries.iter().map(|entry| self.file(entry))).await
    }

    /// Loads and decodes one dataset at one size.
    ///
    /// # Errors
    /// [`DataFailure`] naming the file that is missing, incomplete or corrupt.
    pub async fn load(&self, data: DataSet, size: DataSize) -> Result<Loaded, DataFailure> {
        let manifest = self.manifest().await?;
        match data {
            DataSet::Fashion => self.fashion(&manifest.fashion, size).await,
            DataSet::Cifar10 => self.cifar(&manifest.cifar, size).await,
        }
    }

    async fn fashion(
        &self,
        manifest: &FashionManifest,
        size: DataSize,
    ) -> Result<Loaded, DataFailure> {
        let train_set = &manifest.sets.train;
        let test_set = &manifest.sets.t10k;
        // Quick: the first training shard, the validation shard (images 55,000–59,999) and the
        // first test shard. Full: everything.
        let pick = |set: &FashionSet, keep: &dyn Fn(&FileEntry) -> bool| -> Vec<FileEntry> {
            set.images.iter().filter(|e| keep(e)).cloned().collect()
        };
        let (train, test) = match size {
            DataSize::Quick => (
                pick(train_set, &|e| {
                    e.first == 0 || e.first >= FASHION_VALID_FIRST
                }),
                pick(test_set, &|e| e.first == 0),
            ),
            DataSize::Full => (pick(train_set, &|_| true), pick(test_set, &|_| true)),
        };
        let mut all = train.clone();
        all.extend(test.iter().cloned());
        all.push(train_set.labels.clone());
        all.push(test_set.labels.clone());
        let bytes = self.files(&all).await?;
        let labels_train = idx_labels(&bytes[all.len() - 2], &train_set.labels.file)?;
        let labels_test = idx_labels(&bytes[all.len() - 1], &test_set.labels.file)?;
        // Each shard is decoded straight into its split: no 60,000-image set that the splits
        // would then be copied from (a worker's memory never shrinks, so a copy stays paid for).
        let (valid, fit): (Vec<_>, Vec<_>) = train
            .iter()
            .zip(&bytes)
            .partition(|(entry, _)| entry.first >= FASHION_VALID_FIRST);
        Ok(Loaded {
            task: TaskData {
                train: shards_to_dataset(&fit, &labels_train)?,
                valid: shards_to_dataset(&valid, &labels_train)?,
                test: shards_to_dataset(
                    &test.iter().zip(&bytes[train.len()..]).collect::<Vec<_>>(),
                    &labels_test,
                )?,
                class_names: FASHION_CLASSES.iter().map(|s| s.to_string()).collect(),
            },
            data: DataSet::Fashion,
        })
    }

    async fn cifar(&self, manifest: &CifarManifest, size: DataSize) -> Result<Loaded, DataFailure> {
        // The manifest's split: train [0, 45000), valid [45000, 50000), test [50000, 51000).
        let keep = |e: &FileEntry| match size {
            DataSize::Quick => {
                e.first < 5_000 || (45_000..46_000).contains(&e.first) || e.first >= 50_000
            }
            DataSize::Full => true,
        };
        let mut entries: Vec<FileEntry> = manifest
            .images
            .iter()
            .filter(|e| keep(e))
            .cloned()
            .collect();
        entries.sort_by_key(|e| e.first);
        let mut all = entries.clone();
        all.push(manifest.labels.clone());
        let bytes = self.files(&all).await?;
        let labels = &bytes[all.len() - 1];
        let (mut train, mut valid, mut test) = (empty(3072), empty(3072), empty(3072));
        for (entry, file) in entries.iter().zip(&bytes) {
            let pixels = parse_png_batch(file)
                .map_err(|e| unreadable(&format!("data/{}", entry.file), e))?;
            let end = entry.first + entry.count;
            let batch_labels = labels.get(entry.first..end).ok_or_else(|| {
                unreadable(
                    &format!("data/{}", manifest.labels.file),
                    format!("labels end before image {end}"),
                )
            })?;
            let target = if entry.first >= 50_000 {
                &mut test
            } else if entry.first >= 45_000 {
                &mut valid
            } else {
                &mut train
            };
            std::sync::Arc::make_mut(&mut target.pixels).extend_from_slice(&pixels);
            target.labels.extend_from_slice(batch_labels);
        }
        Ok(Loaded {
            task: TaskData {
                train,
                valid,
                test,
                class_names: CIFAR10_CLASSES.iter().map(|s| s.to_string()).collect(),
            },
            data: DataSet::Cifar10,
        })
    }
}

fn empty(features: usize) -> Dataset {
    Dataset {
        features,
        pixels: Default::default(),
        labels: Vec::new(),
    }
}

fn checks(bytes: &[u8], entry: &FileEntry) -> bool {
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    hex == entry.sha256
}

fn idx_labels(bytes: &[u8], name: &str) -> Result<Vec<u8>, DataFailure> {
    let file = format!("data/{name}");
    let raw = maybe_gunzip(bytes).map_err(|e| unreadable(&file, e))?;
    parse_idx(&raw)
        .map(|array| array.data)
        .map_err(|e| unreadable(&file, e))
}

/// Joins image shards (each a gzipped idx3 file, with its manifest entry) with their slice of
/// the labels, into pixels allocated once at their final size.
fn shards_to_dataset(
    shards: &[(&FileEntry, &Vec<u8>)],
    labels: &[u8],
) -> Result<Dataset, DataFailure> {
    let images: usize = shards.iter().map(|(entry, _)| entry.count).sum();
    let mut pixels = Vec::with_capacity(images * 784);
    let mut kept = Vec::with_capacity(images);
    for (entry, file) in shards {
        let name = format!("data/{}", entry.file);
        let raw = maybe_gunzip(file).map_err(|e| unreadable(&name, e))?;
        let array = parse_idx(&raw).map_err(|e| unreadable(&name, e))?;
        let end = entry.first + entry.count;
        let slice = labels
            .get(entry.first..end)
            .ok_or_else(|| unreadable(&name, "no labels for its images"))?;
        if array.data.len() != entry.count * 784 {
            return Err(unreadable(
                &name,
                format!("expected {} images of 28×28", entry.count),
            ));
        }
        pixels.extend_from_slice(&array.data);
        kept.extend_from_slice(slice);
    }
    Ok(Dataset {
        features: 784,
        pixels: pixels.into(),
        labels: kept,
    })
}

/// A decoded dataset: the splits to train on.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// Train / valid / test.
    pub task: TaskData,
    /// Which dataset it is.
    pub data: DataSet,
}

impl Loaded {
    /// Fashion-MNIST's original 60,000 training and 10,000 test images, which the transfer
    /// tasks are cut from: joined again from the splits for that job only (a copy of the
    /// training images while the tasks are cut).
    pub fn fashion_mnist(&self) -> Option<FashionMnist> {
        (self.data == DataSet::Fashion).then(|| FashionMnist {
            train: self.task.train.clone().concat(&self.task.valid),
            test: self.task.test.clone(),
        })
    }
}
