//! The vault index: every note parsed once, partners by name, mentions, and derived values.

use crate::cadence::Cadence;
use crate::config::{Config, DORMANT};
use crate::diagnostic::{self, Diagnostic};
use crate::discover::{self, NoteFile};
use crate::note::{self, Parsed};
use crate::partner::{NoteContent, OtherNote, Partner, Task, GAVE, GOT};
use crate::suggest;
use crate::validate;
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Values derived from a partner's note, the notes that mention it, the config and today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derived {
    pub cadence: Cadence,
    /// Newest of `last_contact`, Log dates and dated notes linking the partner (up to today).
    pub last_touch: Option<NaiveDate>,
    /// When the next touch is due; `None` for dormant partners.
    pub due: Option<NaiveDate>,
    /// `gave` and `got` Log entries within the reciprocity window.
    pub gave: usize,
    pub got: usize,
    /// The newest `gave` entry, at any time.
    pub last_gave: Option<NaiveDate>,
}

impl Derived {
    /// `gave - got` within the window.
    pub fn balance(&self) -> i64 {
        self.gave as i64 - self.got as i64
    }
}

/// Another note linking a partner; a touch when that note is dated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub path: String,
    pub line: usize,
    /// The note's `date:` when it counts as a touch.
    pub touch: Option<NaiveDate>,
}

/// Everything known about a vault for one day.
pub struct Vault {
    pub root: PathBuf,
    pub config: Config,
    pub today: NaiveDate,
    /// Partners in path order.
    pub partners: Vec<Partner>,
    /// Derived values, by partner index.
    pub derived: Vec<Derived>,
    /// Notes linking each partner, by partner index, in path order.
    pub mentions: Vec<Vec<Mention>>,
    /// Open and done tasks of other notes that link a partner, by partner index.
    pub linked_tasks: Vec<Vec<(String, Task)>>,
    pub others: Vec<OtherNote>,
    /// Every data problem, sorted.
    pub diagnostics: Vec<Diagnostic>,
    names: Names,
}

/// The outcome of looking a partner up by what a user typed.
pub enum Lookup {
    Found(usize),
    Ambiguous(Vec<usize>),
    NotFound(Vec<String>),
}

impl Vault {
    /// Discovers, reads and parses every note (in parallel), then links and derives.
    pub fn load(root: &Path, config: Config, today: NaiveDate) -> Vault {
        let discovery = discover::discover(root, &config);
        let parsed: Vec<Parsed> = discovery
            .notes
            .par_iter()
            .map(|file| read_and_parse(file, &config))
            .collect();

        let mut diagnostics = discovery.diagnostics;
        let mut partners = Vec::new();
        let mut others = Vec::new();
        let mut links = Vec::new();
        for Parsed {
            note,
            diagnostics: found,
        } in parsed
        {
            diagnostics.extend(found);
            let Some(note) = note else { continue };
            match note.content {
                NoteContent::Partner(p) => {
                    links.push((Source::Partner(partners.len()), note.links));
                    partners.push(*p);
                }
                NoteContent::Other(o) => {
                    links.push((Source::Other(others.len()), note.links));
                    others.push(o);
                }
            }
        }

        let names = Names::build(&partners, &others, &discovery.other_files, &mut diagnostics);
        let mut mentions = vec![Vec::new(); partners.len()];
        let mut linked_tasks = vec![Vec::new(); partners.len()];
        let mut unresolved = Vec::new();
        for (source, note_links) in &links {
            let (path, touch) = match source {
                Source::Partner(i) => (&partners[*i].path, None),
                Source::Other(i) => (&others[*i].path, others[*i].date),
            };
            let mut linked: Vec<(usize, usize)> = Vec::new();
            for link in note_links {
                match names.resolve(&link.target) {
                    Target::Partner(p) => linked.push((p, link.line)),
                    Target::Note => {}
                    Target::Nothing => unresolved.push((path.clone(), link.clone())),
                }
            }
            if let Source::Other(i) = source {
                for (target, line) in &others[*i].listed_partners {
                    match names.resolve(target) {
                        Target::Partner(p) => linked.push((p, *line)),
                        Target::Note => {}
                        Target::Nothing => diagnostics.push(validate::unknown_listed_partner(
                            path,
                            target,
                            *line,
                            &names.suggestions(target),
                        )),
                    }
                }
            }
            linked.sort();
            linked.dedup_by_key(|(p, _)| *p);
            if let Source::Other(i) = source {
                // A task belongs to the partners it links, else to those its note links.
                for task in &others[*i].tasks {
                    let own: Vec<usize> = task
                        .links
                        .iter()
                        .filter_map(|t| match names.resolve(t) {
                            Target::Partner(p) => Some(p),
                            _ => None,
                        })
                        .collect();
                    let owners = if own.is_empty() {
                        linked.iter().map(|(p, _)| *p).collect()
                    } else {
                        own
                    };
                    for p in owners {
                        linked_tasks[p].push((path.clone(), task.clone()));
                    }
                }
            }
            for (p, line) in linked {
                if matches!(source, Source::Partner(i) if *i == p) {
                    continue;
                }
                mentions[p].push(Mention {
                    path: path.clone(),
                    line,
                    touch,
                });
            }
        }
        diagnostics.extend(validate::broken_links(&unresolved, |target| {
            names.suggestions(target)
        }));

        let derived: Vec<Derived> = partners
            .iter()
            .zip(&mentions)
            .map(|(p, m)| derive(p, m, &config, today))
            .collect();
        for partner in &partners {
            diagnostics.extend(validate::future_dates(partner, today));
        }
        for list in &mut mentions {
            list.sort_by(|a, b| a.path.cmp(&b.path));
        }
        diagnostic::sort(&mut diagnostics);
        Vault {
            root: root.to_path_buf(),
            config,
            today,
            partners,
            derived,
            mentions,
            linked_tasks,
            others,
            diagnostics,
            names,
        }
    }

    /// Finds a partner by name, alias or file name, case-insensitively.
    pub fn lookup(&self, query: &str) -> Lookup {
        let key = query.trim().to_lowercase();
        let key = key.strip_suffix(".md").unwrap_or(&key);
        let by_name = [self.names.partners.get(key), self.names.stems.get(key)]
            .into_iter()
            .flatten()
            .find(|hits| !hits.is_empty());
        let hits = match by_name {
            Some(hits) => hits.clone(),
            None if key.contains('/') => self.by_path(key),
            None => Vec::new(),
        };
        match hits.as_slice() {
            [] => NotFound(self.near_names(key)),
            [one] => Found(*one),
            many => Ambiguous(many.to_vec()),
        }
    }

    /// Partners whose path without `.md` is `key` or ends with `/key` (`a/sam`).
    fn by_path(&self, key: &str) -> Vec<usize> {
        let suffix = format!("/{key}");
        (0..self.partners.len())
            .filter(|&i| {
                let path = self.partners[i].path.to_lowercase();
                let path = path.trim_end_matches(".md");
                path == key || path.ends_with(&suffix)
            })
            .collect()
    }

    /// Names close to `key`: a likely typo, then names holding it as a word (`finn` -> `Finn Gray`).
    fn near_names(&self, key: &str) -> Vec<String> {
        let mut near = self.names.suggestions(key);
        let mut holding: Vec<String> = self
            .partners
            .iter()
            .filter(|p| {
                p.name
                    .to_lowercase()
                    .split_whitespace()
                    .any(|word| word == key)
            })
            .map(|p| p.name.clone())
            .collect();
        holding.sort();
        near.extend(holding.into_iter().take(5));
        near.dedup();
        near
    }

    pub fn error_count(&self) -> usize {
        diagnostic::counts(&self.diagnostics).0
    }
}

use Lookup::{Ambiguous, Found, NotFound};

enum Source {
    Partner(usize),
    Other(usize),
}

enum Target {
    Partner(usize),
    Note,
    Nothing,
}

fn read_and_parse(file: &NoteFile, config: &Config) -> Parsed {
    match std::fs::read(&file.path) {
        Ok(bytes) => parse_guarded(file, &bytes, config),
        Err(error) => Parsed {
            note: None,
            diagnostics: vec![Diagnostic::error(
                "unreadable",
                format!("cannot read this note: {error}"),
            )
            .in_file(&file.rel)
            .hint("check the file's permissions")],
        },
    }
}

/// Parses one note; a bug that panics on some input costs that note, never the whole run.
fn parse_guarded(file: &NoteFile, bytes: &[u8], config: &Config) -> Parsed {
    std::panic::catch_unwind(|| note::parse(&file.rel, bytes, file.role, config)).unwrap_or_else(
        |_| Parsed {
            note: None,
            diagnostics: vec![Diagnostic::error(
                "internal-error",
                "vault failed on this note; it was skipped",
            )
            .in_file(&file.rel)
            .hint("please report this note's shape as a bug in vault")],
        },
    )
}

/// The names links and lookups resolve against, lowercased.
struct Names {
    /// Partner names and aliases -> partner indices (more than one only when duplicated).
    partners: HashMap<String, Vec<usize>>,
    /// Partner file names -> partner indices.
    stems: HashMap<String, Vec<usize>>,
    /// Other notes and files, by file name without `.md` and by relative path.
    files: HashSet<String>,
    /// Display spellings for suggestions.
    spellings: Vec<String>,
}

impl Names {
    fn build(
        partners: &[Partner],
        others: &[OtherNote],
        other_files: &[String],
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Names {
        let mut names = Names {
            partners: HashMap::new(),
            stems: HashMap::new(),
            files: HashSet::new(),
            spellings: Vec::new(),
        };
        for (index, partner) in partners.iter().enumerate() {
            let mut own: Vec<(String, &str)> = Vec::new();
            for (spelling, key) in std::iter::once((&partner.name, "name"))
                .chain(partner.aliases.iter().map(|a| (a, "aliases")))
            {
                let lower = spelling.to_lowercase();
                if own.iter().any(|(k, _)| *k == lower) {
                    continue;
                }
                own.push((lower.clone(), key));
                let entry = names.partners.entry(lower).or_default();
                if let Some(&first) = entry.first() {
                    diagnostics.push(validate::duplicate_name(
                        partner,
                        key,
                        spelling,
                        &partners[first],
                    ));
                }
                entry.push(index);
                names.spellings.push(spelling.clone());
            }
            names
                .stems
                .entry(partner.stem.to_lowercase())
                .or_default()
                .push(index);
            names.files.insert(partner.path.to_lowercase());
        }
        let note_paths = others
            .iter()
            .map(|o| o.path.as_str())
            .chain(other_files.iter().map(String::as_str));
        for path in note_paths {
            let lower = path.to_lowercase();
            let name = lower.rsplit('/').next().unwrap_or(&lower).to_string();
            names.files.insert(note::file_stem(&name));
            names.files.insert(name);
            if let Some(without_md) = lower.strip_suffix(".md") {
                names.files.insert(without_md.to_string());
            }
            names.files.insert(lower);
        }
        names.spellings.sort();
        names.spellings.dedup();
        names
    }

    fn resolve(&self, target: &str) -> Target {
        let key = target.trim().to_lowercase();
        let key = key.strip_suffix(".md").unwrap_or(&key);
        let file_name = key.rsplit('/').next().unwrap_or(key);
        if let Some(&first) = self.partners.get(key).and_then(|v| v.first()) {
            return Target::Partner(first);
        }
        if let Some(&first) = self.stems.get(file_name).and_then(|v| v.first()) {
            return Target::Partner(first);
        }
        if self.files.contains(key) || self.files.contains(file_name) {
            return Target::Note;
        }
        Target::Nothing
    }

    /// Partner spellings close to `word`, best first.
    fn suggestions(&self, word: &str) -> Vec<String> {
        suggest::closest(word, self.spellings.iter().map(String::as_str))
            .map(|s| vec![s.to_string()])
            .unwrap_or_default()
    }
}

/// Computes the derived values of one partner (see the format spec, section 4).
pub fn derive(
    partner: &Partner,
    mentions: &[Mention],
    config: &Config,
    today: NaiveDate,
) -> Derived {
    let cadence = partner
        .cadence
        .or_else(|| config.tier_cadence(&partner.tier))
        .or_else(|| config.tier_cadence(&config.default_tier))
        .unwrap_or(Cadence::Months(1));
    let touches = partner
        .last_contact
        .into_iter()
        .chain(partner.log.iter().map(|i| i.date))
        .chain(mentions.iter().filter_map(|m| m.touch));
    let last_touch = touches.filter(|d| *d <= today).max();
    let due = if partner.stage.as_deref() == Some(DORMANT) {
        None
    } else if let Some(next) = partner.next {
        Some(next)
    } else if let Some(last) = last_touch {
        Some(cadence.add_to(last))
    } else {
        Some(partner.since.map_or(today, |since| cadence.add_to(since)))
    };
    let window_start = config.reciprocity_window.subtract_from(today);
    let in_window = |date: NaiveDate| date >= window_start && date <= today;
    let count = |kind: &str| {
        partner
            .log
            .iter()
            .filter(|i| i.is(kind) && in_window(i.date))
            .count()
    };
    let last_gave = partner
        .log
        .iter()
        .filter(|i| i.is(GAVE) && i.date <= today)
        .map(|i| i.date)
        .max();
    Derived {
        cadence,
        last_touch,
        due,
        gave: count(GAVE),
        got: count(GOT),
        last_gave,
    }
}
