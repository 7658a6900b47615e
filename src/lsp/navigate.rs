//! What a place in a note names (a partner, another note, nothing), and the answers built on
//! it: hover, go to definition, references, and document and workspace symbols.

use super::at::{self, WikiLink};
use super::card;
use super::position::Lines;
use super::world::World;
use crate::markdown::LinkForm;
use crate::resolve::{self, LinkSource, Target};
use crate::slug;
use lsp_types::{
    DocumentSymbol, Hover, HoverContents, Location, MarkupContent, MarkupKind, Range,
    SymbolInformation, SymbolKind,
};
use std::ops::Range as Span;

/// What a place in a note names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Partner(usize),
    /// Another note or file, by path relative to the vault.
    File(String),
    /// A link (or listed name) that names nothing: its target.
    Broken(String),
}

/// The subject at `offset` in the note `rel` whose text is `text`, with the span that names it.
pub fn subject_at(
    world: &World,
    rel: &str,
    text: &str,
    offset: usize,
) -> Option<(Subject, Span<usize>)> {
    if let Some(link) = at::wiki_link_at(text, offset) {
        return Some((resolve_target(world, rel, &link.target), link.target_range));
    }
    let config = &world.vault().config;
    if let Some(key) = at::front_key_at(text, offset) {
        if config.touch_keys.contains(&key) {
            let (name, span) = at::list_item_at(text, offset)?;
            return Some((resolve_target(world, rel, &name), span));
        }
        if key == "name" {
            let partner = world.partner_at(rel)?;
            let line = at::line_around(text, offset);
            return Some((Subject::Partner(partner), line));
        }
    }
    None
}

/// What a link target written in the note `rel` names, as linking resolves it.
pub fn resolve_target(world: &World, rel: &str, target: &str) -> Subject {
    let resolution = world
        .snapshot
        .resolver
        .resolve(target, LinkForm::Wiki, &LinkSource::new(rel));
    match resolution.target {
        Target::Partner(i) => Subject::Partner(i),
        Target::File => match resolution.file {
            Some(file) => Subject::File(world.snapshot.resolver.path(file).to_string()),
            None => Subject::Broken(target.to_string()),
        },
        Target::Nothing => Subject::Broken(target.to_string()),
    }
}

/// The partner a request is about: the one named at the place, else the note's own partner.
pub fn partner_for(world: &World, rel: &str, text: &str, offset: usize) -> Option<usize> {
    match subject_at(world, rel, text, offset) {
        Some((Subject::Partner(i), _)) => Some(i),
        Some(_) => None,
        None => world.partner_at(rel),
    }
}

pub fn hover(world: &World, rel: &str, text: &str, offset: usize) -> Option<Hover> {
    let (subject, span) = subject_at(world, rel, text, offset)?;
    let vault = world.vault();
    let value = match subject {
        Subject::Partner(i) => card::markdown(vault, i),
        Subject::File(path) => match vault.others.iter().find(|o| o.path == path) {
            Some(note) => match note.date {
                Some(date) => format!("**{}**\n\n{date} · `{path}`", note.title),
                None => format!("**{}**\n\n`{path}`", note.title),
            },
            None => format!("`{path}`"),
        },
        Subject::Broken(target) => format!(
            "`{target}` names no note or partner\n\nThe code action \"Create the partner note\" \
             makes one (as `vault new` does)."
        ),
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(Lines::new(text).range(span)),
    })
}

pub fn definition(world: &World, rel: &str, text: &str, offset: usize) -> Option<Location> {
    let (subject, _) = subject_at(world, rel, text, offset)?;
    let path = match subject {
        Subject::Partner(i) => world.vault().partners[i].path.clone(),
        Subject::File(path) => path,
        Subject::Broken(_) => return None,
    };
    Some(Location::new(world.uri(&path), Range::default()))
}

/// Every note that touches or mentions the partner, at the link or name that does (and its
/// own note's `name:` line when `declaration` is asked for).
pub fn references(world: &World, partner: usize, declaration: bool) -> Vec<Location> {
    let vault = world.vault();
    let mut locations = Vec::new();
    if declaration {
        let path = &vault.partners[partner].path;
        if let Some(text) = world.text(path) {
            locations.push(Location::new(world.uri(path), name_line(&text)));
        }
    }
    for path in mentioning_notes(world, partner) {
        let Some(text) = world.text(path) else {
            continue;
        };
        let lines = Lines::new(&text);
        let uri = world.uri(path);
        for span in naming_spans_in(world, path, &text, partner) {
            locations.push(Location::new(uri.clone(), lines.range(span)));
        }
    }
    locations
}

/// The notes that touch or mention the partner, each once, in path order.
pub fn mentioning_notes<'a>(world: &World<'a>, partner: usize) -> Vec<&'a str> {
    let vault = world.vault();
    let mut paths: Vec<&str> = vault.mentions[partner]
        .iter()
        .map(|m| vault.path_of(m.note))
        .collect();
    paths.dedup();
    paths
}

/// The spans of a whole note that name the partner (see [`naming_spans`]).
pub fn naming_spans_in(world: &World, rel: &str, text: &str, partner: usize) -> Vec<Span<usize>> {
    let mut spans = Vec::new();
    let mut offset = 0;
    while offset < text.len() {
        let line = at::line_around(text, offset);
        spans.extend(naming_spans(world, rel, text, line.clone(), partner));
        offset = text[line.end..]
            .find('\n')
            .map_or(text.len(), |i| line.end + i + 1);
    }
    spans
}

/// The spans on one line of a note that name the partner: link targets, and items of a touch
/// list.
pub fn naming_spans(
    world: &World,
    rel: &str,
    text: &str,
    line: Span<usize>,
    partner: usize,
) -> Vec<Span<usize>> {
    let names = |target: &str| resolve_target(world, rel, target) == Subject::Partner(partner);
    let mut spans: Vec<Span<usize>> = at::wiki_links(text, line.clone())
        .into_iter()
        .filter(|link: &WikiLink| names(&link.target))
        .map(|link| link.target_range)
        .collect();
    let listed = at::front_key_at(text, line.start)
        .is_some_and(|key| world.vault().config.touch_keys.contains(&key));
    if listed {
        let mut from = line.start;
        while from < line.end {
            match at::list_item_at(text, from) {
                Some((name, span)) if span.start >= from => {
                    if names(&name) {
                        spans.push(span.clone());
                    }
                    from = span.end + 1;
                }
                _ => from += text[from..].chars().next().map_or(1, char::len_utf8),
            }
        }
    }
    spans.sort_by_key(|s| s.start);
    spans
}

/// The range of a note's `name:` line (the file's start when it has none).
fn name_line(text: &str) -> Range {
    let lines = Lines::new(text);
    let Some(yaml) = at::front_matter(text) else {
        return Range::default();
    };
    let mut offset = yaml.start;
    while offset < yaml.end {
        let line = at::line_around(text, offset);
        if text[line.clone()].starts_with("name:") {
            return lines.range(line);
        }
        offset = line.end + 1;
    }
    Range::default()
}

/// The note's headings, and for a partner note the partner itself first.
#[allow(deprecated)] // `DocumentSymbol::deprecated` has to be given.
pub fn document_symbols(world: &World, rel: &str, text: &str) -> Vec<DocumentSymbol> {
    let lines = Lines::new(text);
    let whole = lines.range(0..text.len());
    let mut symbols = Vec::new();
    if let Some(i) = world.partner_at(rel) {
        let p = &world.vault().partners[i];
        symbols.push(DocumentSymbol {
            name: p.name.clone(),
            detail: Some(card::detail(world.vault(), i)),
            kind: SymbolKind::OBJECT,
            tags: None,
            deprecated: None,
            range: whole,
            selection_range: name_line(text),
            children: None,
        });
    }
    let body_start = at::front_matter(text).map_or(0, |yaml| yaml.end);
    let mut offset = body_start;
    let mut fenced = false;
    while offset < text.len() {
        let line = at::line_around(text, offset);
        let here = &text[line.clone()];
        if here.trim_start().starts_with("```") || here.trim_start().starts_with("~~~") {
            fenced = !fenced;
        }
        let level = here.bytes().take_while(|&b| b == b'#').count();
        if !fenced && (1..=6).contains(&level) && here[level..].starts_with(' ') {
            let range = lines.range(line.clone());
            symbols.push(DocumentSymbol {
                name: here[level..].trim().to_string(),
                detail: None,
                kind: SymbolKind::STRING,
                tags: None,
                deprecated: None,
                range,
                selection_range: range,
                children: None,
            });
        }
        offset = line.end + 1;
        if text[line.end..].starts_with("\r\n") {
            offset += 1;
        }
    }
    symbols
}

/// Partners whose name or an alias holds the query (ignoring case and accents), best first:
/// those it begins, then by name; at most `limit`.
#[allow(deprecated)] // `SymbolInformation::deprecated` has to be given.
pub fn workspace_symbols(world: &World, query: &str, limit: usize) -> Vec<SymbolInformation> {
    let vault = world.vault();
    let wanted = slug::slug(query);
    let mut found: Vec<(bool, usize)> = (0..vault.partners.len())
        .filter_map(|i| {
            let p = &vault.partners[i];
            let mut best = None;
            for name in p.names() {
                let folded = slug::slug(name);
                if folded.starts_with(&wanted) {
                    best = Some(true);
                    break;
                }
                if folded.contains(&wanted) {
                    best = Some(false);
                }
            }
            best.map(|begins| (!begins, i))
        })
        .collect();
    found.sort_by(|a, b| {
        (a.0, resolve::key(&vault.partners[a.1].name))
            .cmp(&(b.0, resolve::key(&vault.partners[b.1].name)))
    });
    found
        .into_iter()
        .take(limit)
        .map(|(_, i)| {
            let p = &vault.partners[i];
            SymbolInformation {
                name: p.name.clone(),
                kind: SymbolKind::OBJECT,
                tags: None,
                deprecated: None,
                location: Location::new(world.uri(&p.path), Range::default()),
                container_name: Some(card::detail(vault, i)),
            }
        })
        .collect()
}
