//! `vault export csv|json|vcard`: the partners the filters keep, by name, on stdout. CSV and
//! JSON carry every key, channel and derived value (last touch, due, balance, priority); the
//! CSV's columns are named as `vault import csv` reads them back. vCard is 4.0, for contacts
//! apps, and imports back without duplicates (matched by email, profile, then name).

use super::list::Filter;
use super::{note_errors, Context};
use crate::cli::{ExportArgs, ExportFormat};
use crate::error::EXIT_OK;
use crate::import::vcard::{self, Card};
use crate::value::{json_text, Value};
use crate::vault::Vault;
use crate::views::{date_text, PartnerView};
use serde::Serialize;
use std::collections::BTreeSet;
use std::io::Write;

/// A partner as `export json` writes it: the list's fields, then what the list leaves out.
#[derive(Serialize)]
struct Exported<'a> {
    #[serde(flatten)]
    view: PartnerView<'a>,
    id: Option<&'a str>,
    last_contact: Option<String>,
    met_at: Option<&'a str>,
    channels: serde_json::Map<String, serde_json::Value>,
}

pub fn run(ctx: &Context, args: &ExportArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let filter = Filter::new(ctx, &args.filter)?;
    let vault = ctx.load();
    filter.warn_about_unknown_keys(vault);
    let mut rows: Vec<usize> = (0..vault.partners.len())
        .filter(|&i| filter.keeps(vault, i))
        .collect();
    rows.sort_by(|&a, &b| {
        let (a, b) = (&vault.partners[a], &vault.partners[b]);
        (a.name.to_lowercase(), &a.path).cmp(&(b.name.to_lowercase(), &b.path))
    });
    match args.format {
        ExportFormat::Json => {
            crate::json::write_pretty_each(out, rows.len(), |n| exported(vault, rows[n]))?
        }
        ExportFormat::Csv => csv(vault, &rows, out)?,
        ExportFormat::Vcard => {
            for &i in &rows {
                out.write_all(card(vault, i).as_bytes())?;
            }
        }
    }
    note_errors(vault);
    Ok(EXIT_OK)
}

fn exported(vault: &Vault, i: usize) -> Exported<'_> {
    let p = &vault.partners[i];
    Exported {
        view: PartnerView::new(vault, i),
        id: p.id.as_deref(),
        last_contact: date_text(p.last_contact),
        met_at: p.met_at.as_deref(),
        channels: p
            .channels
            .get()
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect(),
    }
}

/// The columns, in this order: the keys vault knows, the channels and other keys any exported
/// partner has (sorted), then the derived values.
const KEYS: [&str; 12] = [
    "name",
    "aliases",
    "org",
    "kind",
    "stage",
    "tier",
    "cadence",
    "since",
    "last_contact",
    "next",
    "met_at",
    "tags",
];
const DERIVED: [&str; 8] = [
    "last_touch",
    "due",
    "days_overdue",
    "gave",
    "got",
    "balance",
    "priority",
    "path",
];

fn csv(vault: &Vault, rows: &[usize], out: &mut dyn Write) -> anyhow::Result<()> {
    let mut channels = BTreeSet::new();
    let mut extra = BTreeSet::new();
    for &i in rows {
        let p = &vault.partners[i];
        channels.extend(p.channels.get().iter().map(|(k, _)| k.clone()));
        extra.extend(p.extra.keys().map(str::to_string));
    }
    let mut writer = ::csv::Writer::from_writer(out);
    let header: Vec<String> = KEYS
        .iter()
        .map(|k| k.to_string())
        .chain(channels.iter().map(|c| format!("channels.{c}")))
        .chain(extra.iter().cloned())
        .chain(DERIVED.iter().map(|k| k.to_string()))
        .collect();
    writer.write_record(&header)?;
    for &i in rows {
        let p = &vault.partners[i];
        let d = &vault.derived[i];
        let view = PartnerView::new(vault, i);
        let list = |items: &crate::strs::Strs| items.iter().collect::<Vec<_>>().join("; ");
        let date = |day| date_text(day).unwrap_or_default();
        let mut record: Vec<String> = vec![
            p.name.clone(),
            list(&p.aliases),
            p.org.clone().unwrap_or_default(),
            p.kind.clone().unwrap_or_default(),
            p.stage.clone().unwrap_or_default(),
            p.tier.clone(),
            p.cadence.map(|c| c.to_string()).unwrap_or_default(),
            date(p.since),
            date(p.last_contact),
            date(p.next),
            p.met_at.clone().unwrap_or_default(),
            list(&p.tags),
        ];
        let have = p.channels.get();
        record.extend(channels.iter().map(|c| {
            have.iter()
                .find(|(k, _)| k == c)
                .map_or(String::new(), |(_, v)| v.clone())
        }));
        record.extend(
            extra
                .iter()
                .map(|k| p.extra.get(k).map_or(String::new(), cell)),
        );
        record.extend([
            date(d.last_touch),
            date(d.due),
            view.days_overdue.to_string(),
            view.gave.to_string(),
            view.got.to_string(),
            view.balance.to_string(),
            view.priority.to_string(),
            p.path.clone(),
        ]);
        writer.write_record(&record)?;
    }
    writer.flush()?;
    Ok(())
}

/// A front-matter value in one cell: a scalar as text, a list of scalars joined with `; `,
/// anything else as JSON.
fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::List(items) if items.iter().all(|i| i.as_text().is_some()) => items
            .iter()
            .filter_map(Value::as_text)
            .collect::<Vec<_>>()
            .join("; "),
        other => other.as_text().unwrap_or_else(|| json_text(other)),
    }
}

fn card(vault: &Vault, i: usize) -> String {
    let p = &vault.partners[i];
    let role = p
        .extra
        .get("role")
        .or_else(|| p.extra.get("position"))
        .and_then(Value::as_text);
    vcard::write(&Card {
        name: &p.name,
        aliases: p.aliases.iter().collect(),
        org: p.org.as_deref(),
        role,
        channels: p.channels.get(),
        tags: p.tags.iter().collect(),
        uid: p
            .id
            .clone()
            .unwrap_or_else(|| p.path.trim_end_matches(".md").to_string()),
    })
}
