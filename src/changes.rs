//! What a changed path means to `vault watch`: a note, another file that links may name, a
//! template, the settings, one of the tool's own outputs, or nothing to act on (hidden files and
//! folders, editors' swap, backup and probe files).

use crate::config::Config;
use crate::discover::within;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A Markdown note, relative to the vault.
    Note(String),
    /// Any other file or a folder: links may name it, or notes may have moved with it.
    Other,
    /// A file in `templates_dir`.
    Template,
    /// The settings file.
    Settings,
    /// A review page or the reminders calendar: written by the tool itself.
    Output,
    /// Nothing to act on.
    Ignored,
}

/// What the change of `path` (absolute, as the watcher reports it) means in the vault at `root`
/// (also absolute) with these settings, read from `settings`.
pub fn classify(path: &Path, root: &Path, config: &Config, settings: &Path) -> Change {
    if path == settings {
        return Change::Settings;
    }
    let Ok(rel) = path.strip_prefix(root) else {
        return Change::Ignored;
    };
    let rel = rel.to_string_lossy();
    if rel.is_empty() {
        return Change::Other;
    }
    if rel.split('/').any(|part| part.starts_with('.')) {
        // `.git`, `.obsidian`, `.vault`, the writer's `.vault-tmp-*`, vim's `.x.md.swp`,
        // Emacs's `.#x.md` locks.
        return Change::Ignored;
    }
    if within(&rel, &config.reviews_dir) || rel == config.reminders_ics {
        return Change::Output;
    }
    if within(&rel, &config.templates_dir) {
        return Change::Template;
    }
    let name = rel.rsplit('/').next().unwrap_or(&rel);
    if is_editor_scratch(name) {
        return Change::Ignored;
    }
    if rel.ends_with(".md") {
        return Change::Note(rel.into_owned());
    }
    Change::Other
}

/// Files editors write beside the one being saved: vim's `4913` probe and `x.md~` backups,
/// Emacs's `#x.md#` autosaves, JetBrains' `x.md___jb_tmp___`, and the usual temporary and
/// backup suffixes.
fn is_editor_scratch(name: &str) -> bool {
    const SUFFIXES: [&str; 10] = [
        "~",
        ".swp",
        ".swo",
        ".swx",
        ".tmp",
        ".bak",
        ".orig",
        ".crswap",
        "___jb_tmp___",
        "___jb_old___",
    ];
    name.bytes().all(|b| b.is_ascii_digit())
        || (name.starts_with('#') && name.ends_with('#'))
        || SUFFIXES.iter().any(|suffix| name.ends_with(suffix))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(rel: &str) -> Change {
        let root = Path::new("/v");
        classify(
            &root.join(rel),
            root,
            &Config::default(),
            &root.join("vault.yaml"),
        )
    }

    #[test]
    fn notes_and_other_files() {
        assert_eq!(
            kind("partners/ana.md"),
            Change::Note("partners/ana.md".into())
        );
        assert_eq!(kind("meeting.md"), Change::Note("meeting.md".into()));
        assert_eq!(kind("assets/logo.png"), Change::Other);
        assert_eq!(kind("partners/old"), Change::Other);
        assert_eq!(kind(""), Change::Other);
    }

    #[test]
    fn settings_templates_and_own_outputs() {
        assert_eq!(kind("vault.yaml"), Change::Settings);
        assert_eq!(kind("templates/review.md.tera"), Change::Template);
        assert_eq!(kind("reviews/2026-W48.md"), Change::Output);
        assert_eq!(kind("reminders.ics"), Change::Output);
        assert_eq!(kind(".vault/index.bin"), Change::Ignored);
        let root = Path::new("/v");
        let elsewhere = Path::new("/etc/vault.yaml");
        let config = Config::default();
        assert_eq!(
            classify(elsewhere, root, &config, elsewhere),
            Change::Settings
        );
        assert_eq!(
            classify(Path::new("/w/a.md"), root, &config, elsewhere),
            Change::Ignored
        );
    }

    #[test]
    fn editors_scratch_files_and_hidden_ones_are_ignored() {
        for rel in [
            "partners/4913",
            "partners/ana.md~",
            "partners/.ana.md.swp",
            "partners/.#ana.md",
            "partners/#ana.md#",
            "partners/ana.md___jb_tmp___",
            "partners/ana.md___jb_old___",
            "partners/ana.md.tmp",
            "partners/.vault-tmp-a1B2c3D4e5F6.tmp",
            ".git/index",
            ".obsidian/workspace.json",
            "partners/.hidden/ana.md",
        ] {
            assert_eq!(kind(rel), Change::Ignored, "{rel}");
        }
    }
}
