//! The idx format of (Fashion-)MNIST, gzip-compressed or raw, parsed from bytes.

use std::io::Read;

use super::DataError;

/// An idx array of unsigned bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct IdxArray {
    /// Dimensions, outermost first (e.g. `[60000, 28, 28]`).
    pub dims: Vec<usize>,
    /// Row-major values.
    pub data: Vec<u8>,
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Decompresses `bytes` if they are gzip, else returns them unchanged.
///
/// # Errors
/// [`DataError::Gzip`] if the stream is corrupt or truncated.
pub fn maybe_gunzip(bytes: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>, DataError> {
    if !bytes.starts_with(&GZIP_MAGIC) {
        return Ok(std::borrow::Cow::Borrowed(bytes));
    }
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .map_err(|e| DataError::Gzip(e.to_string()))?;
    Ok(std::borrow::Cow::Owned(out))
}

/// Parses an idx file (gzip or raw) of unsigned bytes.
///
/// # Errors
/// [`DataError`] on a bad magic, a non-byte element type, or a truncated payload.
pub fn parse_idx(bytes: &[u8]) -> Result<IdxArray, DataError> {
    let bytes = maybe_gunzip(bytes)?;
    let header = bytes.get(..4).ok_or(DataError::Truncated {
        what: "idx header",
        expected: 4,
        found: bytes.len(),
    })?;
    let magic = [header[0], header[1], header[2], header[3]];
    if magic[0] != 0 || magic[1] != 0 || magic[3] == 0 {
        return Err(DataError::BadMagic(magic));
    }
    if magic[2] != 0x08 {
        return Err(DataError::UnsupportedType(magic[2]));
    }
    let rank = magic[3] as usize;
    let header_len = 4 + 4 * rank;
    let dims_bytes = bytes.get(4..header_len).ok_or(DataError::Truncated {
        what: "idx dimensions",
        expected: header_len,
        found: bytes.len(),
    })?;
    let dims: Vec<usize> = dims_bytes
        .chunks_exact(4)
        .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]) as usize)
        .collect();
    let count: usize = dims.iter().product();
    let payload = bytes
        .get(header_len..header_len + count)
        .ok_or(DataError::Truncated {
            what: "idx payload",
            expected: header_len + count,
            found: bytes.len(),
        })?;
    Ok(IdxArray {
        dims,
        data: payload.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn tiny_idx() -> Vec<u8> {
        let mut bytes = vec![0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3];
        bytes.extend(0u8..12);
        bytes
    }

    #[test]
    fn parses_raw_and_gzip() {
        let raw = tiny_idx();
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(&raw).expect("write");
        let gz = encoder.finish().expect("finish");
        for bytes in [raw, gz] {
            let array = parse_idx(&bytes).expect("parse");
            assert_eq!(array.dims, vec![2, 2, 3]);
            assert_eq!(array.data, (0u8..12).collect::<Vec<_>>());
        }
    }

    #[test]
    fn truncated_payload_is_a_typed_error() {
        let mut bytes = tiny_idx();
        bytes.truncate(20);
        assert!(matches!(
            parse_idx(&bytes),
            Err(DataError::Truncated {
                what: "idx payload",
                ..
            })
        ));
        assert!(matches!(
            parse_idx(&[0, 0]),
            Err(DataError::Truncated { .. })
        ));
    }

    #[test]
    fn bad_magic_and_type_are_rejected() {
        assert!(matches!(
            parse_idx(&[1, 2, 3, 4]),
            Err(DataError::BadMagic(_))
        ));
        assert!(matches!(
            parse_idx(&[0, 0, 0x0d, 1, 0, 0, 0, 0]),
            Err(DataError::UnsupportedType(0x0d))
        ));
    }

    #[test]
    fn corrupt_gzip_is_a_typed_error() {
        let bytes = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff];
        assert!(matches!(parse_idx(&bytes), Err(DataError::Gzip(_))));
    }
}
