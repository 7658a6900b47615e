//! Generates a synthetic partner vault, for benchmarks and tests.
//!
//! ```text
//! cargo run --release --example gen_vault -- OUT_DIR [--partners N] [--notes M] [--seed S]
//!     [--today YYYY-MM-DD] [--shape neglected|realistic] [--bad FRACTION] [--manifest FILE]
//!     [--broken-links N] [--force]
//!
//! cargo run --release --example gen_vault -- /tmp/v10k --partners 10000 --notes 5000 --seed 1
//! cargo run --release --example gen_vault -- /tmp/kept --partners 300 --shape realistic
//! cargo run --release --example gen_vault -- /tmp/bad --partners 200 --bad 0.1 --manifest bad.tsv
//! ```
//!
//! What it writes, all of it valid by `docs/format.md` unless `--bad` or `--broken-links` asks
//! for mistakes:
//!
//! - `vault.yaml` (the default settings written out), `.gitignore` (`.vault/`), a hidden
//!   `.obsidian/` folder that `vault` must never read, and an empty `reviews/`;
//! - `partners/<kind>/<slug>.md`, one note per partner (`partners/<kind>/archive/` for dormant
//!   ones): 10-16 front-matter keys (a `channels` map, `tags`, `aliases`, plain and quoted
//!   dates, the odd comment, keys `vault` does not know), prose with links in every form, a
//!   `## Log` of 3-40 dated entries (`gave`, `got`, `met`, `talked`, `note`, sometimes no kind,
//!   now and then a `stage:` move) and 0-4 tasks. Names are unique; some are not ASCII;
//! - `notes/meetings/<year>/<date>-<title>.md`: dated meeting notes. Their `attendees:`
//!   (sometimes `partners:` or `with:`) list the partners met, which makes them touches; their
//!   body mentions other partners, which does not;
//! - `notes/ideas/<title>.md`: undated notes that mention partners.
//!
//! About 2% of the notes have CRLF line ends and 0.5% start with a byte-order mark.
//!
//! `--shape` says how well the vault is kept. `neglected` (the default, the shape of the
//! acceptance checks' generator) dates every touch at random over the partner's years, so about
//! 80% of the partners are overdue. `realistic` is a vault kept every week: the newest Log days
//! are moved so that about 9% of the partners are overdue (by 1-3 cadences), 8% fall due
//! within the week and the rest are in touch; open tasks are mostly ahead. Everything else is
//! the same, and `neglected` gives the same bytes as before the option existed.
//!
//! `--bad FRACTION` breaks that fraction of the partner notes, each in one way: an invalid
//! date, an unknown stage, kind or tier, a bad cadence, a misspelt key, unclosed front matter,
//! invalid YAML, a bad Log date or a broken link. Links elsewhere never point at a broken note,
//! so each mistake shows up in its own file only. `--broken-links N` adds N links to notes that
//! do not exist (misspelt partner names, for "did you mean" suggestions), spread over the valid
//! notes. Every mistake is one row of a TSV manifest (path, defect, line, the `vault check` code,
//! the line's text), written to `--manifest FILE`, else to stderr when there is any.
//!
//! The output depends only on the arguments: everything random comes from a splitmix64
//! generator seeded with `--seed`.

use anyhow::{bail, ensure, Context, Result};
use chrono::{Datelike, NaiveDate, TimeDelta};
use clap::Parser;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use words::*;

#[derive(Parser)]
#[command(about = "Generate a synthetic partner vault for benchmarks and tests")]
struct Args {
    /// The folder to write the vault into.
    out_dir: PathBuf,
    /// How many partner notes.
    #[arg(long, default_value_t = 1000)]
    partners: usize,
    /// How many other notes (meetings and ideas); default: half the partners.
    #[arg(long)]
    notes: Option<usize>,
    /// The seed: the same arguments give the same bytes.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The day dates are generated around.
    #[arg(long, default_value = "2026-11-23")]
    today: NaiveDate,
    /// How well the vault is kept: most partners overdue, or most in touch.
    #[arg(long, value_enum, default_value_t = Shape::Neglected)]
    shape: Shape,
    /// The fraction of partner notes to break, one mistake each.
    #[arg(long, default_value_t = 0.0, value_name = "FRACTION")]
    bad: f64,
    /// Where to write the manifest of mistakes (default: stderr).
    #[arg(long, value_name = "FILE")]
    manifest: Option<PathBuf>,
    /// How many links to notes that do not exist to add.
    #[arg(long, default_value_t = 0, value_name = "N")]
    broken_links: usize,
    /// Write into OUT_DIR even when it is not empty (files of the same name are replaced).
    #[arg(long)]
    force: bool,
}

/// How well the generated vault is kept (see the module's documentation).
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Shape {
    /// Touches at random over the years: most partners overdue.
    Neglected,
    /// Kept every week: about 9% overdue, 8% due within the week.
    Realistic,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_vault: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Args) -> Result<()> {
    ensure!(args.partners >= 2, "--partners must be at least 2");
    ensure!(
        (0.0..=1.0).contains(&args.bad),
        "--bad must be between 0 and 1"
    );
    let root = &args.out_dir;
    if !args.force && root.is_dir() && fs::read_dir(root)?.next().is_some() {
        bail!("{} is not empty (use --force)", root.display());
    }

    let mut rng = Rng(args.seed);
    let mut partners = make_partners(&mut rng, args.partners)?;
    let n_bad = (args.bad * partners.len() as f64).round() as usize;
    for i in rng.distinct(partners.len(), n_bad) {
        partners[i].bad = true;
    }
    let mut gen = Generator::new(rng, partners, args.today, args.shape)?;
    let n_notes = args.notes.unwrap_or(args.partners / 2);
    let broken = gen.spread_broken_links(args.broken_links, n_notes);
    let (broken_in_partners, broken_in_notes) = broken.split_at(gen.partners.len());

    write_skeleton(root)?;
    let mut manifest = Vec::new();
    let mut bytes = 0;
    let mut bad_count = 0; // so far: the defects are handed out in turn
    for (i, &links) in broken_in_partners.iter().enumerate() {
        let mut note = gen.render_partner(i);
        if gen.partners[i].bad {
            let defect = DEFECTS[bad_count % DEFECTS.len()];
            manifest.push(gen.break_note(defect, &mut note));
            bad_count += 1;
        }
        gen.add_broken_links(&mut note, links, &mut manifest);
        bytes += gen.write_note(root, &note)?;
    }
    let mut taken = HashSet::new();
    for &links in broken_in_notes {
        let mut note = gen.render_other_note(&mut taken);
        gen.add_broken_links(&mut note, links, &mut manifest);
        bytes += gen.write_note(root, &note)?;
    }

    write_manifest(&mut manifest, args.manifest.as_deref())?;
    println!(
        "{}: {} partners ({bad_count} bad), {n_notes} notes, {} broken links, {:.1} MB of Markdown",
        root.display(),
        gen.partners.len(),
        args.broken_links,
        bytes as f64 / 1e6
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Randomness: splitmix64, small and the same everywhere.

struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    /// A number in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn weighted<'a, T>(&mut self, items: &'a [(T, u32)]) -> &'a T {
        let total: u32 = items.iter().map(|(_, w)| w).sum();
        let mut roll = self.below(total as usize) as u32;
        for (item, weight) in items {
            if roll < *weight {
                return item;
            }
            roll -= weight;
        }
        unreachable!("the roll is below the total weight")
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }

    /// `count` different numbers from `0..space`, in random order (Floyd's algorithm).
    fn distinct(&mut self, space: usize, count: usize) -> Vec<usize> {
        assert!(count <= space, "cannot draw {count} of {space}");
        let mut seen = HashSet::with_capacity(count);
        let mut out = Vec::with_capacity(count);
        for j in space - count..space {
            let t = self.below(j + 1);
            let drawn = if seen.insert(t) { t } else { j };
            seen.insert(drawn);
            out.push(drawn);
        }
        self.shuffle(&mut out);
        out
    }

    /// `count` different items of `items`.
    fn sample<T: Copy>(&mut self, items: &[T], count: usize) -> Vec<T> {
        let count = count.min(items.len());
        self.distinct(items.len(), count)
            .into_iter()
            .map(|i| items[i])
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Words, with weights where some are likelier. The format's own lists (kinds, stages, tiers)
// are the defaults of `vault.yaml`.

#[rustfmt::skip]
mod words {
    pub const KINDS: [(&str, u32); 9] = [
        ("influencer", 28), ("co-creator", 14), ("publisher", 8), ("podcast", 11), ("event", 7),
        ("community", 9), ("media", 8), ("company", 10), ("other", 5),
    ];
    pub const STAGES: [(&str, u32); 5] = [
        ("prospect", 16), ("acquaintance", 20), ("nurturing", 28), ("partner", 26), ("dormant", 10),
    ];
    pub const TIERS: [(&str, u32); 3] = [("A", 15), ("B", 45), ("C", 40)];
    pub const CADENCES: [&str; 10] = [
        "10d", "3w", "6w", "2m", "1y", "weekly", "biweekly", "monthly", "quarterly", "yearly",
    ];

    pub const FIRST_NAMES: [&str; 96] = [
        "Abebe", "Ada", "Adele", "Ahmed", "Aiko", "Alba", "Alejandra", "Amir", "Anders", "Annika",
        "Arturo", "Åsa", "Aurelia", "Bao", "Bea", "Bilal", "Bruno", "Camille", "Cecilia", "Céline",
        "Chloë", "Dalia", "Dmitri", "Doris", "Eamon", "Efua", "Elif", "Emil", "Farah", "Femi",
        "Flora", "Gemma", "Gideon", "Greta", "Hamid", "Hanne", "Hugo", "Idris", "Ilse", "Imani",
        "Ingrid", "Jamal", "Joaquín", "Jonah", "Kaito", "Kamala", "Kirsten", "Leila", "Lena", "Lior",
        "Lucía", "Łukasz", "Magnus", "Malik", "Marek", "Margot", "Mateo", "Mirela", "Nils", "Noémie",
        "Obi", "Olu", "Orla", "Pablo", "Paloma", "Quinn", "Rania", "Renée", "Rohan", "Rui", "Saanvi",
        "Selin", "Søren", "Stellan", "Suki", "Tobias", "Ulla", "Valentina", "Vikram", "Wen",
        "Xavier", "Yasmin", "Yosef", "Zainab", "Zeynep", "Zofia", "Ines", "Kwabena", "Mads",
        "Nkechi", "Oren", "Pilar", "Ragnhild", "Sven", "Tamsin", "Ugo",
    ];
    /// Made-up surnames are a start and an end (`Birch` + `wick`).
    pub const SURNAME_STARTS: [&str; 36] = [
        "Alder", "Amber", "Birch", "Bram", "Cliff", "Cole", "Crane", "Dale", "Elder", "Fen",
        "Flint", "Frost", "Glen", "Gray", "Hazel", "Heath", "Hill", "Holly", "Ivy", "Kent", "Lark",
        "Marl", "Nettle", "Pike", "Reed", "Rook", "Rowan", "Rush", "Sage", "Shore", "Sloe",
        "Thistle", "Wren", "Yew", "Moss", "Quill",
    ];
    pub const SURNAME_ENDS: [&str; 20] = [
        "ford", "ley", "ton", "wick", "by", "well", "stone", "field", "worth", "more", "dale",
        "shaw", "hurst", "croft", "gate", "land", "bourne", "combe", "holm", "stead",
    ];
    pub const SURNAMES: [&str; 40] = [
        "Abara", "Achterberg", "Aguilar", "Bakshi", "Barros", "Castellanos", "Çelik", "Dahl",
        "Demir", "Ekström", "Fontaine", "Gallo", "Hakimi", "Hwang", "Iyer", "Jovanović",
        "Kaczmarek", "Kiplagat", "Lindgren", "Machado", "Moreno", "Nakashima", "Nowak", "Oduya",
        "Ortega", "Petrov", "Quispe", "Rahman", "Saarinen", "Sato", "Søndergaard", "Takahashi",
        "Tran", "Uchida", "Varga", "Wójcik", "Yilmaz", "Zapata", "Mwangi", "Ferreira",
    ];

    /// Organisations are named `<word> <thing> <ending>` (`Plucky Heron Podcast`).
    pub const ORG_WORDS: [&str; 40] = [
        "Amber", "Azure", "Brisk", "Candid", "Civic", "Copper", "Coral", "Crimson", "Dapper",
        "Eager", "Fabled", "Gentle", "Glad", "Hardy", "Humble", "Jolly", "Keen", "Lively", "Lofty",
        "Lunar", "Mellow", "Merry", "Nimble", "Odd", "Plucky", "Polar", "Proud", "Quick", "Rustic",
        "Sable", "Sharp", "Snug", "Sunny", "Tidy", "Upbeat", "Vast", "Witty", "Zesty", "Bright",
        "Quiet",
    ];
    pub const ORG_THINGS: [&str; 40] = [
        "Acorn", "Badger", "Balloon", "Bison", "Cactus", "Cobalt", "Comet", "Dune", "Falcon",
        "Fjord", "Garnet", "Glacier", "Heron", "Hollow", "Juniper", "Kettle", "Kite", "Lagoon",
        "Lynx", "Marble", "Meteor", "Mosaic", "Nest", "Nova", "Oasis", "Orchard", "Pebble", "Pine",
        "Prism", "Reef", "Saffron", "Sparrow", "Spruce", "Tandem", "Thicket", "Tundra", "Walrus",
        "Yarrow", "Zenith", "Lantern",
    ];

    /// The kinds that are often organisations, and the words their names end with.
    pub fn org_endings(kind: &str) -> Option<&'static [&'static str]> {
        match kind {
            "podcast" => Some(&["Podcast", "Hour", "Sessions", "On Air"]),
            "publisher" => Some(&["Editions", "House", "Letters", "Prints"]),
            "event" => Some(&["Summit", "Days", "Forum", "Camp"]),
            "community" => Some(&["Circle", "Commons", "Crew", "Society"]),
            "media" => Some(&["Media", "Dispatch", "Times", "Digest"]),
            "company" => Some(&["Labs", "Works", "GmbH", "Ltd"]),
            _ => None,
        }
    }

    pub const TOPICS: [&str; 30] = [
        "audio", "brand-voice", "copywriting", "data-journalism", "design-systems", "email",
        "events", "fintech", "gaming", "growth", "health", "indie-publishing", "interviews",
        "live-streaming", "local-business", "memberships", "mobile", "nonprofits", "open-source",
        "personal-finance", "photography", "podcasts", "launches", "public-relations",
        "remote-work", "research", "short-video", "sustainability", "ux-writing", "webinars",
    ];
    pub const EVENTS: [&str; 12] = [
        "Northern Creators Week", "Signal & Noise Conference", "the Audio Futures Summit",
        "Indie Publishing Days", "Growth Camp", "the Porto creator meetup", "Brand Builders Forum",
        "Newsletter Night", "the Data Storytelling Summit", "Stream Fest", "Open Studio Weekend",
        "the regional marketing meetup",
    ];
    pub const CITIES: [&str; 16] = [
        "Accra", "Amsterdam", "Bogotá", "Cape Town", "Dublin", "Helsinki", "Kraków", "Kyoto",
        "Lima", "Marseille", "Montréal", "Mumbai", "Oslo", "Seoul", "Tallinn", "Vancouver",
    ];
    pub const THINGS: [&str; 13] = [
        "podcast series", "newsletter issue", "mini-course", "workbook", "launch", "AMA",
        "webinar", "survey report", "template kit", "video essay", "case study", "guide",
        "community challenge",
    ];
    pub const ROLES: [&str; 10] = [
        "editor-in-chief", "show host", "founder", "growth lead", "community manager", "producer",
        "partnerships lead", "creative director", "newsletter writer", "event curator",
    ];
    pub const CHANNELS: [&str; 11] = [
        "twitter", "linkedin", "email", "website", "youtube", "instagram", "tiktok", "newsletter",
        "mastodon", "bluesky", "threads",
    ];

    /// Log phrases by kind and weight; `None` is an entry without a kind word.
    pub const LOG_PHRASES: [(Option<&str>, u32, &[&str]); 6] = [
        (Some("gave"), 25, &[
            "Featured their {thing} in my weekly roundup",
            "Connected them with {link}",
            "Reviewed the draft of their {thing} and sent notes",
            "Shared their {thing} with my list, with credit",
            "Recorded a short testimonial for their {thing}",
            "Put them forward as a panelist for {event}",
            "Cited their work on {topic} in my post",
        ]),
        (Some("got"), 20, &[
            "They mentioned my {thing} to their audience",
            "They introduced me to {link}",
            "Asked me to speak at {event}",
            "Had me on their {thing} as a guest",
            "Sent me an **advance copy** of their {thing}",
            "Gave *honest* feedback on my {thing}",
        ]),
        (Some("met"), 15, &[
            "Lunch at {event}",
            "Walked around {city} after {event}",
            "Ran into them at {event}",
            "Video call about {topic}",
        ]),
        (Some("talked"), 25, &[
            "Messages back and forth about {topic}",
            "Call about a shared {thing}",
            "Email with {link} in copy about {topic}",
            "Replied to their thread on *{topic}*",
        ]),
        (Some("note"), 7, &[
            "Started a new {thing}",
            "Now working as {role}",
            "Relocated to {city}",
        ]),
        (None, 8, &[
            "Short chat about {topic}",
            "Reacted to their {thing}",
            "Spotted them at {event}",
        ]),
    ];

    /// Paragraphs about a partner. The last two hold `[[...]]` that are no links: in a code
    /// span and in an HTML comment.
    pub const PROSE: [&str; 9] = [
        "Publishes a {thing} on {topic} read by about {n}k people. We were introduced by {link} at {event}.",
        "Replies faster on email than on DMs. Mention the **whole team** when sharing their work.",
        "Is {role} these days; interested in {topic} and {topic2}. A shared {thing} would suit both audiences.",
        "First conversation was at {event} in {city}. Has sent several good intros my way since (for example {link}).",
        "Our audiences overlap on {topic} but not on {topic2}, which makes a *joint* {thing} attractive.",
        "Last call: they want to grow on {topic}; my [{thing} notes](https://example.org/{slug}) could help.",
        "Knows {link} and {link2} well. Check with them before suggesting anything **paid**.",
        "Their intro emails start with `Hi [[first name]],` so check the merge fields before forwarding one.",
        "Worth a {thing} together in {city}. <!-- ask about [[rates for 2027]] first -->",
    ];

    pub const TASKS: [&str; 6] = [
        "Pitch a shared {thing} about {topic}",
        "Send over my {thing}",
        "Congratulate them on the {thing}",
        "Ask {link} to make an intro",
        "Check in about {topic}",
        "Schedule a call ahead of {event}",
    ];

    pub const MEETING_TITLES: [&str; 6] = [
        "Call with {name}", "Lunch with {name}", "Notes from {event}", "Partner sync: {name}",
        "Recording prep with {name}", "Check-in: {topic}",
    ];
    pub const MEETING_POINTS: [&str; 6] = [
        "Discussed {topic} and how {link} could help",
        "They plan a {thing} for the spring",
        "We will cross-promote in our newsletters",
        "{link} could be a guest next time",
        "Reach: about {n}k followers, strongest on {topic}",
        "Idea: a **shared** {thing} on *{topic}*",
    ];

    /// The front-matter keys of a dated note that record touches (the default `touch_keys`).
    pub const TOUCH_KEYS: [(&str, u32); 3] = [("attendees", 70), ("partners", 20), ("with", 10)];

    // Mistakes for `--bad`.

    /// Defect name -> the `vault check` code it produces, in the order they are handed out.
    pub const DEFECTS: [(&str, &str); 10] = [
        ("bad_date", "invalid-date"), ("unknown_stage", "unknown-stage"),
        ("unknown_kind", "unknown-kind"), ("unknown_tier", "unknown-tier"),
        ("bad_cadence", "bad-cadence"), ("typo_key", "unknown-key"),
        ("unclosed_front_matter", "unclosed-front-matter"), ("invalid_yaml", "yaml-syntax"),
        ("bad_log_date", "bad-log-date"), ("broken_wikilink", "broken-link"),
    ];
    pub const INVALID_DATES: [&str; 5] =
        ["2026-02-29", "2025-13-01", "2026-06-31", "2026-00-15", "2025-09-31"];
    /// Defect -> the key it breaks and values that are not allowed there.
    pub const BAD_VALUES: [(&str, &str, &[&str]); 4] = [
        ("unknown_stage", "stage", &["partnr", "lead", "active", "cold"]),
        ("unknown_kind", "kind", &["influencr", "blogger", "vendor"]),
        ("unknown_tier", "tier", &["D", "AA", "S"]),
        ("bad_cadence", "cadence", &["2x", "fortnightly", "3 weeks", "0d"]),
    ];
    pub const KEY_TYPOS: [(&str, &str); 7] = [
        ("last_contact", "lastcontact"), ("stage", "stge"), ("cadence", "cadense"),
        ("aliases", "aliaes"), ("since", "snice"), ("tags", "tagss"), ("met_at", "metat"),
    ];
}

// ---------------------------------------------------------------------------------------------
// Partners: who they are and where their notes live, decided before any note is written so that
// every note can link to every other.

struct Partner {
    name: String,
    slug: String,
    aliases: Vec<String>,
    kind: &'static str,
    stage: &'static str,
    /// The organisation's name when the partner is one.
    org: Option<String>,
    /// A unique ASCII handle for channels and `@` aliases.
    handle: String,
    /// Relative to the vault root.
    path: String,
    bad: bool,
}

impl Partner {
    /// Every spelling a `[[link]]` may use for this partner: name, file name, aliases.
    fn spellings(&self) -> Vec<&str> {
        let mut all = vec![self.name.as_str(), self.slug.as_str()];
        all.extend(self.aliases.iter().map(String::as_str));
        all
    }

    fn folder(&self) -> &str {
        self.path.rsplit_once('/').map_or("", |(folder, _)| folder)
    }

    fn first_word(&self) -> &str {
        self.name.split(' ').next().unwrap_or(&self.name)
    }
}

fn make_partners(rng: &mut Rng, count: usize) -> Result<Vec<Partner>> {
    let kinds: Vec<&'static str> = (0..count).map(|_| *rng.weighted(&KINDS)).collect();
    let wants_org: Vec<bool> = kinds
        .iter()
        .map(|kind| org_endings(kind).is_some() && rng.chance(0.4))
        .collect();
    let org_space = ORG_WORDS.len() * ORG_THINGS.len();
    let org_count = wants_org.iter().filter(|w| **w).count().min(org_space);
    let mut orgs = rng.distinct(org_space, org_count).into_iter();
    let mut people = person_names(rng, count - org_count)?.into_iter();

    let mut handles = HashSet::new();
    let mut slugs = HashSet::new();
    let mut partners = Vec::with_capacity(count);
    for (kind, wants_org) in kinds.into_iter().zip(wants_org) {
        let org_pick = if wants_org { orgs.next() } else { None };
        let (name, mut aliases, org) = match org_pick {
            Some(pick) => org_identity(rng, kind, pick),
            None => person_identity(rng, people.next().expect("enough names")),
        };
        let handle = unique(ascii_handle(&name), &mut handles, "");
        if rng.chance(0.25) {
            aliases.push(format!("@{handle}"));
        }
        let slug = unique(slugify(&name), &mut slugs, "-");
        let stage = *rng.weighted(&STAGES);
        let folder = if stage == "dormant" {
            format!("partners/{kind}/archive")
        } else {
            format!("partners/{kind}")
        };
        partners.push(Partner {
            path: format!("{folder}/{slug}.md"),
            name,
            slug,
            aliases,
            kind,
            stage,
            org,
            handle,
            bad: false,
        });
    }
    Ok(partners)
}

/// `(first name, last name)` pairs, all different; middle initials only once plain ones run out.
fn person_names(rng: &mut Rng, count: usize) -> Result<Vec<(String, String)>> {
    let mut lasts: Vec<String> = SURNAME_STARTS
        .iter()
        .flat_map(|start| SURNAME_ENDS.iter().map(move |end| format!("{start}{end}")))
        .chain(SURNAMES.iter().map(|s| s.to_string()))
        .collect();
    lasts.sort();
    lasts.dedup();
    let plain = FIRST_NAMES.len() * lasts.len();
    ensure!(
        count <= plain * 27,
        "at most {} person names are available",
        plain * 27
    );
    let mut picks = rng.distinct(plain, count.min(plain));
    if count > plain {
        let initialled = rng.distinct(plain * 26, count - plain);
        picks.extend(initialled.into_iter().map(|i| plain + i));
    }
    Ok(picks
        .into_iter()
        .map(|pick| {
            let (initial, rest) = (pick / plain, pick % plain);
            let mut first = FIRST_NAMES[rest / lasts.len()].to_string();
            if initial > 0 {
                first.push_str(&format!(" {}.", char::from(b'A' + initial as u8 - 1)));
            }
            (first, lasts[rest % lasts.len()].clone())
        })
        .collect())
}

/// Name, aliases and organisation of a person (sometimes aliased `Last, First`).
type Identity = (String, Vec<String>, Option<String>);

fn person_identity(rng: &mut Rng, (first, last): (String, String)) -> Identity {
    let mut aliases = Vec::new();
    if rng.chance(0.3) {
        aliases.push(format!("{last}, {first}"));
    }
    (format!("{first} {last}"), aliases, None)
}

/// An organisation, aliased by its name without the ending (`Plucky Heron`).
fn org_identity(rng: &mut Rng, kind: &str, pick: usize) -> Identity {
    let short = format!(
        "{} {}",
        ORG_WORDS[pick / ORG_THINGS.len()],
        ORG_THINGS[pick % ORG_THINGS.len()]
    );
    let endings = org_endings(kind).expect("an organisation kind");
    let name = format!("{short} {}", rng.pick(endings));
    (name.clone(), vec![short], Some(name))
}

/// `base`, or `base` with a number appended, whichever is not taken yet; then taken.
fn unique(base: String, taken: &mut HashSet<String>, separator: &str) -> String {
    let mut candidate = base.clone();
    let mut n = 1;
    while taken.contains(&candidate) {
        n += 1;
        candidate = format!("{base}{separator}{n}");
    }
    taken.insert(candidate.clone());
    candidate
}

/// A file name from a title: lower-case letters and digits, words joined by `-`.
fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.to_lowercase().chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if (c == ' ' || c == '-') && !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The letters and digits of `name` folded to ASCII (`Søren Çelik` -> `sorencelik`).
fn ascii_handle(name: &str) -> String {
    let mut out = String::new();
    for c in name.to_lowercase().chars() {
        match c {
            'a'..='z' | '0'..='9' => out.push(c),
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => out.push('a'),
            'ç' | 'ć' => out.push('c'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'í' | 'ì' | 'î' | 'ï' => out.push('i'),
            'ł' => out.push('l'),
            'ñ' => out.push('n'),
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' => out.push('o'),
            'ú' | 'ù' | 'û' | 'ü' => out.push('u'),
            _ => {}
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Notes as lines, with the line indexes that `--bad` needs to break them.

#[derive(Default)]
struct Note {
    /// Relative to the vault root.
    path: String,
    lines: Vec<String>,
    /// Front-matter key -> the index of its line.
    keys: BTreeMap<&'static str, usize>,
    /// The index of the closing `---`.
    fm_close: usize,
    /// The indexes of the Log entries (not of `stage:` moves).
    log_entries: Vec<usize>,
}

/// One deliberate mistake: a row of the manifest.
struct Mistake {
    path: String,
    defect: &'static str,
    /// 1-based.
    line: usize,
    /// The `vault check` code it should produce.
    code: &'static str,
    detail: String,
}

/// What the generator knows while it writes: the partners, whom links may point at, the day.
struct Generator {
    rng: Rng,
    partners: Vec<Partner>,
    /// The partners that links may point at: the valid ones.
    pool: Vec<usize>,
    /// Every name, alias and file name in lower case, so that broken links stay broken.
    known: HashSet<String>,
    today: NaiveDate,
    shape: Shape,
    /// The folder of the note being written, for relative Markdown links.
    here: String,
}

impl Generator {
    fn new(rng: Rng, partners: Vec<Partner>, today: NaiveDate, shape: Shape) -> Result<Generator> {
        let pool: Vec<usize> = (0..partners.len()).filter(|&i| !partners[i].bad).collect();
        ensure!(
            pool.len() >= 2,
            "--bad leaves fewer than two valid partners"
        );
        let known = partners
            .iter()
            .flat_map(|p| p.spellings())
            .map(str::to_lowercase)
            .collect();
        Ok(Generator {
            rng,
            partners,
            pool,
            known,
            today,
            shape,
            here: String::new(),
        })
    }

    /// A day between `min` and `max` days before today.
    fn days_back(&mut self, min: i64, max: i64) -> NaiveDate {
        self.today - TimeDelta::days(self.rng.range(min, max))
    }

    /// A day between `min` and `max` days after today.
    fn days_ahead(&mut self, min: i64, max: i64) -> NaiveDate {
        self.today + TimeDelta::days(self.rng.range(min, max))
    }

    // -- Text -------------------------------------------------------------------------------

    /// One of `templates`, filled.
    fn phrase(&mut self, templates: &[&str], exclude: Option<usize>) -> String {
        let template = *self.rng.pick(templates);
        self.fill(template, exclude)
    }

    /// `template` with its `{placeholders}` filled; links never point at `exclude`.
    fn fill(&mut self, template: &str, exclude: Option<usize>) -> String {
        self.fill_named(template, exclude, "")
    }

    /// `fill`, with `name` for `{name}`.
    fn fill_named(&mut self, template: &str, exclude: Option<usize>, name: &str) -> String {
        let topics = self.rng.sample(&TOPICS, 2);
        let thing = *self.rng.pick(&THINGS);
        let mut out = String::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = open + rest[open..].find('}').expect("placeholders are closed");
            let value = match &rest[open + 1..close] {
                "topic" => topics[0].to_string(),
                "topic2" => topics[1].to_string(),
                "thing" => thing.to_string(),
                "slug" => slugify(thing),
                "event" => self.rng.pick(&EVENTS).to_string(),
                "city" => self.rng.pick(&CITIES).to_string(),
                "role" => self.rng.pick(&ROLES).to_string(),
                "n" => self.rng.range(2, 400).to_string(),
                "link" | "link2" => self.link(exclude),
                "name" => name.to_string(),
                other => panic!("unknown placeholder {{{other}}}"),
            };
            out.push_str(&value);
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        out
    }

    /// A link to a valid partner other than `exclude`, in one of the forms links take:
    /// `[[Name]]` (any spelling, sometimes in lower case), `[[Name|label]]`, `[[Name#Log]]`,
    /// `[[Name#^block]]`, `![[Name]]`, `[[folder/file]]` and a relative Markdown link.
    fn link(&mut self, exclude: Option<usize>) -> String {
        let target = loop {
            let candidate = *self.rng.pick(&self.pool);
            if Some(candidate) != exclude {
                break candidate;
            }
        };
        let p = &self.partners[target];
        let form = self.rng.below(100);
        if form < 3 {
            let path = relative_path(&self.here, &p.path);
            return format!("[{}]({path})", p.first_word());
        }
        if form < 6 {
            let folder = p.folder().rsplit('/').next().unwrap_or("");
            return format!("[[{folder}/{}]]", p.slug);
        }
        let spellings = p.spellings();
        let mut spelling = self.rng.pick(&spellings).to_string();
        if self.rng.chance(0.08) {
            spelling = spelling.to_lowercase();
        }
        match form {
            6..=69 => format!("[[{spelling}]]"),
            70..=87 => format!("[[{spelling}|{}]]", p.first_word()),
            88..=94 => format!("[[{spelling}#Log]]"),
            95..=97 => format!("[[{spelling}#^{:06x}]]", self.rng.below(1 << 24)),
            _ => format!("![[{spelling}]]"),
        }
    }

    /// A misspelt partner name that names no note: a letter dropped or two swapped.
    fn misspelt_name(&mut self) -> String {
        loop {
            let p = &self.partners[*self.rng.pick(&self.pool)];
            let mut chars: Vec<char> = p.name.chars().collect();
            let at = self.rng.range(1, chars.len() as i64 - 2) as usize;
            if self.rng.chance(0.5) {
                chars.remove(at);
            } else {
                chars.swap(at, at + 1);
            }
            let typo: String = chars.into_iter().collect();
            if typo.trim() == typo && !self.known.contains(&typo.to_lowercase()) {
                return typo;
            }
        }
    }

    // -- Partner notes ----------------------------------------------------------------------

    fn render_partner(&mut self, i: usize) -> Note {
        self.here = self.partners[i].folder().to_string();
        let since = self.days_back(30, 11 * 365);
        let mut log_days = self.log_days(since);
        let mut note = Note {
            path: self.partners[i].path.clone(),
            ..Note::default()
        };
        self.front_matter(i, since, &mut log_days, &mut note);
        let most = if log_days.len() < 20 { 3 } else { 1 };
        let count = self.rng.range(1, most) as usize;
        for template in self.rng.sample(&PROSE, count) {
            let text = self.fill(template, Some(i));
            note.lines.extend([text, String::new()]);
        }
        self.log(i, &log_days, &mut note);
        self.tasks(i, &mut note);
        self.pad(i, &mut note);
        note
    }

    /// 3-40 different days between `since` and today, newest first (most notes get 5-15).
    fn log_days(&mut self, since: NaiveDate) -> Vec<NaiveDate> {
        let wanted = (3.0 - 8.0 * (1.0 - self.rng.unit()).ln()).min(40.0) as usize;
        let span = (self.today - since).num_days();
        let days: BTreeSet<NaiveDate> = (0..wanted).map(|_| self.days_back(0, span)).collect();
        days.into_iter().rev().collect()
    }

    /// 10-16 keys: the known ones (some optional), `channels`, `tags`, and 0-3 unknown ones.
    /// With `--shape realistic`, the Log days are moved first so that the partner is in touch,
    /// due soon or overdue as in a kept vault.
    fn front_matter(
        &mut self,
        i: usize,
        since: NaiveDate,
        log_days: &mut [NaiveDate],
        note: &mut Note,
    ) {
        let last_is_newest = self.rng.chance(0.7);
        let mut last = if last_is_newest {
            log_days[0]
        } else {
            since.max(self.days_back(1, 400))
        };
        let next = self.rng.chance(0.2).then(|| self.days_ahead(1, 90));
        let rng = &mut self.rng;
        let p = &self.partners[i];
        let mut keys: Vec<(&'static str, String)> = vec![
            ("name", yaml_str(&p.name)),
            ("aliases", yaml_list(&p.aliases)),
        ];
        let org = p.org.clone().unwrap_or_else(|| {
            let ending = rng.pick(org_endings("company").expect("company"));
            format!(
                "{} {} {ending}",
                rng.pick(&ORG_WORDS),
                rng.pick(&ORG_THINGS)
            )
        });
        keys.push(("org", yaml_str(&org)));
        keys.push(("kind", p.kind.to_string()));
        let stage = if rng.chance(0.1) {
            format!("{}    # since {}", p.stage, rng.pick(&EVENTS))
        } else {
            p.stage.to_string()
        };
        keys.push(("stage", stage));
        let tier = *rng.weighted(&TIERS);
        keys.push(("tier", tier.to_string()));
        let mut cadence = default_cadence(tier);
        if rng.chance(0.3) {
            cadence = *rng.pick(&CADENCES);
            keys.push(("cadence", cadence.to_string()));
        }
        if self.shape == Shape::Realistic {
            keep_in_touch(rng, self.today, cadence_days(cadence), log_days);
            // `last_contact` is the newest touch, or an older one that the Log supersedes.
            last = if last_is_newest {
                log_days[0]
            } else {
                last.min(log_days[0])
            };
        }
        keys.push(("last_contact", last.to_string()));
        if let Some(next) = next {
            keys.push(("next", next.to_string()));
        }
        keys.push(("since", since.to_string()));
        if rng.chance(0.6) {
            let met_at = format!("{} {}", rng.pick(&EVENTS), since.year());
            keys.push(("met_at", yaml_str(&met_at)));
        }
        keys.push(("channels", String::new()));
        let tag_count = rng.range(1, 4) as usize;
        keys.push(("tags", yaml_list(&rng.sample(&TOPICS, tag_count))));
        let extras = [
            ("role", rng.pick(&ROLES).to_string()),
            ("location", rng.pick(&CITIES).to_string()),
            ("audience", (rng.range(1, 900) * 1000).to_string()),
            (
                "language",
                rng.pick(&["en", "de", "es", "pt", "fr", "ja"]).to_string(),
            ),
            (
                "timezone",
                rng.pick(&["UTC", "Europe/Oslo", "America/Lima"])
                    .to_string(),
            ),
        ];
        let extra_count = *rng.pick(&[0, 0, 1, 1, 2, 3]);
        for (key, value) in rng.sample(&extras.each_ref(), extra_count) {
            keys.push((*key, yaml_str(value)));
        }
        self.write_front_matter(i, keys, note);
    }

    /// The `---` block: one line per key, a block map for `channels`, dates plain or quoted.
    fn write_front_matter(&mut self, i: usize, keys: Vec<(&'static str, String)>, note: &mut Note) {
        note.lines.push("---".into());
        for (key, value) in keys {
            note.keys.insert(key, note.lines.len());
            match key {
                "channels" => {
                    note.lines.push("channels:".into());
                    let count = self.rng.range(1, 4) as usize;
                    for channel in self.rng.sample(&CHANNELS, count) {
                        let value = self.channel_value(channel, i);
                        note.lines.push(format!("  {channel}: {value}"));
                    }
                }
                "last_contact" | "next" | "since" if self.rng.chance(0.15) => {
                    note.lines.push(format!("{key}: \"{value}\""));
                }
                _ => note.lines.push(format!("{key}: {value}")),
            }
        }
        note.fm_close = note.lines.len();
        note.lines.push("---".into());
    }

    fn channel_value(&mut self, channel: &str, i: usize) -> String {
        let handle = &self.partners[i].handle;
        match channel {
            "twitter" | "instagram" | "tiktok" | "threads" => format!("\"@{handle}\""),
            "bluesky" => format!("\"@{handle}.bsky.social\""),
            "mastodon" => format!("\"@{handle}@social.example\""),
            "email" if self.rng.chance(0.3) => format!("\"{handle}@example.com\""),
            "email" => format!("{handle}@example.com"),
            "linkedin" => format!("https://www.linkedin.com/in/{handle}"),
            "youtube" => format!("https://www.youtube.com/@{handle}"),
            "newsletter" => format!("https://{handle}.example.net"),
            _ => format!("https://{handle}.example.com"),
        }
    }

    /// The Log heading (level 1-3) and one entry per day, now and then with a nested detail.
    fn log(&mut self, i: usize, days: &[NaiveDate], note: &mut Note) {
        let level = *self.rng.pick(&["##", "##", "##", "###", "#"]);
        note.lines.push(format!("{level} Log"));
        let stage_move = self
            .stage_move(i)
            .map(|text| (self.rng.below(days.len()), text));
        let kinds = LOG_PHRASES.map(|(kind, weight, phrases)| ((kind, phrases), weight));
        for (n, day) in days.iter().enumerate() {
            let (kind, phrases) = *self.rng.weighted(&kinds);
            let text = self.phrase(phrases, Some(i));
            note.log_entries.push(note.lines.len());
            note.lines.push(match kind {
                Some(kind) => format!("- {day} {kind}: {text}"),
                None => format!("- {day} {text}"),
            });
            if self.rng.chance(0.04) {
                let detail = self.fill("follow up on {topic} next month", None);
                note.lines.push(format!("  - {detail}"));
            }
            if let Some((_, text)) = stage_move.as_ref().filter(|(at, _)| *at == n) {
                note.lines.push(format!("- {day} stage: {text}"));
            }
        }
        note.lines.push(String::new());
    }

    /// Now and then, the move that brought the partner to its stage (`nurturing -> partner`).
    fn stage_move(&mut self, i: usize) -> Option<String> {
        let stage = self.partners[i].stage;
        let position = STAGES.iter().position(|(s, _)| *s == stage)?;
        (position > 0 && self.rng.chance(0.05))
            .then(|| format!("{} -> {stage}", STAGES[position - 1].0))
    }

    /// 0-4 tasks: done, open with a due day, or open without one.
    fn tasks(&mut self, i: usize, note: &mut Note) {
        let count = *self
            .rng
            .weighted(&[(0, 30), (1, 30), (2, 20), (3, 12), (4, 8)]);
        if count == 0 {
            return;
        }
        let heading = *self.rng.pick(&["## Ideas", "## Tasks", "## Next steps"]);
        note.lines.push(heading.into());
        for _ in 0..count {
            let text = self.phrase(&TASKS, Some(i));
            let line = if self.rng.chance(0.3) {
                format!("- [x] {text}")
            } else if self.rng.chance(0.6) {
                let due = match self.shape {
                    Shape::Neglected => self.days_ahead(-30, 60),
                    Shape::Realistic => self.days_ahead(-3, 60),
                };
                format!("- [ ] {due} {text}")
            } else {
                format!("- [ ] {text}")
            };
            note.lines.push(line);
        }
        note.lines.push(String::new());
    }

    /// Grows a short note to 0.8-1 KB with a `## Notes` section of prose.
    fn pad(&mut self, i: usize, note: &mut Note) {
        let min_size = self.rng.range(800, 1000) as usize;
        let size = |lines: &[String]| lines.iter().map(|l| l.len() + 1).sum::<usize>();
        if size(&note.lines) >= min_size {
            return;
        }
        note.lines.extend(["## Notes".to_string(), String::new()]);
        while size(&note.lines) < min_size {
            let text = self.phrase(&PROSE, Some(i));
            note.lines.extend([text, String::new()]);
        }
    }

    // -- Other notes ------------------------------------------------------------------------

    /// A meeting note (most of the time) or an idea note, at a path not in `taken`.
    fn render_other_note(&mut self, taken: &mut HashSet<String>) -> Note {
        let (title, lines) = if self.rng.chance(0.85) {
            self.meeting()
        } else {
            self.idea()
        };
        let stem = format!("{}/{}", self.here, slugify(&title));
        Note {
            path: unique(stem, taken, "-") + ".md",
            lines,
            ..Note::default()
        }
    }

    /// A dated meeting. Its touch list names 1-4 partners (now and then it has none, and only
    /// its body names them); its points mention other partners; sometimes it has next steps.
    fn meeting(&mut self) -> (String, Vec<String>) {
        let size = *self.rng.weighted(&[(1, 60), (2, 25), (3, 10), (4, 5)]);
        let who = self.rng.sample(&self.pool, size);
        let day = self.days_back(0, 4 * 365);
        self.here = format!("notes/meetings/{}", day.year());
        let template = *self.rng.pick(&MEETING_TITLES);
        let name = self.partners[who[0]].name.clone();
        let title = self.fill_named(template, None, &name);

        let date = match self.rng.below(20) {
            0 => format!(
                "{day} {:02}:{:02}",
                self.rng.range(8, 18),
                self.rng.range(0, 3) * 15
            ),
            1..=3 => format!("\"{day}\""),
            _ => day.to_string(),
        };
        let mut lines = vec![
            "---".into(),
            format!("date: {date}"),
            "type: meeting".into(),
        ];
        let listed = self.rng.chance(0.92);
        if listed {
            lines.extend(self.touch_list(&who));
        }
        let tag_count = self.rng.range(0, 2) as usize;
        let tags = [vec!["meeting"], self.rng.sample(&TOPICS, tag_count)].concat();
        lines.extend([format!("tags: {}", yaml_list(&tags)), "---".into()]);

        lines.extend([format!("# {title}"), String::new()]);
        if !listed || self.rng.chance(0.5) {
            let names: Vec<String> = who.iter().map(|&p| self.mention(p)).collect();
            lines.extend([format!("With {}.", names.join(" and ")), String::new()]);
        }
        lines.push("## Notes".into());
        for _ in 0..self.rng.range(2, 8) {
            let point = self.phrase(&MEETING_POINTS, None);
            lines.push(format!("- {point}"));
        }
        if self.rng.chance(0.5) {
            lines.push(format!(
                "- Worth asking {} to join next time",
                self.link(None)
            ));
        }
        lines.push(String::new());
        if self.rng.chance(0.5) {
            lines.push("## Next steps".into());
            for _ in 0..self.rng.range(1, 3) {
                let due = day + TimeDelta::days(self.rng.range(1, 21));
                let task = self.phrase(&TASKS, None);
                lines.push(format!("- [ ] {due} {task}"));
            }
            lines.push(String::new());
        }
        (format!("{day} {title}"), lines)
    }

    /// `attendees: ["[[A]]", B]` or the same as a block list: links, sometimes plain names.
    fn touch_list(&mut self, who: &[usize]) -> Vec<String> {
        let key = *self.rng.weighted(&TOUCH_KEYS);
        let items: Vec<String> = who
            .iter()
            .map(|&i| {
                let p = &self.partners[i];
                if self.rng.chance(0.15) {
                    yaml_str(&p.name)
                } else if self.rng.chance(0.85) {
                    format!("\"[[{}]]\"", p.name)
                } else {
                    format!("\"[[{}]]\"", self.rng.pick(&p.spellings()))
                }
            })
            .collect();
        if self.rng.chance(0.7) {
            vec![format!("{key}: [{}]", items.join(", "))]
        } else {
            let mut lines = vec![format!("{key}:")];
            lines.extend(items.iter().map(|item| format!("  - {item}")));
            lines
        }
    }

    /// `[[...]]` to partner `i`, by any of its spellings.
    fn mention(&mut self, i: usize) -> String {
        let spellings = self.partners[i].spellings();
        format!("[[{}]]", self.rng.pick(&spellings))
    }

    /// An undated note about an idea that mentions partners, sometimes in its front matter.
    fn idea(&mut self) -> (String, Vec<String>) {
        self.here = "notes/ideas".into();
        let title = self.fill("Idea: a shared {thing} about {topic}", None);
        let tags = [vec!["idea"], self.rng.sample(&TOPICS, 2)].concat();
        let mut lines = vec![
            "---".into(),
            "type: idea".into(),
            format!("tags: {}", yaml_list(&tags)),
        ];
        if self.rng.chance(0.3) {
            let partner = *self.rng.pick(&self.pool);
            let related = self.mention(partner);
            lines.push(format!("related: \"{related}\""));
        }
        lines.extend(["---".into(), format!("# {title}"), String::new()]);
        for _ in 0..self.rng.range(1, 3) {
            let text = self.phrase(&PROSE, None);
            lines.extend([text, String::new()]);
        }
        let links: Vec<String> = (0..self.rng.range(1, 4)).map(|_| self.link(None)).collect();
        lines.extend([
            format!("Who could join: {}", links.join(", ")),
            String::new(),
        ]);
        (title, lines)
    }

    // -- Mistakes ---------------------------------------------------------------------------

    /// How many broken links each note gets: partner notes first, then the other notes; never
    /// a note broken by `--bad`.
    fn spread_broken_links(&mut self, count: usize, other_notes: usize) -> Vec<usize> {
        let partners = self.partners.len();
        let valid: Vec<usize> = self
            .pool
            .iter()
            .copied()
            .chain(partners..partners + other_notes)
            .collect();
        let mut per_note = vec![0; partners + other_notes];
        for _ in 0..count {
            per_note[*self.rng.pick(&valid)] += 1;
        }
        per_note
    }

    /// Appends `count` paragraphs, each with a link to a partner that does not exist.
    fn add_broken_links(&mut self, note: &mut Note, count: usize, manifest: &mut Vec<Mistake>) {
        for _ in 0..count {
            let typo = self.misspelt_name();
            let text = self.fill(&format!("Ask [[{typo}]] about {{topic}}."), None);
            note.lines.push(String::new());
            manifest.push(Mistake {
                path: note.path.clone(),
                defect: "broken_link",
                line: note.lines.len() + 1,
                code: "broken-link",
                detail: text.clone(),
            });
            note.lines.extend([text, String::new()]);
        }
    }

    /// Breaks a partner note in the way `defect` names.
    fn break_note(&mut self, defect: (&'static str, &'static str), note: &mut Note) -> Mistake {
        let (name, code) = defect;
        let at = match name {
            "bad_date" => {
                let key = *self.rng.pick(&["last_contact", "since"]);
                let bad = self.rng.pick(&INVALID_DATES);
                let at = note.keys[key];
                note.lines[at] = format!("{key}: {bad}");
                at
            }
            "unknown_stage" | "unknown_kind" | "unknown_tier" | "bad_cadence" => {
                let (_, key, values) = BAD_VALUES
                    .iter()
                    .find(|(defect, _, _)| *defect == name)
                    .expect("a bad value");
                let at = note.keys.get(key).copied().unwrap_or_else(|| {
                    let at = note.keys["tier"] + 1;
                    note.lines.insert(at, String::new());
                    at
                });
                note.lines[at] = format!("{key}: {}", self.rng.pick(values));
                at
            }
            "typo_key" => {
                let present: Vec<(&str, &str)> = KEY_TYPOS
                    .into_iter()
                    .filter(|(key, _)| note.keys.contains_key(key))
                    .collect();
                let (key, typo) = *self.rng.pick(&present);
                let at = note.keys[key];
                note.lines[at] = format!("{typo}{}", &note.lines[at][key.len()..]);
                at
            }
            "unclosed_front_matter" => {
                note.lines.remove(note.fm_close);
                0
            }
            "invalid_yaml" => {
                let at = note.keys["tags"];
                note.lines[at] = note.lines[at].trim_end_matches(']').to_string();
                at
            }
            "bad_log_date" => {
                let at = *self.rng.pick(&note.log_entries);
                let bad = *self
                    .rng
                    .pick(&[INVALID_DATES[0], INVALID_DATES[1], "2026-3-07"]);
                let line = &note.lines[at];
                let date_end = 2 + line[2..].find(' ').expect("a date");
                note.lines[at] = format!("- {bad}{}", &line[date_end..]);
                at
            }
            "broken_wikilink" => {
                let at = *self.rng.pick(&note.log_entries);
                let typo = self.misspelt_name();
                note.lines[at].push_str(&format!(" (with [[{typo}]])"));
                at
            }
            other => unreachable!("unknown defect {other}"),
        };
        Mistake {
            path: note.path.clone(),
            defect: name,
            line: at + 1,
            code,
            detail: note.lines[at].trim().to_string(),
        }
    }

    // -- Files ------------------------------------------------------------------------------

    /// Writes `note` (2% with CRLF line ends, 0.5% with a byte-order mark); returns its size.
    fn write_note(&mut self, root: &Path, note: &Note) -> Result<usize> {
        let mut text = note.lines.join("\n");
        if !text.ends_with('\n') {
            text.push('\n');
        }
        let roll = self.rng.below(1000);
        if roll < 20 {
            text = text.replace('\n', "\r\n");
        } else if roll < 25 {
            text.insert(0, '\u{feff}');
        }
        write_file(&root.join(&note.path), &text)?;
        Ok(text.len())
    }
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/// `text` as a YAML scalar, quoted when it holds a character YAML would read otherwise.
/// The cadence a tier gets from the generated `vault.yaml` (`tiers: { A: 2w, B: 1m, C: 3m }`).
fn default_cadence(tier: &str) -> &'static str {
    match tier {
        "A" => "2w",
        "B" => "1m",
        _ => "3m",
    }
}

/// About how many days a cadence of `CADENCES` or `default_cadence` spans.
fn cadence_days(cadence: &str) -> i64 {
    match cadence {
        "weekly" => 7,
        "biweekly" => 14,
        "monthly" => 30,
        "quarterly" => 91,
        "yearly" => 365,
        _ => {
            let (number, unit) = cadence.split_at(cadence.len() - 1);
            let number: i64 = number.parse().expect("a cadence of CADENCES");
            number
                * match unit {
                    "d" => 1,
                    "w" => 7,
                    "m" => 30,
                    _ => 365,
                }
        }
    }
}

/// Moves `days` (newest first) forward so that the newest lands where a kept vault has it:
/// 18% overdue by 1-3 cadences, 9% due within the coming week, the rest touched within the
/// cadence. Dormant partners are never due and a planned `next` or a meeting moves some of
/// the others, so about 9% of the vault ends up overdue and 8% due within the week.
fn keep_in_touch(rng: &mut Rng, today: NaiveDate, cadence: i64, days: &mut [NaiveDate]) {
    let roll = rng.unit();
    let ago = if roll < 0.18 {
        rng.range(cadence + 1, 3 * cadence)
    } else if roll < 0.27 {
        rng.range((cadence - 7).max(0), cadence)
    } else {
        rng.range(0, (cadence - 8).max(0))
    };
    let target = today - TimeDelta::days(ago);
    if days[0] < target {
        let shift = target - days[0];
        days.iter_mut().for_each(|day| *day += shift);
    }
}

fn yaml_str(text: &str) -> String {
    let special = text.contains(|c| ":#@,[]{}&*!|>'\"%`".contains(c)) || text.trim() != text;
    if special {
        format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        text.to_string()
    }
}

fn yaml_list<S: AsRef<str>>(items: &[S]) -> String {
    let items: Vec<String> = items.iter().map(|i| yaml_str(i.as_ref())).collect();
    format!("[{}]", items.join(", "))
}

/// The path of `to` (from the vault root) as seen from the folder `from`.
fn relative_path(from: &str, to: &str) -> String {
    let from: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = to.split('/').collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts = vec![".."; from.len() - common];
    parts.extend(&to[common..]);
    parts.join("/")
}

fn write_file(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

/// `vault.yaml`, `.gitignore`, the hidden `.obsidian/` folder and an empty `reviews/`.
fn write_skeleton(root: &Path) -> Result<()> {
    let words = |list: &[(&str, u32)]| -> String {
        let names: Vec<&str> = list.iter().map(|(name, _)| *name).collect();
        names.join(", ")
    };
    let config = format!(
        "# The default settings, written out by examples/gen_vault.rs.\n\
         partners_dir: partners\n\
         reviews_dir: reviews\n\
         templates_dir: templates\n\
         log_heading: Log\n\
         touch_keys: [partners, attendees, with]\n\
         week_starts: monday\n\
         kinds: [{}]\n\
         stages: [{}]\n\
         tiers: {{ A: 2w, B: 1m, C: 3m }}\n\
         default_tier: B\n\
         reciprocity_window: 180d\n\
         reminders:\n  horizon: 7d\n  ics: reminders.ics\n",
        words(&KINDS),
        words(&STAGES)
    );
    write_file(&root.join("vault.yaml"), &config)?;
    write_file(&root.join(".gitignore"), ".vault/\n")?;
    write_file(
        &root.join(".obsidian/app.json"),
        "{\n  \"alwaysUpdateLinks\": true,\n  \"newFileLocation\": \"folder\"\n}\n",
    )?;
    fs::create_dir_all(root.join("reviews")).context("creating reviews/")
}

fn write_manifest(rows: &mut [Mistake], out: Option<&Path>) -> Result<()> {
    if rows.is_empty() && out.is_none() {
        return Ok(());
    }
    rows.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    let mut text = String::from("# path\tdefect\tline\tcode\tdetail\n");
    for row in rows.iter() {
        let detail = row.detail.replace('\t', " ");
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\t{detail}\n",
            row.path, row.defect, row.line, row.code
        ));
    }
    match out {
        Some(path) => write_file(path, &text),
        None => {
            eprint!("{text}");
            Ok(())
        }
    }
}
