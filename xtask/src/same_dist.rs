//! Whether two builds of the app are the same, file by file: `cargo xtask run` builds dist/
//! without Trunk, `trunk build --release` (the release path) with it, and the test command
//! checks that both give the same bytes.

use anyhow::{Context, anyhow};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::shell::Result;

/// Fails, naming the first difference, unless `left` and `right` hold the same files (paths
/// and contents, subfolders included).
pub fn check_same_files(left: &Path, right: &Path) -> Result {
    let (left_files, right_files) = (files_of(left)?, files_of(right)?);
    for (path, bytes) in &left_files {
        match right_files.get(path) {
            None => {
                return Err(anyhow!(
                    "{path} is in {} but not in {}",
                    left.display(),
                    right.display()
                ));
            }
            Some(other) if other != bytes => {
                return Err(anyhow!(
                    "{path} differs between {} and {}",
                    left.display(),
                    right.display()
                ));
            }
            Some(_) => {}
        }
    }
    if let Some(path) = right_files
        .keys()
        .find(|path| !left_files.contains_key(*path))
    {
        return Err(anyhow!(
            "{path} is in {} but not in {}",
            right.display(),
            left.display()
        ));
    }
    println!(
        "==> {} and {} hold the same {} files",
        left.display(),
        right.display(),
        left_files.len()
    );
    Ok(())
}

/// Every file under `dir` by its path relative to `dir`, with its bytes.
fn files_of(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut files = BTreeMap::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let entries =
            fs::read_dir(&folder).with_context(|| format!("cannot read {}", folder.display()))?;
        for entry in entries {
            let path = entry
                .with_context(|| format!("cannot read {}", folder.display()))?
                .path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let bytes =
                    fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
                let relative = path.strip_prefix(dir).unwrap_or(&path);
                files.insert(relative.to_string_lossy().into_owned(), bytes);
            }
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_extra_or_changed_file_is_named() {
        let base = std::env::temp_dir().join(format!("xtask-same-{}", std::process::id()));
        let (left, right) = (base.join("left"), base.join("right"));
        for dir in [&left, &right] {
            fs::create_dir_all(dir.join("app-1")).unwrap();
            fs::write(dir.join("index.html"), "x").unwrap();
            fs::write(dir.join("app-1/a.wasm"), "a").unwrap();
        }
        assert!(check_same_files(&left, &right).is_ok());
        fs::write(right.join("app-1/a.wasm"), "b").unwrap();
        let changed = check_same_files(&left, &right).unwrap_err().to_string();
        assert!(changed.contains("app-1/a.wasm differs"), "{changed}");
        fs::write(right.join("app-1/a.wasm"), "a").unwrap();
        fs::write(right.join("extra.js"), "").unwrap();
        let extra = check_same_files(&left, &right).unwrap_err().to_string();
        assert!(extra.starts_with("extra.js is in"), "{extra}");
        fs::remove_dir_all(&base).unwrap();
    }
}
