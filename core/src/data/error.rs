//! Typed errors for dataset parsing.

/// Why a dataset file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// The input ends before the header or payload says it should.
    #[error("{what}: truncated, expected {expected} bytes, found {found}")]
    Truncated {
        /// Which file or part.
        what: &'static str,
        /// Bytes needed.
        expected: usize,
        /// Bytes present.
        found: usize,
    },
    /// The idx magic number is wrong.
    #[error("not an idx file: magic bytes {0:02x?}")]
    BadMagic([u8; 4]),
    /// An idx element type other than unsigned bytes.
    #[error("unsupported idx element type 0x{0:02x} (only 0x08, unsigned byte)")]
    UnsupportedType(u8),
    /// The gzip stream is corrupt.
    #[error("corrupt gzip stream: {0}")]
    Gzip(String),
    /// The PNG is corrupt or not the expected layout.
    #[error("bad CIFAR-10 PNG batch: {0}")]
    Png(String),
    /// Labels JSON is malformed.
    #[error("bad labels JSON: {0}")]
    Json(String),
    /// Shapes of images and labels disagree, or a shape is unexpected.
    #[error("{0}")]
    Shape(String),
    /// A label outside the class range.
    #[error("label {label} out of range (classes: {classes})")]
    Label {
        /// The label found.
        label: u8,
        /// Number of classes.
        classes: usize,
    },
    /// Reading a file (native runner only).
    #[error("cannot read {path}: {message}")]
    Io {
        /// The path tried.
        path: String,
        /// The OS error.
        message: String,
    },
}
