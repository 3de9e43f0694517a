//! Compression as the backend serves the app: gzip level 9 and brotli quality 11. The release
//! build gets precompressed twins (`file.br`, `file.gz`) so no request pays for compression.

use anyhow::{Context, anyhow};
use std::fs;
use std::io::Write;
use std::path::Path;

use crate::shell::Result;

/// gzip at level 9.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder
        .write_all(bytes)
        .expect("writing to memory cannot fail");
    encoder.finish().expect("writing to memory cannot fail")
}

/// brotli at quality 11 with a 4 MB window.
pub fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut output = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut output, &params)
        .expect("compressing in memory cannot fail");
    output
}

/// Whether a dist/ entry is a precompressed twin rather than a file of the app.
pub fn is_twin(name: &str) -> bool {
    name.ends_with(".gz") || name.ends_with(".br")
}

/// Writes `.br` and `.gz` twins next to every file of `dist` (except index.html, which the
/// backend serves from memory) and removes stale twins.
pub fn precompress(dist: &Path) -> Result {
    let read_error = |e: std::io::Error| anyhow!("cannot read {}: {e}", dist.display());
    for entry in fs::read_dir(dist).map_err(read_error)? {
        let path = entry.map_err(read_error)?.path();
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if is_twin(&name) {
            fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()))?;
        }
    }
    for entry in fs::read_dir(dist).map_err(read_error)? {
        let path = entry.map_err(read_error)?.path();
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if !path.is_file() || name == "index.html" {
            continue;
        }
        let bytes = fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        for (suffix, compressed) in [("br", brotli(&bytes)), ("gz", gzip(&bytes))] {
            let twin = dist.join(format!("{name}.{suffix}"));
            fs::write(&twin, compressed)
                .with_context(|| format!("cannot write {}", twin.display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressed_data_is_smaller_and_twins_are_recognised() {
        let text = "Identifizierung mit Ihrem Bankkonto. ".repeat(100);
        assert!(gzip(text.as_bytes()).len() < text.len() / 10);
        assert!(brotli(text.as_bytes()).len() < text.len() / 10);
        assert!(is_twin("app.js.br") && is_twin("app.js.gz") && !is_twin("app.js"));
    }
}
