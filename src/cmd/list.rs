//! `vault list`: partners as a table or JSON, filtered and sorted.

use super::{note_errors, paint, Context};
use crate::cadence::Cadence;
use crate::cli::{FilterArgs, ListArgs, ListFormat, SortKey};
use crate::priority;
use crate::review::Week;
use crate::suggest;
use crate::text;
use crate::vault::Vault;
use crate::views::{due_phrase, PartnerView};
use anyhow::{anyhow, bail};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::io::Write;

pub fn run(ctx: &Context, args: &ListArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let filter = Filter::new(ctx, &args.filter)?;
    let vault = ctx.load();
    filter.warn_about_unknown_keys(vault);
    // Both on every core: `--where` on a known key decodes each partner's keys from the
    // cache, and a view per partner is a dozen small strings.
    let mut rows: Vec<usize> = (0..vault.partners.len())
        .into_par_iter()
        .filter(|&i| filter.keeps(vault, i))
        .collect();
    sort(vault, &mut rows, args.sort);
    match args.format {
        ListFormat::Json => {
            crate::json::write_pretty_each(out, rows.len(), |n| PartnerView::new(vault, rows[n]))?;
        }
        ListFormat::Table => {
            let views: Vec<PartnerView> = rows
                .par_iter()
                .map(|&i| PartnerView::new(vault, i))
                .collect();
            out.write_all(table(&views, ctx.color).as_bytes())?;
        }
    }
    if rows.is_empty() && args.format == ListFormat::Table {
        eprintln!("no partners match");
    }
    note_errors(vault);
    Ok(crate::error::EXIT_OK)
}

/// The partners `--stage`, `--where`, ... keep.
pub struct Filter<'a> {
    args: &'a FilterArgs,
    due_within: Option<Cadence>,
    /// The last day of the week holding today (for `--give-first`, as the review).
    week_end: NaiveDate,
    wheres: Vec<(String, String)>,
}

impl<'a> Filter<'a> {
    pub fn new(ctx: &Context, args: &'a FilterArgs) -> anyhow::Result<Filter<'a>> {
        let config = &ctx.config;
        let tiers: Vec<String> = config.tiers.keys().cloned().collect();
        for (value, allowed, what) in [
            (&args.stage, &config.stages, "stage"),
            (&args.kind, &config.kinds, "kind"),
            (&args.tier, &tiers, "tier"),
        ] {
            if let Some(value) = value {
                if !allowed.iter().any(|a| a.eq_ignore_ascii_case(value)) {
                    bail!(
                        "--{what}: unknown {what} `{value}`; {}",
                        suggest::hint_for(value, allowed, &format!("the {what}s"))
                    );
                }
            }
        }
        let due_within = match &args.due_within {
            Some(text) => Some(
                Cadence::parse_span(text)
                    .map_err(|e| anyhow!("--due-within: {} ({})", e.message, e.hint))?,
            ),
            None => None,
        };
        let wheres = args
            .filters
            .iter()
            .map(|f| {
                f.split_once('=')
                    .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                    .ok_or_else(|| {
                        anyhow!("--where `{f}`: expected KEY=VALUE, e.g. --where location=Lisbon")
                    })
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(Filter {
            args,
            due_within,
            week_end: Week::containing(ctx.today, config.week_starts).end(),
            wheres,
        })
    }

    /// Says so when a `--where` key is in no partner note.
    pub fn warn_about_unknown_keys(&self, vault: &Vault) {
        warn_about_unknown_keys_in(vault, &self.wheres);
    }

    pub fn keeps(&self, vault: &Vault, i: usize) -> bool {
        let p = &vault.partners[i];
        let same = |have: Option<&str>, want: &Option<String>| {
            want.as_ref()
                .is_none_or(|w| have.is_some_and(|h| h.eq_ignore_ascii_case(w)))
        };
        let due_ok = self.due_within.is_none_or(|span| {
            vault.derived[i]
                .due
                .is_some_and(|due| due <= span.add_to(vault.today))
        });
        let d = &vault.derived[i];
        let overdue_ok = !self.args.overdue || d.due.is_some_and(|due| due < vault.today);
        let give_ok = !self.args.give_first || priority::give_reason(d, self.week_end).is_some();
        same(p.stage.as_deref(), &self.args.stage)
            && same(p.kind.as_deref(), &self.args.kind)
            && same(Some(&p.tier), &self.args.tier)
            && self
                .args
                .tag
                .as_ref()
                .is_none_or(|t| p.tags.iter().any(|tag| tag.eq_ignore_ascii_case(t)))
            && due_ok
            && overdue_ok
            && give_ok
            && self
                .wheres
                .iter()
                .all(|(key, value)| p.field(key).is_some_and(|v| v.matches_text(value)))
    }
}

/// Says so when a `--where` key is in no partner note (a typo matches nothing, silently).
fn warn_about_unknown_keys_in(vault: &Vault, wheres: &[(String, String)]) {
    for (key, _) in wheres {
        if vault.partners.iter().any(|p| p.field(key).is_some()) {
            continue;
        }
        let keys: std::collections::BTreeSet<&str> = vault
            .partners
            .iter()
            .flat_map(|p| p.fields.get().keys())
            .collect();
        let hint = match suggest::closest(key, keys.iter().copied()) {
            Some(best) => format!("; did you mean `{best}`?"),
            None => String::new(),
        };
        eprintln!(
            "note: no partner note has the key `{}`, so --where matches nobody{}",
            text::short(key),
            text::line(&hint)
        );
    }
}

fn sort(vault: &Vault, rows: &mut Vec<usize>, key: SortKey) {
    let name = |i: usize| vault.partners[i].name.to_lowercase();
    match key {
        SortKey::Name => rows.sort_by_cached_key(|&i| (name(i), vault.partners[i].path.clone())),
        SortKey::Due => rows.sort_by_cached_key(|&i| {
            let due = vault.derived[i].due;
            (due.is_none(), due, name(i))
        }),
        SortKey::Priority => priority::order(vault, &priority::scores(vault), rows, None),
        SortKey::Last => rows.sort_by_cached_key(|&i| (vault.derived[i].last_touch, name(i))),
        SortKey::Strength => {
            rows.sort_by_cached_key(|&i| (std::cmp::Reverse(vault.derived[i].strength), name(i)))
        }
    }
}

fn table(views: &[PartnerView], color: bool) -> String {
    const HEADERS: [&str; 10] = [
        "NAME",
        "KIND",
        "STAGE",
        "TIER",
        "LAST TOUCH",
        "DUE",
        "",
        "PRIORITY",
        "GAVE/GOT",
        "ORG",
    ];
    let dash = |v: Option<&str>| v.unwrap_or("-").to_string();
    let cells: Vec<[String; 10]> = views
        .iter()
        .map(|v| {
            [
                v.name.to_string(),
                dash(v.kind),
                dash(v.stage),
                format!("{} {}", v.tier, v.cadence),
                dash(v.last_touch.as_deref()),
                dash(v.due.as_deref()),
                due_phrase(v.due_in_days),
                v.priority.to_string(),
                format!("{}/{}", v.gave, v.got),
                dash(v.org),
            ]
            .map(|cell| text::line(&cell).into_owned())
        })
        .collect();
    let mut widths = HEADERS.map(|h| h.chars().count());
    for row in &cells {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |row: &[String; 10], overdue: bool| {
        let mut text = String::new();
        for (col, cell) in row.iter().enumerate() {
            let padded = if col + 1 == row.len() {
                cell.clone()
            } else {
                format!("{cell:<width$}  ", width = widths[col])
            };
            let styled = if col == 6 && overdue {
                paint(color, "31", &padded)
            } else {
                padded
            };
            text.push_str(&styled);
        }
        text.trim_end().to_string() + "\n"
    };
    let mut out = paint(
        color,
        "1",
        line(&HEADERS.map(String::from), false).trim_end(),
    ) + "\n";
    for (row, view) in cells.iter().zip(views) {
        out.push_str(&line(row, view.due_in_days.is_some_and(|d| d < 0)));
    }
    out
}
