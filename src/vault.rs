//! The vault index: every note parsed once, then linked (names, touches, mentions, task owners)
//! and derived (due dates, reciprocity) for one day.

use crate::cadence::Cadence;
use crate::config::{Config, DORMANT};
use crate::diagnostic::{self, Diagnostic};
use crate::intros;
use crate::markdown::{LinkForm, LinkRef};
use crate::note::Parsed;
use crate::partner::{ListedName, NoteContent, OtherNote, Partner, Task, GAVE, GOT, STAGE};
use crate::resolve::{self, LinkSource, Resolver, Target};
use crate::slug;
use crate::strength;
use crate::suggest;
use crate::validate;
use chrono::NaiveDate;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
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
    /// The newest `gave` entry (or introduction), at any time.
    pub last_gave: Option<NaiveDate>,
    /// Days with a touch within the last 365 days, up to today.
    pub touch_days: u32,
    /// The first touch ever (for the relationship's age when `since` is not set).
    pub first_touch: Option<NaiveDate>,
    /// How strong the relationship is, 0-100 (see [`crate::strength`]).
    pub strength: u32,
}

impl Derived {
    /// `gave - got` within the window.
    pub fn balance(&self) -> i64 {
        self.gave as i64 - self.got as i64
    }
}

/// Another note that names a partner: in a touch list (a touch when the note is dated), or
/// by a link anywhere else (a mention).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// The note that names the partner (its path is [`Vault::path_of`]).
    pub note: NoteRef,
    pub line: u32,
    /// Whether the note lists the partner in a touch key (`attendees:`).
    pub listed: bool,
    /// The note's `date:` when it counts as a touch.
    #[serde(with = "crate::dates::day_number::option")]
    pub touch: Option<NaiveDate>,
}

/// What linking works out: mentions, touches, task owners and the problems found on the way
/// (duplicate names, broken and ambiguous links). It depends on the notes and the names of the
/// other files, never on the day, so the cache keeps it while neither changes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Links {
    /// Other notes naming each partner, by partner index, in path order.
    pub mentions: Vec<Vec<Mention>>,
    /// Every task that belongs to a partner or to a note naming partners, in path order.
    pub tasks: Vec<OwnedTask>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Which note holds something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoteRef {
    Partner(usize),
    Other(usize),
}

/// Whom a task belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Owner {
    /// The partners it links (or the partner whose note holds it, or the note's one partner).
    Partners(Box<[usize]>),
    /// The note itself, which names these partners.
    Note(Box<[usize]>),
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
#[derive(Debug, Clone, Serialize, Deserialize)]
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
    pub partners: Vec<Box<Partner>>,
    /// Derived values, by partner index.
    pub derived: Vec<Derived>,
    /// Other notes naming each partner, by partner index, in path order.
    pub mentions: Vec<Vec<Mention>>,
    /// Every task that belongs to a partner or to a note naming partners, in path order.
    pub tasks: Vec<OwnedTask>,
    pub others: Vec<Box<OtherNote>>,
    /// Every data problem, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// The problems linking found (also in `diagnostics`), for the cache.
    link_diagnostics: Vec<Diagnostic>,
}

/// The outcome of looking a partner up by what a user typed.
pub enum Lookup {
    Found(usize),
    Ambiguous(Vec<usize>),
    NotFound(Vec<String>),
}

impl Vault {
    /// Links (unless `known` gives what linking found before) and derives parse results (in
    /// path order): `other_files` are the files that are not notes (for links to them),
    /// `diagnostics` what discovery found.
    pub fn from_parsed(
        root: &Path,
        config: Config,
        today: NaiveDate,
        parsed: Vec<Parsed>,
        other_files: &[String],
        mut diagnostics: Vec<Diagnostic>,
        known: Option<Links>,
    ) -> Vault {
        // Sized exactly: growing a list of partners by doubling would briefly hold two.
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
                    partners.push(p);
                }
                NoteContent::Other(o) => {
                    links.push((NoteRef::Other(others.len()), note.links));
                    others.push(o);
                }
            }
        }
        let links = known.unwrap_or_else(|| {
            let mut found = Vec::new();
            let names = index_names(&partners, &others, other_files, &mut found);
            let (linked, broken) = link(&partners, &others, &links, &names);
            found.extend(linked.diagnostics);
            found.extend(validate::broken_links(&broken, || {
                suggestions(&partners, &others)
            }));
            Links {
                diagnostics: found,
                ..linked
            }
        });
        diagnostics.extend(links.diagnostics.iter().cloned());

        let (mut derived, future): (Vec<Derived>, Vec<Vec<Diagnostic>>) = partners
            .par_iter()
            .zip(&links.mentions)
            .map(|(p, m)| {
                (
                    derive(p, m, &config, today),
                    validate::future_dates(p, today),
                )
            })
            .unzip();
        diagnostics.extend(future.into_iter().flatten());
        credit_introductions(
            &partners,
            &others,
            other_files,
            &config,
            today,
            &mut derived,
        );
        for (d, p) in derived.iter_mut().zip(&partners) {
            d.strength = strength::Signals::of(p, d, today).score();
        }
        diagnostic::sort(&mut diagnostics);
        Vault {
            root: root.to_path_buf(),
            config,
            today,
            partners,
            derived,
            mentions: links.mentions,
            tasks: links.tasks,
            others,
            diagnostics,
            link_diagnostics: links.diagnostics,
        }
    }

    /// Every note's and file's path and every partner's name, for resolving links as linking
    /// does (`other_files`: the files that are not notes).
    pub fn resolver(&self, other_files: &[String]) -> Resolver {
        index_names(&self.partners, &self.others, other_files, &mut Vec::new())
    }

    /// What linking found, for the cache.
    pub fn links(&self) -> Links {
        Links {
            mentions: self.mentions.clone(),
            tasks: self.tasks.clone(),
            diagnostics: self.link_diagnostics.clone(),
        }
    }

    /// The partners a query names as a path, file name, name or alias (several when it is
    /// ambiguous), as a link would: one pass over the partners, no index built for it.
    fn partners_named(&self, query: &str) -> Vec<usize> {
        let query = resolve::Query::new(query);
        let by_path: Vec<usize> = self
            .partner_indices()
            .filter(|&i| query.names_file(&self.partners[i].path))
            .collect();
        if !by_path.is_empty() {
            return by_path;
        }
        self.partner_indices()
            .filter(|&i| {
                let p = &self.partners[i];
                p.names().any(|n| query.names(n))
            })
            .collect()
    }

    /// Finds a partner by what a user typed: a name, alias, file name or path (any case, NFC
    /// or NFD); else a unique first name; else a unique beginning of a name or alias; else the
    /// same two with accents folded (`zoe` for Zoë).
    pub fn lookup(&self, query: &str) -> Lookup {
        let found = self.partners_named(query);
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
                p.names().any(|n| form(n).starts_with(wanted))
            })
            .collect();
        (!beginning.is_empty()).then(|| one_or_many(beginning))
    }

    fn partner_indices(&self) -> std::ops::Range<usize> {
        0..self.partners.len()
    }

    /// Names close to `key`: a likely typo, then names holding it as a word (`finn` -> `Finn Gray`).
    fn near_names(&self, key: &str) -> Vec<String> {
        let spellings = self.partners.iter().flat_map(|p| p.names());
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

/// The resolver over every file, partner name and alias; a name or alias that two partners
/// claim is an error naming both.
fn index_names(
    partners: &[Box<Partner>],
    others: &[Box<OtherNote>],
    other_files: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) -> Resolver {
    let names = partners.iter().map(|p| 1 + p.aliases.len()).sum();
    let files = partners.len() + others.len() + other_files.len();
    let mut resolver = Resolver::with_capacity(files, names);
    for (index, partner) in partners.iter().enumerate() {
        resolver.add_file(&partner.path, Some(index));
        for (spelling, key) in std::iter::once((partner.name.as_str(), "name"))
            .chain(partner.aliases.iter().map(|a| (a, "aliases")))
        {
            if let Some(first) = resolver.add_name(spelling, index) {
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

/// Adds the introductions partners were part of to their gaves (see [`intros::credits`]).
/// The names are indexed for it only when some Log has an introduction.
fn credit_introductions(
    partners: &[Box<Partner>],
    others: &[Box<OtherNote>],
    other_files: &[String],
    config: &Config,
    today: NaiveDate,
    derived: &mut [Derived],
) {
    let any = partners
        .iter()
        .any(|p| p.log.iter().any(|e| e.is(intros::INTRO)));
    if !any {
        return;
    }
    let resolver = index_names(partners, others, other_files, &mut Vec::new());
    let introductions = intros::logged(partners, &resolver);
    let window_start = config.reciprocity_window.subtract_from(today);
    let credits = intros::credits(&introductions, partners.len(), window_start, today);
    for (d, (count, last)) in derived.iter_mut().zip(credits) {
        d.gave += count;
        d.last_gave = d.last_gave.max(last);
    }
}

/// Resolves every link and touch list: mentions and touches per partner, the owner of every
/// task, ambiguous links (the links' diagnostics), and the links and listed names that name
/// nothing. Notes are linked in parallel, and gathered in order.
fn link(
    partners: &[Box<Partner>],
    others: &[Box<OtherNote>],
    links: &[(NoteRef, Vec<LinkRef>)],
    resolver: &Resolver,
) -> (Links, Vec<validate::Broken>) {
    let notes: Vec<NoteLinked> = links
        .par_iter()
        .map_init(Scratch::default, |scratch, (note, note_links)| {
            link_note(*note, note_links, partners, others, resolver, scratch)
        })
        .collect();
    let mut counts = vec![0; partners.len()];
    for (partner, _) in notes.iter().flat_map(|n| &n.mentions) {
        counts[*partner] += 1;
    }
    let mut linked = Links {
        mentions: counts.into_iter().map(Vec::with_capacity).collect(),
        tasks: Vec::with_capacity(notes.iter().map(|n| n.tasks.len()).sum()),
        diagnostics: Vec::new(),
    };
    let mut broken = Vec::new();
    for note in notes {
        for (partner, mention) in note.mentions {
            linked.mentions[partner].push(mention);
        }
        linked.tasks.extend(note.tasks);
        broken.extend(note.broken);
        linked.diagnostics.extend(note.diagnostics);
    }
    let path_of = |note: NoteRef| match note {
        NoteRef::Partner(i) => partners[i].path.as_str(),
        NoteRef::Other(i) => others[i].path.as_str(),
    };
    for list in &mut linked.mentions {
        list.sort_by(|a, b| (path_of(a.note), a.line).cmp(&(path_of(b.note), b.line)));
    }
    (linked, broken)
}

/// What linking one note finds.
struct NoteLinked {
    /// Each partner the note names, once, with how it names it.
    mentions: Vec<(usize, Mention)>,
    tasks: Vec<OwnedTask>,
    broken: Vec<validate::Broken>,
    diagnostics: Vec<Diagnostic>,
}

/// The maps linking a note fills, kept from note to note so that they are allocated once.
#[derive(Default)]
struct Scratch<'a> {
    /// Partner -> (line, listed in a touch key), first occurrence in the note.
    named: FxHashMap<usize, (u32, bool)>,
    /// What wiki targets resolved to, for the note's tasks.
    known: FxHashMap<&'a str, Target>,
}

/// Links one note: the partners it names, the owners of its tasks, its broken and ambiguous
/// links.
fn link_note<'a>(
    note: NoteRef,
    note_links: &'a [LinkRef],
    partners: &'a [Box<Partner>],
    others: &'a [Box<OtherNote>],
    resolver: &Resolver,
    scratch: &mut Scratch<'a>,
) -> NoteLinked {
    let (path, own, listed_names, tasks, date): (&str, _, &[ListedName], &[Task], _) = match note {
        NoteRef::Partner(i) => (&partners[i].path, Some(i), &[], &partners[i].tasks, None),
        NoteRef::Other(i) => {
            let o = &others[i];
            (&o.path, None, &o.listed, &o.tasks, o.date)
        }
    };
    let mut linked = NoteLinked {
        mentions: Vec::new(),
        tasks: Vec::new(),
        broken: Vec::new(),
        diagnostics: Vec::new(),
    };
    let source = LinkSource::new(path);
    let Scratch { named, known } = scratch;
    named.clear();
    known.clear();
    let mut ambiguous_seen = FxHashSet::default();
    // The tasks of another note link names its text links too: what those resolved to is kept
    // so that each is resolved once.
    let remember = own.is_none() && tasks.iter().any(|t| !t.links.is_empty());
    let mut resolve = |target: &'a str, form: LinkForm, line: u32, linked: &mut NoteLinked| {
        let found = resolver.resolve(target, form, &source);
        if !found.ambiguous.is_empty() && ambiguous_seen.insert(resolve::key(target)) {
            linked.diagnostics.push(validate::ambiguous_link(
                path,
                target,
                line as usize,
                &found.ambiguous,
            ));
        }
        if remember && form == LinkForm::Wiki {
            known.insert(target, found.target);
        }
        found.target
    };
    let mut listed: Vec<usize> = Vec::new();
    for name in listed_names {
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
    for link in note_links {
        match resolve(&link.target, link.form, link.line, &mut linked) {
            Target::Partner(p) if Some(p) != own => {
                named.entry(p).or_insert((link.line, false));
            }
            Target::Partner(_) | Target::File => {}
            Target::Nothing => linked.broken.push(validate::Broken::Link {
                path: path.to_string(),
                link: link.clone(),
            }),
        }
    }
    linked.mentions = named
        .drain()
        .map(|(p, (line, is_listed))| {
            let mention = Mention {
                note,
                line,
                listed: is_listed,
                touch: date.filter(|_| is_listed),
            };
            (p, mention)
        })
        .collect();
    for (index, task) in tasks.iter().enumerate() {
        let owner = match own {
            Some(p) => Some(Owner::Partners(Box::new([p]))),
            None => task_owner(task, &listed, |t| match known.get(t) {
                Some(&target) => target,
                None => resolver.resolve(t, LinkForm::Wiki, &source).target,
            }),
        };
        if let Some(owner) = owner {
            linked.tasks.push(OwnedTask { note, index, owner });
        }
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
        (false, _) => Some(Owner::Partners(own.into())),
        (true, []) => None,
        (true, [one]) => Some(Owner::Partners(Box::new([*one]))),
        (true, several) => Some(Owner::Note(several.into())),
    }
}

/// The "did you mean" index: partner names and aliases, and every note's file name.
fn suggestions<'a>(
    partners: &'a [Box<Partner>],
    others: &'a [Box<OtherNote>],
) -> suggest::Index<'a> {
    suggest::Index::new(
        partners
            .iter()
            .flat_map(|p| p.names().chain([p.stem()]))
            .chain(others.iter().map(|o| o.stem())),
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
    let mut days: Vec<NaiveDate> = touches.filter(|d| *d <= today).collect();
    days.sort_unstable();
    days.dedup();
    let last_touch = days.last().copied();
    let first_touch = days.first().copied();
    let year_ago = today - chrono::Days::new(365);
    let touch_days = days.iter().filter(|d| **d > year_ago).count() as u32;
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
        touch_days,
        first_touch,
        strength: 0,
    }
}
