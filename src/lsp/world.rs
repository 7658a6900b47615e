//! What a request is answered from: the newest snapshot of the index, the open buffers, and
//! the vault's place on disk (paths relative to the vault, URIs as the editor names files).

use super::indexer::{relative, Snapshot};
use crate::vault::Vault;
use lsp_types::Url;
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// An open buffer.
pub struct Document {
    pub uri: Url,
    pub text: String,
    pub version: i32,
}

/// Open buffers by path relative to the vault.
pub type Documents = HashMap<String, Document>;

/// Where the vault is: as the editor names it (for URIs) and with links resolved (as the
/// watcher names paths).
#[derive(Debug, Clone)]
pub struct Place {
    pub shown: PathBuf,
    pub canonical: PathBuf,
}

impl Place {
    /// The path relative to the vault of a `file:` URI inside it.
    pub fn rel(&self, uri: &Url) -> Option<String> {
        let path = uri.to_file_path().ok()?;
        relative(&self.shown, &path)
            .or_else(|| relative(&self.canonical, &path))
            .or_else(|| {
                let dir = path.parent()?.canonicalize().ok()?;
                relative(&self.canonical, &dir.join(path.file_name()?))
            })
    }

    pub fn uri(&self, rel: &str) -> Url {
        let path = rel
            .split('/')
            .fold(self.shown.clone(), |path, part| path.join(part));
        Url::from_file_path(&path).unwrap_or_else(|()| {
            Url::parse(&format!("file:///{rel}")).expect("a file URL from a relative path")
        })
    }
}

pub struct World<'a> {
    pub place: &'a Place,
    pub snapshot: &'a Snapshot,
    pub docs: &'a Documents,
}

impl<'a> World<'a> {
    pub fn vault(&self) -> &'a Vault {
        &self.snapshot.vault
    }

    /// A note's text: the open buffer's, else the file's (none when it cannot be read).
    pub fn text(&self, rel: &str) -> Option<Cow<'a, str>> {
        if let Some(doc) = self.docs.get(rel) {
            return Some(Cow::Borrowed(&doc.text));
        }
        let bytes = std::fs::read(self.place.canonical.join(rel)).ok()?;
        Some(Cow::Owned(String::from_utf8_lossy(&bytes).into_owned()))
    }

    pub fn uri(&self, rel: &str) -> Url {
        match self.docs.get(rel) {
            Some(doc) => doc.uri.clone(),
            None => self.place.uri(rel),
        }
    }

    /// The index of the partner whose note is at `rel`.
    pub fn partner_at(&self, rel: &str) -> Option<usize> {
        let partners = &self.vault().partners;
        partners
            .binary_search_by(|p| crate::discover::path_order(&p.path, rel))
            .ok()
            .or_else(|| partners.iter().position(|p| p.path == rel))
    }
}

/// `Path` helper: a vault's root as the editor showed it, made absolute.
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
