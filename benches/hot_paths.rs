//! Criterion benchmarks of the hot paths, on the bundled example vault: parsing one note,
//! linking and deriving parsed notes, indexing the whole vault (read, parse, link, derive) with
//! and without the index cache, and building and rendering the weekly review. `cargo bench --bench hot_paths`; for whole commands on large generated vaults beside
//! the `cat` floor, see `benches/bench.py` and `docs/performance.md`.

use chrono::NaiveDate;
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use partner_vault::config::Config;
use partner_vault::discover;
use partner_vault::indexing::Indexing;
use partner_vault::note::{parse, Role};
use partner_vault::progress::Progress;
use partner_vault::render::{Templates, REVIEW};
use partner_vault::review::{self, Week};
use partner_vault::store::Store;
use partner_vault::vault::Vault;
use std::path::{Path, PathBuf};

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("example-vault")
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("a date")
}

fn parse_notes(c: &mut Criterion) {
    let config = Config::default();
    let partner = std::fs::read(example().join("partners/priya-raman.md")).expect("example note");
    let meeting =
        std::fs::read(example().join("notes/meetings/2026-11-15-brightwave-webinar-sync.md"))
            .expect("example note");
    c.bench_function("parse a partner note", |b| {
        b.iter(|| {
            parse(
                "partners/priya-raman.md",
                black_box(&partner),
                Role::Partner,
                &config,
            )
        })
    });
    c.bench_function("parse a meeting note", |b| {
        b.iter(|| parse("notes/m.md", black_box(&meeting), Role::Other, &config))
    });
}

fn link_notes(c: &mut Criterion) {
    let config = Config::default();
    let found = discover::discover(&example(), &config);
    let mut store = Store::default();
    store.refresh(&found.notes, None, &config, &Progress::hidden());
    let parsed: Vec<_> = store.parsed().cloned().collect();
    c.bench_function("link and derive the example vault", |b| {
        b.iter_batched(
            || parsed.clone(),
            |parsed| {
                let (root, config) = (example(), config.clone());
                Vault::from_parsed(
                    &root,
                    config,
                    today(),
                    parsed,
                    &found.other_files,
                    vec![],
                    None,
                )
            },
            criterion::BatchSize::SmallInput,
        )
    });
}

fn index_vault(c: &mut Criterion) {
    c.bench_function("index the example vault", |b| {
        b.iter(|| Vault::load(&example(), Config::default(), today()))
    });
    // The example vault's `.vault/` is git-ignored; the first run fills it.
    let cached = Indexing {
        cache: true,
        progress: false,
    };
    c.bench_function("index the example vault from its cache", |b| {
        b.iter(|| Vault::index(&example(), Config::default(), today(), &cached))
    });
}

fn review_page(c: &mut Criterion) {
    let vault = Vault::load(&example(), Config::default(), today());
    let templates = Templates::load(&example(), "templates").expect("templates");
    let week = Week::containing(today(), chrono::Weekday::Mon);
    c.bench_function("build and render the review", |b| {
        b.iter(|| {
            let view = review::build(&vault, week);
            templates
                .render_context(REVIEW, &view.context())
                .expect("renders")
        })
    });
}

criterion_group!(benches, parse_notes, link_notes, index_vault, review_page);
criterion_main!(benches);
