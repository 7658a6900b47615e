//! Writing generated files safely: atomically (temporary file, then rename), and not at all
//! when the bytes would not change, so an unchanged page keeps its mtime and makes no git noise.

use anyhow::Context as _;
use std::io::Write as _;
use std::path::Path;

/// Whether a write changed the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Created,
    Updated,
    Unchanged,
}

impl Written {
    /// `wrote`, `updated` or `unchanged`, for telling the user.
    pub fn describe(self) -> &'static str {
        match self {
            Written::Created => "wrote",
            Written::Updated => "updated",
            Written::Unchanged => "unchanged",
        }
    }
}

/// Writes `bytes` to `path` unless it already holds exactly them. Creates parent folders.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> anyhow::Result<Written> {
    let existed = match std::fs::read(path) {
        Ok(current) if current == bytes => return Ok(Written::Unchanged),
        Ok(_) => true,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(e).with_context(|| format!("reading `{}`", path.display())),
    };
    write_atomic(path, bytes)?;
    Ok(if existed {
        Written::Updated
    } else {
        Written::Created
    })
}

/// Writes through a hidden temporary file in the same folder, then renames it into place, so
/// readers see the old bytes or the new ones, never a half-written file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("creating `{}`", dir.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.with_context(|| format!("writing `{}`", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_identical_bytes_and_replaces_others() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/page.md");
        assert_eq!(write_if_changed(&path, b"one").unwrap(), Written::Created);
        assert_eq!(write_if_changed(&path, b"one").unwrap(), Written::Unchanged);
        assert_eq!(write_if_changed(&path, b"two").unwrap(), Written::Updated);
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let leftovers = std::fs::read_dir(dir.path().join("sub")).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
    }
}
