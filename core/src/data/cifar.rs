//! CIFAR-10 parsers: the PNG batches of the shared dataset and the official binary format.

use super::DataError;

/// Pixels per image channel (32×32).
pub const CHANNEL_PIXELS: usize = 1024;
/// Features per image (3 channels, stored channel-major like torch's `ToImage` then `flatten`).
pub const IMAGE_FEATURES: usize = 3 * CHANNEL_PIXELS;
/// Class names in label order.
pub const CLASS_NAMES: [&str; 10] = [
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
];

/// Decodes one PNG batch (1024 wide, one image per row, pixels row-major RGB) into
/// channel-major images: `[rows, 3, 32, 32]` flattened.
///
/// # Errors
/// [`DataError::Png`] when the PNG is corrupt or its width is not 1024.
pub fn parse_png_batch(bytes: &[u8]) -> Result<Vec<u8>, DataError> {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder
        .read_info()
        .map_err(|e| DataError::Png(e.to_string()))?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| DataError::Png("image too large".into()))?;
    let mut buffer = vec![0u8; size];
    let info = reader
        .next_frame(&mut buffer)
        .map_err(|e| DataError::Png(e.to_string()))?;
    if info.width as usize != CHANNEL_PIXELS || info.bit_depth != png::BitDepth::Eight {
        return Err(DataError::Png(format!(
            "expected 1024 pixels per row at 8 bits, found {} at {:?}",
            info.width, info.bit_depth
        )));
    }
    let channels = match info.color_type {
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        other => return Err(DataError::Png(format!("unsupported color type {other:?}"))),
    };
    let rows = info.height as usize;
    let mut images = vec![0u8; rows * IMAGE_FEATURES];
    for row in 0..rows {
        let line = &buffer[row * info.line_size..][..CHANNEL_PIXELS * channels];
        let image = &mut images[row * IMAGE_FEATURES..][..IMAGE_FEATURES];
        for (pixel, rgb) in line.chunks_exact(channels).enumerate() {
            for c in 0..3 {
                image[c * CHANNEL_PIXELS + pixel] = rgb[c];
            }
        }
    }
    Ok(images)
}

/// Parses `{"labels": [..]}`.
///
/// # Errors
/// [`DataError::Json`] when malformed, [`DataError::Label`] for a label above 9.
pub fn parse_labels_json(bytes: &[u8]) -> Result<Vec<u8>, DataError> {
    #[derive(serde::Deserialize)]
    struct Labels {
        labels: Vec<u8>,
    }
    let labels: Labels =
        serde_json::from_slice(bytes).map_err(|e| DataError::Json(e.to_string()))?;
    if let Some(&label) = labels.labels.iter().find(|&&l| l >= 10) {
        return Err(DataError::Label { label, classes: 10 });
    }
    Ok(labels.labels)
}

/// Parses the official binary format: records of 1 label byte + 3072 channel-major pixels.
///
/// # Errors
/// [`DataError::Truncated`] if the length is not a whole number of records.
pub fn parse_binary_batch(bytes: &[u8]) -> Result<(Vec<u8>, Vec<u8>), DataError> {
    const RECORD: usize = 1 + IMAGE_FEATURES;
    if bytes.is_empty() || !bytes.len().is_multiple_of(RECORD) {
        return Err(DataError::Truncated {
            what: "CIFAR-10 binary batch",
            expected: bytes.len().div_ceil(RECORD).max(1) * RECORD,
            found: bytes.len(),
        });
    }
    let mut images = Vec::with_capacity(bytes.len() / RECORD * IMAGE_FEATURES);
    let mut labels = Vec::with_capacity(bytes.len() / RECORD);
    for record in bytes.chunks_exact(RECORD) {
        if record[0] >= 10 {
            return Err(DataError::Label {
                label: record[0],
                classes: 10,
            });
        }
        labels.push(record[0]);
        images.extend_from_slice(&record[1..]);
    }
    Ok((images, labels))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode_png(width: u32, rows: u32, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, width, rows);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().expect("header");
        writer.write_image_data(data).expect("data");
        writer.finish().expect("finish");
        out
    }

    #[test]
    fn png_rows_become_channel_major_images() {
        let mut data = vec![0u8; 2 * 1024 * 3];
        data[0..3].copy_from_slice(&[10, 20, 30]); // image 0, pixel 0
        data[1024 * 3 + 5 * 3..][..3].copy_from_slice(&[1, 2, 3]); // image 1, pixel 5
        let images = parse_png_batch(&encode_png(1024, 2, &data)).expect("parse");
        assert_eq!(images.len(), 2 * IMAGE_FEATURES);
        assert_eq!([images[0], images[1024], images[2048]], [10, 20, 30]);
        let second = &images[IMAGE_FEATURES..];
        assert_eq!([second[5], second[1024 + 5], second[2048 + 5]], [1, 2, 3]);
    }

    #[test]
    fn corrupt_png_is_a_typed_error() {
        let good = encode_png(1024, 1, &vec![7u8; 1024 * 3]);
        assert!(matches!(
            parse_png_batch(&good[..good.len() / 2]),
            Err(DataError::Png(_))
        ));
        assert!(matches!(
            parse_png_batch(&encode_png(8, 1, &[0; 24])),
            Err(DataError::Png(_))
        ));
    }

    #[test]
    fn binary_records_and_truncation() {
        let mut bytes = vec![3u8];
        bytes.extend(vec![9u8; IMAGE_FEATURES]);
        let (images, labels) = parse_binary_batch(&bytes).expect("parse");
        assert_eq!((images.len(), labels), (IMAGE_FEATURES, vec![3]));
        assert!(matches!(
            parse_binary_batch(&bytes[..100]),
            Err(DataError::Truncated { .. })
        ));
    }

    #[test]
    fn labels_json() {
        assert_eq!(
            parse_labels_json(br#"{"labels":[1,2]}"#).expect("ok"),
            vec![1, 2]
        );
        assert!(matches!(
            parse_labels_json(br#"{"labels":[12]}"#),
            Err(DataError::Label { .. })
        ));
        assert!(matches!(parse_labels_json(b"{"), Err(DataError::Json(_))));
    }
}
