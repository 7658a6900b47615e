//! Resolving link targets to files and partners, as Obsidian does: by path, else by file name,
//! else by a partner's name or alias; case-insensitive, after Unicode NFC normalisation.

use crate::markdown::LinkForm;
use rustc_hash::FxHashMap;
use smallvec::SmallVec;
use std::borrow::Cow;
use std::cell::OnceCell;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// A name as the resolver compares it: NFC, lowercase, trimmed, `/`-separated.
pub fn key(text: &str) -> String {
    normalised(text).into_owned()
}

/// [`key`], borrowing `text` when it already is one (most paths are lowercase ASCII).
fn normalised(text: &str) -> Cow<'_, str> {
    let text = text.trim();
    // One pass that never stops early, so that it is done many bytes at a time.
    let (upper, wide) = text.bytes().fold((false, false), |(upper, wide), b| {
        (upper | b.is_ascii_uppercase(), wide | !b.is_ascii())
    });
    if !wide {
        // Most names: nothing to normalise.
        return if upper {
            Cow::Owned(text.to_ascii_lowercase())
        } else {
            Cow::Borrowed(text)
        };
    }
    // Text is nearly always composed already; the quick check says so without composing it.
    if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        return Cow::Owned(text.to_lowercase());
    }
    Cow::Owned(text.nfc().collect::<String>().to_lowercase())
}

/// One file a link may name.
struct File {
    /// The path relative to the vault, `/`-separated, as written.
    path: String,
    /// The normalised path, without `.md` for notes.
    key: String,
    partner: Option<usize>,
}

/// What a link names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Partner(usize),
    /// A note or file that is no partner.
    File,
    Nothing,
}

/// The outcome of resolving one target: what it names, and the paths of every file that
/// matched when more than one did (the first is the one chosen).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    pub target: Target,
    pub ambiguous: Vec<String>,
    /// The file chosen, when the target names one (see [`Resolver::path`]); none for a
    /// partner found by name or alias.
    pub file: Option<usize>,
}

/// The note links are written in: its folder, worked out once for all its links, and only
/// when one needs it (most name a file name that a single file has, or a partner).
pub struct LinkSource<'a> {
    path: &'a str,
    folder: OnceCell<Option<String>>,
}

impl<'a> LinkSource<'a> {
    pub fn new(path: &'a str) -> LinkSource<'a> {
        LinkSource {
            path,
            folder: OnceCell::new(),
        }
    }

    fn folder(&self) -> Option<&str> {
        let folder = || {
            normalised(self.path)
                .rsplit_once('/')
                .map(|(f, _)| f.to_string())
        };
        self.folder.get_or_init(folder).as_deref()
    }
}

/// Every file and partner name of a vault, indexed for resolving links.
pub struct Resolver {
    files: Vec<File>,
    /// Each trailing part of each file's key at a folder boundary (`bob`, `team-b/bob`,
    /// `partners/team-b/bob`) -> files.
    by_suffix: FxHashMap<String, Ids>,
    /// Partner names and aliases -> partners (more than one only when duplicated).
    by_name: FxHashMap<String, Ids>,
}

/// The files or partners a key names: nearly always one, kept without a heap allocation.
type Ids = SmallVec<[usize; 1]>;

impl Resolver {
    pub fn new() -> Resolver {
        Resolver::with_capacity(0, 0)
    }

    /// A resolver with room for about `files` files and `names` names and aliases.
    pub fn with_capacity(files: usize, names: usize) -> Resolver {
        Resolver {
            files: Vec::with_capacity(files),
            // A file has a suffix per folder it is in, and its own name.
            by_suffix: FxHashMap::with_capacity_and_hasher(files * 3, Default::default()),
            by_name: FxHashMap::with_capacity_and_hasher(names, Default::default()),
        }
    }

    /// Adds a file (a note, or any other file a link may name), with its partner if it is one.
    pub fn add_file(&mut self, path: &str, partner: Option<usize>) {
        let lowered = normalised(path);
        let file_key = strip_md(&lowered).to_string();
        let id = self.files.len();
        let after_slashes = file_key.bytes().enumerate().filter(|&(_, b)| b == b'/');
        for from in std::iter::once(0).chain(after_slashes.map(|(slash, _)| slash + 1)) {
            self.by_suffix
                .entry(file_key[from..].to_string())
                .or_default()
                .push(id);
        }
        self.files.push(File {
            path: path.to_string(),
            key: file_key,
            partner,
        });
    }

    /// Adds a partner's name or alias; returns the first other partner that already had it
    /// (none when only this partner did: its name and an alias may be the same).
    pub fn add_name(&mut self, name: &str, partner: usize) -> Option<usize> {
        let entry = self.by_name.entry(key(name)).or_default();
        if entry.contains(&partner) {
            return None;
        }
        let first = entry.first().copied();
        entry.push(partner);
        first
    }

    /// Resolves `target` written as `form` in the note `source` (worked out once per note).
    pub fn resolve(&self, target: &str, form: LinkForm, source: &LinkSource) -> Resolution {
        let wanted = if target.contains('\\') {
            Cow::Owned(key(&target.replace('\\', "/")))
        } else {
            normalised(target)
        };
        let wanted = strip_md(&wanted);
        if wanted.is_empty() {
            return self.nothing();
        }
        let exact;
        let files: &[usize] = if form == LinkForm::Markdown || is_relative(wanted) {
            // A path from the linking note's folder, else from the vault root, else (as
            // Obsidian falls back) a trailing part of a path.
            exact = [
                join(source.folder().unwrap_or(""), wanted),
                Some(wanted.trim_start_matches('/').to_string()),
            ]
            .into_iter()
            .flatten()
            .find_map(|path| self.exact(&path));
            match &exact {
                Some(id) => std::slice::from_ref(id),
                None => self.suffix(wanted.trim_start_matches('/')),
            }
        } else {
            self.suffix(wanted)
        };
        if !files.is_empty() {
            return self.choose(files, source);
        }
        match self.by_name.get(wanted).and_then(|p| p.first()) {
            Some(&partner) => Resolution {
                target: Target::Partner(partner),
                ambiguous: Vec::new(),
                file: None,
            },
            None => self.nothing(),
        }
    }

    /// The path of a file a [`Resolution`] chose, as written.
    pub fn path(&self, file: usize) -> &str {
        &self.files[file].path
    }

    fn nothing(&self) -> Resolution {
        Resolution {
            target: Target::Nothing,
            ambiguous: Vec::new(),
            file: None,
        }
    }

    fn exact(&self, path: &str) -> Option<usize> {
        self.by_suffix
            .get(path)?
            .iter()
            .copied()
            .find(|&id| self.files[id].key == path)
    }

    fn suffix(&self, wanted: &str) -> &[usize] {
        self.by_suffix.get(wanted).map_or(&[], Ids::as_slice)
    }

    /// Of several files, the one in the linking note's folder, else the one with the shortest
    /// path, else the first by path; the others are reported.
    fn choose(&self, files: &[usize], source: &LinkSource) -> Resolution {
        if let [only] = files {
            let file = &self.files[*only];
            return Resolution {
                target: file.partner.map_or(Target::File, Target::Partner),
                ambiguous: Vec::new(),
                file: Some(*only),
            };
        }
        let mut files = files.to_vec();
        let folder = source.folder();
        let elsewhere = |id: usize| {
            let file_folder = self.files[id].key.rsplit_once('/').map(|(f, _)| f);
            file_folder != folder
        };
        files.sort_by_key(|&id| {
            let file = &self.files[id];
            (
                elsewhere(id),
                file.key.matches('/').count(),
                file.key.clone(),
            )
        });
        let chosen = &self.files[files[0]];
        Resolution {
            target: chosen.partner.map_or(Target::File, Target::Partner),
            file: Some(files[0]),
            ambiguous: if files.len() > 1 {
                files
                    .iter()
                    .map(|&id| self.files[id].path.clone())
                    .collect()
            } else {
                Vec::new()
            },
        }
    }
}

impl Default for Resolver {
    fn default() -> Self {
        Resolver::new()
    }
}

fn strip_md(path: &str) -> &str {
    path.strip_suffix(".md").unwrap_or(path)
}

/// A query as [`names_file`] and [`names_partner`] compare it: a [`key`] without `.md`.
pub struct Query(String);

impl Query {
    pub fn new(query: &str) -> Query {
        Query(strip_md(&normalised(query)).to_string())
    }

    /// Whether the query names the note at `path` as links do: its whole path, or a trailing
    /// part after a `/` (its file name, say), without `.md`.
    pub fn names_file(&self, path: &str) -> bool {
        let file_key = normalised(path);
        let file_key = strip_md(&file_key);
        match file_key.strip_suffix(self.0.as_str()) {
            Some(rest) => !self.0.is_empty() && (rest.is_empty() || rest.ends_with('/')),
            None => false,
        }
    }

    /// Whether the query is `name` (a partner's name or alias), as links compare them.
    pub fn names(&self, name: &str) -> bool {
        normalised(name) == self.0.as_str()
    }
}

fn is_relative(path: &str) -> bool {
    path.starts_with("./") || path.starts_with("../") || path.starts_with('/')
}

/// `folder/path` with `.` and `..` worked out; `None` when `..` climbs out of the vault.
fn join(folder: &str, path: &str) -> Option<String> {
    if path.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use LinkForm::{Markdown, Wiki};

    fn resolver() -> Resolver {
        let mut r = Resolver::new();
        r.add_file("partners/team-a/bob.md", Some(0));
        r.add_file("partners/team-b/bob.md", Some(1));
        r.add_file("partners/x.md", Some(2));
        r.add_file("partners/Chloe\u{0308}.md", Some(3));
        r.add_file("notes/steve.md", None);
        r.add_file("assets/deck.pdf", None);
        r.add_name("Steve", 2);
        r.add_name("Ana Lopez", 2);
        r
    }

    fn target(r: &Resolver, t: &str, form: LinkForm, from: &str) -> Target {
        r.resolve(t, form, &LinkSource::new(from)).target
    }

    #[test]
    fn paths_name_that_path_and_nothing_else() {
        let r = resolver();
        let from = "notes/a.md";
        assert_eq!(target(&r, "team-b/bob", Wiki, from), Target::Partner(1));
        assert_eq!(target(&r, "Team-A/Bob", Wiki, from), Target::Partner(0));
        assert_eq!(
            target(&r, "partners/team-b/bob.md", Wiki, from),
            Target::Partner(1)
        );
        assert_eq!(target(&r, "wrongdir/x", Wiki, from), Target::Nothing);
        assert_eq!(
            target(&r, "../partners/x.md", Markdown, from),
            Target::Partner(2)
        );
        assert_eq!(
            target(&r, "x.md", Markdown, "partners/y.md"),
            Target::Partner(2)
        );
        assert_eq!(
            target(&r, "../x.md", Markdown, "notes/a.md"),
            Target::Nothing
        );
        assert_eq!(target(&r, "deck.pdf", Wiki, from), Target::File);
    }

    #[test]
    fn a_file_name_wins_over_an_alias() {
        let r = resolver();
        assert_eq!(target(&r, "steve", Wiki, "notes/a.md"), Target::File);
        assert_eq!(
            target(&r, "ana lopez", Wiki, "notes/a.md"),
            Target::Partner(2)
        );
    }

    #[test]
    fn same_file_names_prefer_the_linking_folder_and_are_reported() {
        let r = resolver();
        let found = r.resolve("bob", Wiki, &LinkSource::new("partners/team-b/z.md"));
        assert_eq!(found.target, Target::Partner(1));
        assert_eq!(
            found.ambiguous,
            vec!["partners/team-b/bob.md", "partners/team-a/bob.md"]
        );
        assert_eq!(target(&r, "bob", Wiki, "notes/a.md"), Target::Partner(0));
    }

    #[test]
    fn nfc_and_nfd_are_the_same_name() {
        let r = resolver();
        assert_eq!(
            target(&r, "Chlo\u{00eb}", Wiki, "notes/a.md"),
            Target::Partner(3)
        );
        assert!(Query::new("CHLO\u{00cb}").names("Chloe\u{0308}"));
    }

    #[test]
    fn a_query_names_a_file_by_its_path_or_a_trailing_part_of_it() {
        let path = "partners/Ana Lima.md";
        for named in [
            "ana lima",
            "Ana Lima.md",
            "partners/ana lima",
            "  PARTNERS/Ana Lima ",
        ] {
            assert!(Query::new(named).names_file(path), "{named}");
        }
        for not in ["lima", "a lima", "rtners/ana lima", "", "partners"] {
            assert!(!Query::new(not).names_file(path), "{not}");
        }
    }

    #[test]
    fn empty_targets_name_nothing() {
        let r = resolver();
        assert_eq!(target(&r, "", Wiki, "notes/a.md"), Target::Nothing);
        assert_eq!(target(&r, "  ", Wiki, "notes/a.md"), Target::Nothing);
    }
}
