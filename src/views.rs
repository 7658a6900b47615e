//! Plain `Serialize` views of the index, for JSON output and templates (never the model itself).

use crate::vault::Vault;
use chrono::NaiveDate;
use serde::Serialize;

/// One partner with its derived values. Dates are `YYYY-MM-DD` or null.
#[derive(Debug, Clone, Serialize)]
pub struct PartnerView {
    pub name: String,
    /// Relative to the vault, `/`-separated.
    pub path: String,
    pub kind: Option<String>,
    pub stage: Option<String>,
    pub tier: String,
    pub cadence: String,
    pub last_touch: Option<String>,
    pub due: Option<String>,
    /// Days from today to the due day: negative when overdue, null when never due.
    pub due_in_days: Option<i64>,
    /// `gave`/`got` entries within the reciprocity window, and `gave - got`.
    pub gave: usize,
    pub got: usize,
    pub balance: i64,
    pub last_gave: Option<String>,
    pub org: Option<String>,
    pub tags: Vec<String>,
    pub aliases: Vec<String>,
    pub next: Option<String>,
    pub since: Option<String>,
}

pub fn date_text(date: Option<NaiveDate>) -> Option<String> {
    date.map(|d| d.format("%Y-%m-%d").to_string())
}

impl PartnerView {
    pub fn new(vault: &Vault, index: usize) -> PartnerView {
        let p = &vault.partners[index];
        let d = &vault.derived[index];
        PartnerView {
            name: p.name.clone(),
            path: p.path.clone(),
            kind: p.kind.clone(),
            stage: p.stage.clone(),
            tier: p.tier.clone(),
            cadence: d.cadence.to_string(),
            last_touch: date_text(d.last_touch),
            due: date_text(d.due),
            due_in_days: d.due.map(|due| (due - vault.today).num_days()),
            gave: d.gave,
            got: d.got,
            balance: d.balance(),
            last_gave: date_text(d.last_gave),
            org: p.org.clone(),
            tags: p.tags.clone(),
            aliases: p.aliases.clone(),
            next: date_text(p.next),
            since: date_text(p.since),
        }
    }
}

/// "in 3d", "today", "5d overdue", or "-" when never due.
pub fn due_phrase(days: Option<i64>) -> String {
    match days {
        None => "-".into(),
        Some(0) => "today".into(),
        Some(n) if n > 0 => format!("in {n}d"),
        Some(n) => format!("{}d overdue", -n),
    }
}
