//! The command line: global options and one subcommand per job (clap derive).

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const EXIT_CODES: &str =
    "Exit codes: 0 fine; 1 the data has errors (`check`; with --strict, warnings too); \
2 the tool could not do its job (no vault, unreadable config, bad arguments, unknown partner).";

/// The heading under which `--help` lists the options every command takes.
const GLOBAL: &str = "Global options";

#[derive(Debug, Parser)]
#[command(name = "vault", version, about = "A plain-text partner vault: index, validate and review the relationships that grow your brand.", after_help = EXIT_CODES)]
pub struct Cli {
    /// The vault folder [default: the nearest folder upward holding vault.yaml]
    #[arg(long, global = true, env = "VAULT_DIR", value_name = "DIR", help_heading = GLOBAL)]
    pub vault: Option<PathBuf>,

    /// Read settings from this file instead of DIR/vault.yaml
    #[arg(long, global = true, env = "VAULT_CONFIG", value_name = "FILE", help_heading = GLOBAL)]
    pub config: Option<PathBuf>,

    /// The day all date logic uses [default: the system's local date]
    #[arg(long, global = true, env = "VAULT_TODAY", value_name = "YYYY-MM-DD", value_parser = parse_day, help_heading = GLOBAL)]
    pub today: Option<NaiveDate>,

    /// When to color output; `auto` colors a terminal unless NO_COLOR is set
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, help_heading = GLOBAL)]
    pub color: ColorChoice,

    /// Read every note afresh: neither read nor write the index cache in .vault/
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub no_cache: bool,

    /// Say on stderr how the index was built: notes read, taken from the cache, dropped
    #[arg(long, short = 'v', global = true, help_heading = GLOBAL)]
    pub verbose: bool,

    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Whether the command prints for programs (JSON or iCalendar), where nothing but its
    /// output belongs, not even a progress bar on stderr.
    pub fn machine_output(&self) -> bool {
        match &self.command {
            Command::Check(args) => args.format == CheckFormat::Json,
            Command::List(args) => args.format == ListFormat::Json,
            Command::Remind(args) => args.format != RemindFormat::Text,
            Command::Review(args) => args.format == ReviewFormat::Json,
            Command::Show(args) => args.format == ShowFormat::Json,
            Command::Intros(args) => args.format == IntrosFormat::Json,
            Command::Log(LogArgs { edit, .. })
            | Command::Snooze(SnoozeArgs { edit, .. })
            | Command::Stage(StageArgs { edit, .. })
            | Command::Task(TaskArgs { edit, .. })
            | Command::Done(DoneArgs { edit, .. }) => edit.format == EditFormat::Json,
            Command::New(args) => args.format == EditFormat::Json,
            _ => false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate every note and report every problem, compiler-style
    Check(CheckArgs),
    /// List partners as a table or JSON, filtered and sorted
    List(ListArgs),
    /// Every partner (or those the filters keep), by name, as CSV, JSON or vCard on stdout
    Export(ExportArgs),
    /// Show one partner: fields, derived values, interactions, tasks, mentions
    Show(ShowArgs),
    /// Add a partner: a new note in the partners folder, from the partner template
    New(NewArgs),
    /// Create a new vault: vault.yaml, folders, .gitignore and an example partner
    Init(InitArgs),
    /// Write this week's review page, reviews/YYYY-Www.md, from the review template
    Review(ReviewArgs),
    /// What is due within the horizon: touches and dated tasks, as text, JSON or iCalendar
    Remind(RemindArgs),
    /// Keep the vault checked and this week's review page (and reminders.ics when vault.yaml
    /// sets it) current while you edit; Ctrl-C stops
    Watch(WatchArgs),
    /// A language server (LSP, on stdin and stdout) for your editor: diagnostics as you type,
    /// partner completion after [[, hover cards, rename, and code actions
    Lsp,
    /// Print the documentation built into vault: the note format, or the template variables
    Docs(DocsArgs),
    /// Bring partners in from LinkedIn, vCards or a spreadsheet; existing partners are matched,
    /// never overwritten
    Import(ImportArgs),
    /// Record an interaction in a partner's Log (today, or --date)
    Log(LogArgs),
    /// Suggested introductions: pairs where one partner seeks what another offers
    Intros(IntrosArgs),
    /// Record that you introduced two partners, in both notes (counts as a gave for both)
    Intro(IntroArgs),
    /// Plan the next touch: set `next:` to a day, or to a span from today
    Snooze(SnoozeArgs),
    /// Move a partner to another stage, and record the move in its Log
    Stage(StageArgs),
    /// Add an open task to a partner's note
    Task(TaskArgs),
    /// Tick the one open task of a partner whose text contains TEXT
    Done(DoneArgs),
    /// Print a completion script for a shell to standard output (needs no vault)
    Completions(CompletionsArgs),
    /// Print the manual page (roff) of vault, or of one command, to standard output (needs no
    /// vault)
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// A command whose own page to print, e.g. `check` (vault-check(1)) [default: vault(1)]
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub source: ImportSource,
}

#[derive(Debug, Subcommand)]
pub enum ImportSource {
    /// LinkedIn's Connections.csv (Settings, Data privacy, Get a copy of your data)
    Linkedin(PeopleImportArgs),
    /// A vCard file (.vcf) from a phone, Google or Apple Contacts (vCard 2.1, 3.0, 4.0)
    Vcard(PeopleImportArgs),
    /// Any CSV with a header row: a spreadsheet, Google or Outlook contacts
    Csv(CsvImportArgs),
    /// Meetings from a calendar (.ics): a note per meeting with partners, which counts as a touch
    Calendar(CalendarImportArgs),
}

#[derive(Debug, Args)]
pub struct CalendarImportArgs {
    /// The calendar to read (RFC 5545 .ics, as Google, Outlook and Apple export it)
    pub file: PathBuf,
    /// The first day whose meetings are read [default: 365 days before today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub from: Option<String>,
    /// The last day whose meetings are read [default: today; later meetings have not happened]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub until: Option<String>,
    /// The time zone that decides the day of a time given in UTC, e.g. Europe/Berlin
    /// [default: the calendar's X-WR-TIMEZONE, else UTC]
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// Also match attendees by the name the calendar shows for them (for partners without an
    /// email in their note)
    #[arg(long)]
    pub match_names: bool,
    /// The folder of the meeting notes, relative to the vault
    #[arg(long, value_name = "FOLDER", default_value = "notes")]
    pub dir: String,
    /// Print the notes that would be created and the dates that would change; write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct PeopleImportArgs {
    /// The export to read
    pub file: PathBuf,
    /// The stage of the partners created [default: `prospect` if listed, else the first stage]
    #[arg(long, value_name = "STAGE")]
    pub stage: Option<String>,
    /// The tier of the partners created [default: default_tier]
    #[arg(long, value_name = "TIER")]
    pub tier: Option<String>,
    /// The kind of the partners created [default: `other` if listed]
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// A tag for every partner created; repeatable
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Put new notes in this folder inside the partners folder
    #[arg(long, value_name = "SUBFOLDER")]
    pub dir: Option<String>,
    /// Fill the empty keys of partners already in the vault (never changes a value)
    #[arg(long)]
    pub update: bool,
    /// Print the notes that would be created and the diffs that would be applied; write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct CsvImportArgs {
    #[command(flatten)]
    pub people: PeopleImportArgs,
    /// Which column goes to which key, e.g. "Name=name,E-mail=email,Company=org,City=location"
    /// [default: columns named as keys, or as contacts exports name them]
    #[arg(long, value_name = "COLUMN=KEY,...")]
    pub map: Option<String>,
}

/// What every command that edits a note takes.
#[derive(Debug, Args)]
pub struct EditOptions {
    /// Print the change as a diff instead of writing it
    #[arg(long)]
    pub dry_run: bool,
    /// Output: one line saying what changed, or one JSON object (with the diff, under --dry-run)
    #[arg(long, value_enum, default_value_t = EditFormat::Text)]
    pub format: EditFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EditFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// The partner: a name, alias, file name, path, first name or beginning of a name
    pub name: String,
    /// What happened, e.g. "Shared their study in my newsletter"
    pub text: String,
    /// Something you gave (counts for reciprocity)
    #[arg(long, conflicts_with_all = ["got", "kind"])]
    pub gave: bool,
    /// Something you got (counts for reciprocity)
    #[arg(long, conflicts_with = "kind")]
    pub got: bool,
    /// Another kind word: met, talked, ... [default: note]
    #[arg(long, value_name = "WORD")]
    pub kind: Option<String>,
    /// The day it happened [default: --today]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub date: Option<NaiveDate>,
    #[command(flatten)]
    pub edit: EditOptions,
}

#[derive(Debug, Args)]
pub struct IntrosArgs {
    /// Show at most this many suggestions [default: all]
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Output: lines for people, or JSON
    #[arg(long, value_enum, default_value_t = IntrosFormat::Text)]
    pub format: IntrosFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IntrosFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct IntroArgs {
    /// The partner you introduce (a name, alias, file name or beginning of a name)
    pub a: String,
    /// The partner you introduce them to
    pub b: String,
    /// Why, e.g. "for her speaker slot" (`for` is added when it does not start so)
    pub why: String,
    /// The day of the introduction [default: --today]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub date: Option<NaiveDate>,
    /// Also write a meeting-style note in notes/ listing both as attendees
    #[arg(long)]
    pub note: bool,
    /// Print the changes as diffs instead of writing them
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct SnoozeArgs {
    /// The partner
    pub name: String,
    /// A day (2026-12-15) or a span from today (10d, 2w, 1m)
    #[arg(value_name = "SPAN|DATE")]
    pub when: String,
    #[command(flatten)]
    pub edit: EditOptions,
}

#[derive(Debug, Args)]
pub struct StageArgs {
    /// The partner
    pub name: String,
    /// The new stage, one of `stages` in vault.yaml
    pub stage: String,
    #[command(flatten)]
    pub edit: EditOptions,
}

#[derive(Debug, Args)]
pub struct TaskArgs {
    /// The partner
    pub name: String,
    /// What to do
    pub text: String,
    /// When it is due: a day (2026-12-15) or a span from today (3d, 1w)
    #[arg(long, value_name = "DATE|SPAN")]
    pub due: Option<String>,
    #[command(flatten)]
    pub edit: EditOptions,
}

#[derive(Debug, Args)]
pub struct DoneArgs {
    /// The partner
    pub name: String,
    /// A part of the task's text (any case)
    pub text: String,
    #[command(flatten)]
    pub edit: EditOptions,
}

#[derive(Debug, Args)]
pub struct DocsArgs {
    /// Which document to print
    #[arg(value_enum, default_value_t = DocsTopic::Format)]
    pub topic: DocsTopic,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocsTopic {
    /// The vault's layout, the note format, links, touches and derived values (docs/format.md)
    Format,
    /// Every variable and filter the templates can use (docs/templates.md)
    Templates,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The week to review, e.g. 2026-W48 [default: the week holding --today]
    #[arg(long, value_name = "YYYY-Www")]
    pub week: Option<String>,
    /// Print the page instead of writing it
    #[arg(long)]
    pub stdout: bool,
    /// Replace the page's generated part even if it was edited by hand or its markers are
    /// missing (your text outside it is kept)
    #[arg(long)]
    pub force: bool,
    /// The most items each section lists [default: review.limit in vault.yaml]; 0 lists all
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Output: the page, or with `json` the page's data (what the template sees), on stdout;
    /// json writes no page
    #[arg(long, value_enum, default_value_t = ReviewFormat::Markdown)]
    pub format: ReviewFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReviewFormat {
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// How long to wait after a change for more before acting (e.g. 200ms, 1s)
    #[arg(long, value_name = "TIME", default_value = "200ms", value_parser = parse_debounce)]
    pub debounce: std::time::Duration,
    /// Only check: write neither the review page nor the reminders file
    #[arg(long)]
    pub no_pages: bool,
}

/// `200ms`, `2s` or a number of milliseconds, from 10ms to 60s.
fn parse_debounce(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let (number, unit_ms) = match (text.strip_suffix("ms"), text.strip_suffix('s')) {
        (Some(ms), _) => (ms, 1),
        (None, Some(s)) => (s, 1000),
        (None, None) => (text, 1),
    };
    let ms = number
        .trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(unit_ms))
        .ok_or_else(|| format!("`{text}` is not a time; write e.g. 200ms or 1s"))?;
    if !(10..=60_000).contains(&ms) {
        return Err(format!("`{text}` is out of range; from 10ms to 60s"));
    }
    Ok(std::time::Duration::from_millis(ms))
}

#[derive(Debug, Args)]
pub struct RemindArgs {
    /// How far ahead to look, overdue included [default: reminders.horizon in vault.yaml]
    #[arg(long, value_name = "SPAN")]
    pub within: Option<String>,
    /// Output: one line per reminder (from remind.txt.tera), a JSON array, or iCalendar
    #[arg(long, value_enum, default_value_t = RemindFormat::Text)]
    pub format: RemindFormat,
    /// Write to FILE (atomically) instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Write iCalendar to the file named by reminders.ics in vault.yaml
    #[arg(long, conflicts_with_all = ["format", "out"])]
    pub ics: bool,
    /// In iCalendar output (--ics or --format ics), write to-dos (VTODO) instead of all-day events
    #[arg(long)]
    pub todo: bool,
    /// In text output, the most reminders to list, the most important first chosen
    /// [default: reminders.limit in vault.yaml]; 0 lists all. JSON and iCalendar list all
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RemindFormat {
    Text,
    Json,
    Ics,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Treat warnings as errors for the exit code
    #[arg(long)]
    pub strict: bool,
    /// Output: compiler-style messages, or one JSON report
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Sort by due date (never due last), priority (highest first, as the review's focus),
    /// name, or last touch (never touched first, then oldest)
    #[arg(long, value_enum, default_value_t = SortKey::Due)]
    pub sort: SortKey,
    /// Output: an aligned table, or a JSON array with every field
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

/// Which partners `list` and `export` take.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Only partners in this stage
    #[arg(long, value_name = "STAGE")]
    pub stage: Option<String>,
    /// Only partners of this kind
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// Only partners in this tier
    #[arg(long, value_name = "TIER")]
    pub tier: Option<String>,
    /// Only partners with this tag
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
    /// Only partners due within this span of today, overdue included (e.g. 7d, 2w)
    #[arg(long, value_name = "SPAN")]
    pub due_within: Option<String>,
    /// Only partners whose due day is before today
    #[arg(long)]
    pub overdue: bool,
    /// Only partners to give to before you ask, as the review lists them: got more than gave
    /// within the reciprocity window, or due this week and not given to within it
    #[arg(long)]
    pub give_first: bool,
    /// Only partners whose front-matter KEY equals VALUE (any key; a list matches any item); repeatable
    #[arg(long = "where", value_name = "KEY=VALUE")]
    pub filters: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// csv: a row per partner with its keys, channels and derived values; json: the same as
    /// objects; vcard: vCard 4.0 cards that contacts apps (and `vault import vcard`) read
    #[arg(value_enum)]
    pub format: ExportFormat,
    #[command(flatten)]
    pub filter: FilterArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
    Vcard,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortKey {
    Due,
    Priority,
    Name,
    Last,
    /// Strongest relationship first.
    Strength,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A partner's name, alias, file name or path (any case), a unique first name, or the unique
    /// beginning of a name
    pub name: String,
    /// Output: readable text, or a JSON object with every field, the priority and its reasons,
    /// interactions, tasks, touches and mentions
    #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
    pub format: ShowFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The partner's name; the file name is its slug (`Zoë Ångström` -> zoe-angstrom.md)
    pub name: String,
    /// What sort of partner, one of `kinds` in vault.yaml [default: `other` if listed, else none]
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// How much attention, one of `tiers` in vault.yaml [default: default_tier]
    #[arg(long, value_name = "TIER")]
    pub tier: Option<String>,
    /// Where the relationship stands, one of `stages` in vault.yaml [default: `prospect` if
    /// listed, else the first stage]
    #[arg(long, value_name = "STAGE")]
    pub stage: Option<String>,
    /// The partner's organisation
    #[arg(long, value_name = "ORG")]
    pub org: Option<String>,
    /// A tag for the note; repeatable
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Another name links and `vault show` may use; repeatable
    #[arg(long = "alias", value_name = "ALIAS")]
    pub aliases: Vec<String>,
    /// Put the note in this folder inside the partners folder (relative, e.g. `media`)
    #[arg(long, value_name = "SUBFOLDER")]
    pub dir: Option<String>,
    /// Print the note (and, on stderr, its path) instead of writing it
    #[arg(long)]
    pub dry_run: bool,
    /// Output: one line naming the new file, or one JSON object (with the note as a diff,
    /// under --dry-run)
    #[arg(long, value_enum, default_value_t = EditFormat::Text)]
    pub format: EditFormat,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to create the vault [default: --vault, else the current folder]
    pub dir: Option<PathBuf>,
    /// Copy the built-in templates into the vault's templates folder for editing instead
    #[arg(long)]
    pub templates: bool,
}

fn parse_day(text: &str) -> Result<NaiveDate, String> {
    crate::dates::parse_day_only(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn json_from_the_commands_that_write_notes_is_machine_output() {
        let machine = |args: &[&str]| Cli::try_parse_from(args).unwrap().machine_output();
        for command in [
            &["log", "ana", "x"][..],
            &["task", "ana", "x"],
            &["done", "ana", "x"],
            &["snooze", "ana", "2w"],
            &["stage", "ana", "partner"],
            &["new", "Ana"],
        ] {
            let text: Vec<&str> = ["vault"].iter().chain(command).copied().collect();
            assert!(!machine(&text), "{command:?}");
            let json: Vec<&str> = text.iter().chain(&["--format", "json"]).copied().collect();
            assert!(machine(&json), "{command:?}");
        }
    }

    #[test]
    fn debounce_times() {
        assert_eq!(parse_debounce("200ms"), Ok(Duration::from_millis(200)));
        assert_eq!(parse_debounce("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_debounce(" 50 "), Ok(Duration::from_millis(50)));
        for bad in ["", "fast", "5ms", "61s", "-1s", "1.5s"] {
            assert!(parse_debounce(bad).is_err(), "{bad}");
        }
    }
}
