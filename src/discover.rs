//! Finding the vault's notes on disk: which files to read, and which to leave alone.

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::note::Role;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Notes larger than this are skipped with a warning (checked when the note is opened, so that
/// discovery needs no `stat` of every file).
pub const MAX_NOTE_BYTES: u64 = 10 * 1024 * 1024;

/// A Markdown file to parse.
#[derive(Debug, Clone)]
pub struct NoteFile {
    pub path: PathBuf,
    /// Path relative to the vault root, `/`-separated.
    pub rel: String,
    pub role: Role,
}

/// Everything discovery found.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Notes to parse, in path order.
    pub notes: Vec<NoteFile>,
    /// Every other file a `[[link]]` may name: generated pages and attachments (relative paths).
    pub other_files: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A note's role by where it is: a partner under `partners_dir`, any other note elsewhere.
pub fn role_of(rel: &str, config: &Config) -> Role {
    if within(rel, &config.partners_dir) {
        Role::Partner
    } else {
        Role::Other
    }
}

/// Walks the vault: skips hidden entries (`.git`, `.obsidian`, `.vault`, and the writer's
/// temporary files `.vault-tmp-*`, which must never be indexed), the templates folder,
/// oversized files, symbolic links and anything that is not a regular file (a FIFO named
/// `x.md` would block a reader forever); never reads file contents.
pub fn discover(root: &Path, config: &Config) -> Discovery {
    let mut found = Discovery::default();
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    // Unsorted: sorting each folder's entries by name inside walkdir splits paths again at every
    // comparison; the paths are sorted once at the end instead.
    let mut walker = WalkDir::new(root).into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                found.diagnostics.push(walk_problem(root, &error));
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let rel = relative(root, entry.path());
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if entry.path_is_symlink() {
            // Links are never followed: a target inside the vault is read at its own path (so
            // nothing is indexed twice); one outside, or a loop, is reported and left alone.
            if let Some(problem) = symlink_problem(entry.path(), &canonical_root, &rel) {
                found.diagnostics.push(problem);
            }
            continue;
        }
        let is_dir = entry.file_type().is_dir();
        if hidden || (is_dir && within(&rel, &config.templates_dir)) {
            if is_dir {
                if !hidden {
                    found
                        .diagnostics
                        .extend(linked_templates(entry.path(), &rel));
                }
                walker.skip_current_dir();
            }
            continue;
        }
        if is_dir {
            continue;
        }
        let is_note = rel.ends_with(".md");
        if !entry.file_type().is_file() {
            // A FIFO, socket or device: opening it could block forever, so it is never read.
            if is_note {
                found.diagnostics.push(special_file(&entry, &rel));
            }
            continue;
        }
        if !is_note || within(&rel, &config.reviews_dir) {
            found.other_files.push(rel);
            continue;
        }
        found.notes.push(NoteFile {
            path: entry.into_path(),
            role: role_of(&rel, config),
            rel,
        });
    }
    found
        .notes
        .sort_unstable_by(|a, b| path_order(&a.rel, &b.rel));
    found.other_files.sort_unstable_by(|a, b| path_order(a, b));
    found
}

/// The order of a walk that lists each folder's entries by name: relative paths compared
/// folder by folder (`a/z.md` before `a-b.md`), as if `/` sorted before every other byte.
pub fn path_order(a: &str, b: &str) -> std::cmp::Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let differ = a.iter().zip(b).position(|(x, y)| x != y);
    match differ {
        Some(i) => {
            let rank = |byte: u8| if byte == b'/' { 0 } else { u16::from(byte) + 1 };
            rank(a[i]).cmp(&rank(b[i]))
        }
        None => a.len().cmp(&b.len()),
    }
}

/// Why a symbolic link deserves a warning: it loops back to a folder above it, cannot be
/// resolved, or leads out of the vault. `None` for a link to a place inside the vault.
fn symlink_problem(link: &Path, canonical_root: &Path, rel: &str) -> Option<Diagnostic> {
    let target = match link.canonicalize() {
        Ok(target) => target,
        Err(error) => {
            return Some(
                Diagnostic::warning(
                    "symlink-loop",
                    format!("symbolic link cannot be resolved ({error}); not followed"),
                )
                .in_file(rel)
                .hint("remove the link or point it at an existing file"),
            )
        }
    };
    let link_dir = link.parent().and_then(|p| p.canonicalize().ok());
    if link_dir.is_some_and(|dir| dir.starts_with(&target)) {
        return Some(
            Diagnostic::warning(
                "symlink-loop",
                "symbolic link loops back to a folder above it; not followed",
            )
            .in_file(rel)
            .hint("remove the link or point it somewhere else"),
        );
    }
    if !target.starts_with(canonical_root) {
        return Some(
            Diagnostic::warning(
                "symlink-outside",
                "symbolic link leads out of the vault; not followed",
            )
            .in_file(rel)
            .hint("move the target into the vault, or remove the link"),
        );
    }
    None
}

/// Templates that are symbolic links: `vault review` refuses to read them, `check` says so.
fn linked_templates(dir: &Path, rel: &str) -> Vec<Diagnostic> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<Diagnostic> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_symlink()))
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            Diagnostic::warning(
                "template-symlink",
                "this template is a symbolic link; `vault` reads templates only as regular files",
            )
            .in_file(&format!("{rel}/{name}"))
            .hint("replace the link with a copy of the file it points to")
        })
        .collect();
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found
}

fn special_file(entry: &walkdir::DirEntry, rel: &str) -> Diagnostic {
    use std::os::unix::fs::FileTypeExt;
    let kind = entry.file_type();
    let what = if kind.is_fifo() {
        "a named pipe (FIFO)"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "a device"
    };
    Diagnostic::warning(
        "not-a-file",
        format!("this is {what}, not a regular file; skipped"),
    )
    .in_file(rel)
    .hint("only regular files are read; move it out of the vault or rename it")
}

/// True when `rel` is `dir` or inside it; an empty `dir` holds everything.
pub fn within(rel: &str, dir: &str) -> bool {
    dir.is_empty()
        || dir == "."
        || rel == dir
        || rel
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// `path` relative to `root`, as text (`/`-separated, as walkdir joins them on Unix).
fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

fn walk_problem(root: &Path, error: &walkdir::Error) -> Diagnostic {
    let rel = error.path().map(|p| relative(root, p)).unwrap_or_default();
    let cause = error
        .io_error()
        .map_or_else(|| error.to_string(), |e| e.to_string());
    Diagnostic::error("unreadable", format!("cannot read this entry: {cause}"))
        .in_file(&rel)
        .hint("check the file's permissions")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_sort_folder_by_folder() {
        let mut paths = vec!["a-b.md", "a/z.md", "a/b/c.md", "a.md", "B.md", "a/a.md"];
        paths.sort_by(|a, b| path_order(a, b));
        assert_eq!(
            paths,
            ["B.md", "a/a.md", "a/b/c.md", "a/z.md", "a-b.md", "a.md"]
        );
    }

    #[test]
    fn within_matches_whole_folder_names() {
        assert!(within("partners/a.md", "partners"));
        assert!(within("partners/x/a.md", "partners"));
        assert!(!within("partners-old/a.md", "partners"));
        assert!(within("anything.md", ""));
    }

    #[test]
    fn the_writers_temporary_files_are_never_found() {
        let dir = tempfile::tempdir().unwrap();
        for rel in [
            "partners/ana.md",
            "partners/.vault-tmp-a1B2c3D4e5F6.tmp",
            "reviews/.vault-tmp-Z9y8X7w6V5u4.tmp",
            ".vault-tmp-Q1w2E3r4T5y6.tmp",
        ] {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "---\nname: Temp\n---\n").unwrap();
        }
        let found = discover(dir.path(), &Config::default());
        let notes: Vec<&str> = found.notes.iter().map(|n| n.rel.as_str()).collect();
        assert_eq!(notes, ["partners/ana.md"]);
        assert!(found.other_files.is_empty(), "{:?}", found.other_files);
        assert!(found.diagnostics.is_empty(), "{:?}", found.diagnostics);
    }
}
