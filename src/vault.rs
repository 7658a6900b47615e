//! The vault index: every note parsed once, then linked (names, touches, mentions, task owners)
//! and derived (due dates, reciprocity) for one day.

use crate::cadence::Cadence;
use crate::config::{Config, DORMANT};
use crate::diagnostic::{self, Diagnostic};
use crate::discover::{self, NoteFile, MAX_NOTE_BYTES};
use crate::markdown::{LinkForm, LinkRef};
use crate::note::{self, Parsed};
use crate::partner::{NoteContent, OtherNote, Partner, Task, GAVE, GOT, STAGE};
use crate::resolve::{self, LinkSource, Resolver, Target};
use crate::slug;
use crate::suggest;
use crate::validate;
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Values derived from a partner's note, the notes that name it, the config and today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derived {
    pub cadence: Cadence,
    /// Newest of `last_contact`, Log dates and dated notes listing the partner (up to today).
    pub last_touch: Option<NaiveDate>,
    /// When the next touch is due; `None` for dormant partners.
    pub due: Option<NaiveDate>,
    /// Whether `next:` set the due day (it is later than the last touch).
    pub due_from_next: bool,
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

/// Another note that names a partner: in a touch list (a touch when the note is dated), or
/// by a link anywhere else (a mention).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// The note that names the partner (its path is [`Vault::path_of`]).
    pub note: NoteRef,
    pub line: usize,
    /// Whether the note lists the partner in a touch key (`attendees:`).
    pub listed: bool,
    /// The note's `date:` when it counts as a touch.
    pub touch: Option<NaiveDate>,
}

/// Which note holds something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteRef {
    Partner(usize),
    Other(usize),
}

/// Whom a task belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// The partners it links (or the partner whose note holds it, or the note's one partner).
    Partners(Vec<usize>),
    /// The note itself, which names these partners.
    Note(Vec<usize>),
}

impl Owner {
    /// The partners concerned, either way.
    pub fn partners(&self) -> &[usize] {
        match self {
            Owner::Partners(p) | Owner::Note(p) => p,
        }
    }
}

/// A task and whom it belongs to.
#[derive(Debug, Clone)]
pub struct OwnedTask {
    pub note: NoteRef,
    /// The index of the task in its note.
    pub index: usize,
    pub owner: Owner,
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
    /// Other notes naming each partner, by partner index, in path order.
    pub mentions: Vec<Vec<Mention>>,
    /// Every task that belongs to a partner or to a note naming partners, in path order.
    pub tasks: Vec<OwnedTask>,
    pub others: Vec<OtherNote>,
    /// Every data problem, sorted.
    pub diagnostics: Vec<Diagnostic>,
    resolver: Resolver,
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
        let partner_count = parsed
            .iter()
            .filter(|p| {
                p.note
                    .as_ref()
                    .is_some_and(|n| matches!(n.content, NoteContent::Partner(_)))
            })
            .count();
        let mut partners = Vec::with_capacity(partner_count);
        let mut others = Vec::with_capacity(parsed.len() - partner_count);
        let mut links = Vec::with_capacity(parsed.len());
        for Parsed {
            note,
            diagnostics: found,
        } in parsed
        {
            diagnostics.extend(found);
            let Some(note) = note else { continue };
            match note.content {
                NoteContent::Partner(p) => {
                    links.push((NoteRef::Partner(partners.len()), note.links));
                    partners.push(*p);
                }
                NoteContent::Other(o) => {
                    links.push((NoteRef::Other(others.len()), note.links));
                    others.push(o);
                }
            }
        }
        let resolver = index_names(&partners, &others, &discovery.other_files, &mut diagnostics);
        let linked = link(&partners, &others, links, &resolver);
        diagnostics.extend(linked.diagnostics);
        // The "did you mean" index is large; most vaults have no broken link to need it.
        if !linked.broken.is_empty() {
            diagnostics.extend(validate::broken_links(
                &linked.broken,
                &suggestions(&partners, &others),
            ));
        }

        let derived: Vec<Derived> = partners
            .iter()
            .zip(&linked.mentions)
            .map(|(p, m)| derive(p, m, &config, today))
            .collect();
        for partner in &partners {
            diagnostics.extend(validate::future_dates(partner, today));
        }
        diagnostic::sort(&mut diagnostics);
        Vault {
            root: root.to_path_buf(),
            config,
            today,
            partners,
            derived,
            mentions: linked.mentions,
            tasks: linked.tasks,
            others,
            diagnostics,
            resolver,
        }
    }

    /// Finds a partner by what a user typed: a name, alias, file name or path (any case, NFC
    /// or NFD); else a unique first name; else a unique beginning of a name or alias; else the
    /// same two with accents folded (`zoe` for Zoë).
    pub fn lookup(&self, query: &str) -> Lookup {
        let found = self.resolver.partners_named(query);
        if !found.is_empty() {
            return one_or_many(found);
        }
        let wanted = resolve::key(query);
        if wanted.is_empty() {
            return NotFound(Vec::new());
        }
        // The same, with accents folded, when that finds nothing: `zoe` finds Zoë Ångström.
        let folded = slug::slug(query);
        self.by_first_word_or_beginning(&wanted, resolve::key, char::is_whitespace)
            .or_else(|| {
                let by_slug = || self.by_first_word_or_beginning(&folded, slug::slug, |c| c == '-');
                (!folded.is_empty()).then(by_slug).flatten()
            })
            .unwrap_or_else(|| NotFound(self.near_names(&wanted)))
    }

    /// Partners whose first name is `wanted`, else whose name or an alias begins with it, all
    /// compared as `form` writes them (words ending where `word_end` says).
    fn by_first_word_or_beginning(
        &self,
        wanted: &str,
        form: fn(&str) -> String,
        word_end: fn(char) -> bool,
    ) -> Option<Lookup> {
        let first_names: Vec<usize> = self
            .partner_indices()
            .filter(|&i| form(&self.partners[i].name).split(word_end).next() == Some(wanted))
            .collect();
        if !first_names.is_empty() {
            return Some(one_or_many(first_names));
        }
        let beginning: Vec<usize> = self
            .partner_indices()
            .filter(|&i| {
                let p = &self.partners[i];
                std::iter::once(&p.name)
                    .chain(&p.aliases)
                    .any(|n| form(n).starts_with(wanted))
            })
            .collect();
        (!beginning.is_empty()).then(|| one_or_many(beginning))
    }

    fn partner_indices(&self) -> std::ops::Range<usize> {
        0..self.partners.len()
    }

    /// Names close to `key`: a likely typo, then names holding it as a word (`finn` -> `Finn Gray`).
    fn near_names(&self, key: &str) -> Vec<String> {
        let spellings = self
            .partners
            .iter()
            .flat_map(|p| std::iter::once(&p.name).chain(&p.aliases))
            .map(String::as_str);
        let mut near: Vec<String> = suggest::closest(key, spellings)
            .map(str::to_string)
            .into_iter()
            .collect();
        let mut holding: Vec<String> = self
            .partners
            .iter()
            .filter(|p| {
                resolve::key(&p.name)
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

    /// The task an [`OwnedTask`] stands for.
    pub fn task(&self, owned: &OwnedTask) -> &Task {
        match owned.note {
            NoteRef::Partner(i) => &self.partners[i].tasks[owned.index],
            NoteRef::Other(i) => &self.others[i].tasks[owned.index],
        }
    }

    /// The vault-relative path of a note.
    pub fn path_of(&self, note: NoteRef) -> &str {
        match note {
            NoteRef::Partner(i) => &self.partners[i].path,
            NoteRef::Other(i) => &self.others[i].path,
        }
    }

    /// Who a task belongs to, for people: partner names, or the note's title.
    pub fn owner_label(&self, owned: &OwnedTask) -> String {
        match (&owned.owner, owned.note) {
            (Owner::Note(_), NoteRef::Other(i)) => self.others[i].title.clone(),
            (owner, _) => self.names(owner.partners()),
        }
    }

    /// Partner names joined with commas.
    pub fn names(&self, partners: &[usize]) -> String {
        partners
            .iter()
            .map(|&p| self.partners[p].name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

use Lookup::{Ambiguous, Found, NotFound};

fn one_or_many(found: Vec<usize>) -> Lookup {
    match found.as_slice() {
        [one] => Found(*one),
        _ => Ambiguous(found),
    }
}

fn read_and_parse(file: &NoteFile, config: &Config) -> Parsed {
    let only = |diagnostic: Diagnostic| Parsed {
        note: None,
        diagnostics: vec![diagnostic.in_file(&file.rel)],
    };
    match read_regular_file(&file.path) {
        Ok(Read::Bytes(bytes)) => parse_guarded(file, &bytes, config),
        // Deleted between listing and reading (a sync, a `git checkout`): it is simply gone.
        Ok(Read::Gone) => Parsed {
            note: None,
            diagnostics: Vec::new(),
        },
        Ok(Read::TooLarge(size)) => only(
            Diagnostic::warning(
                "file-too-large",
                format!(
                    "note is {:.1} MiB, over the 10 MiB limit; skipped",
                    size as f64 / (1024.0 * 1024.0)
                ),
            )
            .hint("split the note, or move the file out of the vault"),
        ),
        Err(error) => only(
            Diagnostic::error("unreadable", format!("cannot read this note: {error}"))
                .hint("check the file's permissions"),
        ),
    }
}

/// What opening a note found.
enum Read {
    Bytes(Vec<u8>),
    /// It no longer exists.
    Gone,
    /// Over [`MAX_NOTE_BYTES`]: not read.
    TooLarge(u64),
}

/// The bytes of a regular file. It is opened without following a link and without blocking,
/// and refused unless it is still a regular file (a FIFO put in its place would otherwise block
/// the whole run); one over [`MAX_NOTE_BYTES`] is not read.
fn read_regular_file(path: &Path) -> std::io::Result<Read> {
    use std::io::Read as _;
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path);
    let mut file = match file {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Read::Gone),
        Err(e) => return Err(e),
    };
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(std::io::Error::other("it is no longer a regular file"));
    }
    if metadata.len() > MAX_NOTE_BYTES {
        return Ok(Read::TooLarge(metadata.len()));
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.read_to_end(&mut bytes)?;
    Ok(Read::Bytes(bytes))
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

/// The resolver over every file, partner name and alias; a name or alias that two partners
/// claim is an error naming both.
fn index_names(
    partners: &[Partner],
    others: &[OtherNote],
    other_files: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) -> Resolver {
    let mut resolver = Resolver::new();
    for (index, partner) in partners.iter().enumerate() {
        resolver.add_file(&partner.path, Some(index));
        let mut own: Vec<String> = Vec::new();
        for (spelling, key) in std::iter::once((&partner.name, "name"))
            .chain(partner.aliases.iter().map(|a| (a, "aliases")))
        {
            let normalised = resolve::key(spelling);
            if own.contains(&normalised) {
                continue;
            }
            own.push(normalised);
            if let Some(&first) = resolver.add_name(spelling, index).first() {
                diagnostics.push(validate::duplicate_name(
                    partner,
                    key,
                    spelling,
                    &partners[first],
                ));
            }
        }
    }
    for path in others
        .iter()
        .map(|o| o.path.as_str())
        .chain(other_files.iter().map(String::as_str))
    {
        resolver.add_file(path, None);
    }
    resolver
}

/// What linking finds.
struct Linked {
    mentions: Vec<Vec<Mention>>,
    tasks: Vec<OwnedTask>,
    /// Links and listed names that name nothing: (note, what names it).
    broken: Vec<validate::Broken>,
    diagnostics: Vec<Diagnostic>,
}

/// Resolves every link and touch list: mentions and touches per partner, the owner of every
/// task, broken and ambiguous links. Each note's links are freed once resolved.
fn link(
    partners: &[Partner],
    others: &[OtherNote],
    links: Vec<(NoteRef, Vec<LinkRef>)>,
    resolver: &Resolver,
) -> Linked {
    let mut linked = Linked {
        mentions: vec![Vec::new(); partners.len()],
        tasks: Vec::new(),
        broken: Vec::new(),
        diagnostics: Vec::new(),
    };
    for (note, note_links) in links {
        let (path, own) = match note {
            NoteRef::Partner(i) => (partners[i].path.as_str(), Some(i)),
            NoteRef::Other(i) => (others[i].path.as_str(), None),
        };
        let source = LinkSource::new(path);
        // Partner -> (line, listed in a touch key), first occurrence in the note.
        let mut named: HashMap<usize, (usize, bool)> = HashMap::new();
        let mut ambiguous_seen = std::collections::HashSet::new();
        let mut resolve = |target: &str, form: LinkForm, line: usize, linked: &mut Linked| {
            let found = resolver.resolve(target, form, &source);
            if !found.ambiguous.is_empty() && ambiguous_seen.insert(resolve::key(target)) {
                linked.diagnostics.push(validate::ambiguous_link(
                    path,
                    target,
                    line,
                    &found.ambiguous,
                ));
            }
            found.target
        };
        let mut listed: Vec<usize> = Vec::new();
        if let NoteRef::Other(i) = note {
            for name in &others[i].listed {
                match resolve(&name.target, LinkForm::Wiki, name.line, &mut linked) {
                    Target::Partner(p) => {
                        if !listed.contains(&p) {
                            listed.push(p);
                        }
                        named.insert(p, (name.line, true));
                    }
                    Target::File => {}
                    Target::Nothing => linked.broken.push(validate::Broken::Listed {
                        path: path.to_string(),
                        name: name.clone(),
                    }),
                }
            }
        }
        for link in note_links {
            match resolve(&link.target, link.form, link.line, &mut linked) {
                Target::Partner(p) if Some(p) != own => {
                    named.entry(p).or_insert((link.line, false));
                }
                Target::Partner(_) | Target::File => {}
                Target::Nothing => linked.broken.push(validate::Broken::Link {
                    path: path.to_string(),
                    link,
                }),
            }
        }
        let date = match note {
            NoteRef::Other(i) => others[i].date,
            NoteRef::Partner(_) => None,
        };
        for (p, (line, is_listed)) in named {
            linked.mentions[p].push(Mention {
                note,
                line,
                listed: is_listed,
                touch: date.filter(|_| is_listed),
            });
        }
        let tasks: &[Task] = match note {
            NoteRef::Partner(i) => &partners[i].tasks,
            NoteRef::Other(i) => &others[i].tasks,
        };
        for (index, task) in tasks.iter().enumerate() {
            let owner = match own {
                Some(p) => Some(Owner::Partners(vec![p])),
                None => task_owner(task, &listed, |t| {
                    resolver.resolve(t, LinkForm::Wiki, &source).target
                }),
            };
            if let Some(owner) = owner {
                linked.tasks.push(OwnedTask { note, index, owner });
            }
        }
    }
    let path_of = |note: NoteRef| match note {
        NoteRef::Partner(i) => partners[i].path.as_str(),
        NoteRef::Other(i) => others[i].path.as_str(),
    };
    for list in &mut linked.mentions {
        list.sort_by(|a, b| (path_of(a.note), a.line).cmp(&(path_of(b.note), b.line)));
    }
    linked
}

/// Whom a task in another note belongs to: the partners its own text links; else the note's
/// single listed partner; else, when the note lists several, the note itself; else nobody.
fn task_owner(task: &Task, listed: &[usize], resolve: impl Fn(&str) -> Target) -> Option<Owner> {
    let mut own: Vec<usize> = Vec::new();
    for target in &task.links {
        if let Target::Partner(p) = resolve(target) {
            if !own.contains(&p) {
                own.push(p);
            }
        }
    }
    match (own.is_empty(), listed) {
        (false, _) => Some(Owner::Partners(own)),
        (true, []) => None,
        (true, [one]) => Some(Owner::Partners(vec![*one])),
        (true, several) => Some(Owner::Note(several.to_vec())),
    }
}

/// The "did you mean" index: partner names and aliases, and every note's file name.
fn suggestions(partners: &[Partner], others: &[OtherNote]) -> suggest::Index {
    suggest::Index::new(
        partners
            .iter()
            .flat_map(|p| std::iter::once(&p.name).chain(&p.aliases).chain([&p.stem]))
            .chain(others.iter().map(|o| &o.stem))
            .map(String::as_str),
    )
}

/// Computes the derived values of one partner (see `docs/format.md`, "What vault works out").
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
        .chain(partner.log.iter().filter(|i| !i.is(STAGE)).map(|i| i.date))
        .chain(mentions.iter().filter_map(|m| m.touch));
    let last_touch = touches.filter(|d| *d <= today).max();
    // `next` plans the next touch until a touch on or after that day supersedes it.
    let next = partner
        .next
        .filter(|next| last_touch.is_none_or(|last| *next > last));
    let due = if partner.stage.as_deref() == Some(DORMANT) {
        None
    } else if let Some(next) = next {
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
        due_from_next: due.is_some() && next.is_some(),
        gave: count(GAVE),
        got: count(GOT),
        last_gave,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_gone_before_reading_is_none_and_a_fifo_is_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            read_regular_file(&dir.path().join("gone.md")),
            Ok(Read::Gone)
        ));
        let note = dir.path().join("a.md");
        std::fs::write(&note, "text").unwrap();
        assert!(matches!(read_regular_file(&note), Ok(Read::Bytes(b)) if b == b"text"));
        assert!(read_regular_file(dir.path()).is_err(), "a folder");
        let fifo = dir.path().join("inbox.md");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            assert!(
                read_regular_file(&fifo).is_err(),
                "a FIFO, without blocking"
            );
        }
        let file = NoteFile {
            path: note.clone(),
            rel: "notes/a.md".into(),
            role: crate::note::Role::Other,
        };
        let parsed = read_and_parse(&file, &Config::default());
        assert!(parsed.note.is_some());
        std::fs::remove_file(&note).unwrap();
        let parsed = read_and_parse(&file, &Config::default());
        assert!(parsed.note.is_none() && parsed.diagnostics.is_empty());
    }
}
