//! `vault`: a plain-text partner vault. Index, validate and review the relationships that grow
//! a brand. The binary in `main.rs` is a thin wrapper around [`run`].

pub mod cache;
pub mod cadence;
pub mod changes;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod dates;
pub mod diagnostic;
pub mod discover;
pub mod edit;
pub mod error;
pub mod front_matter;
pub mod ics;
pub mod indexing;
pub mod json;
pub mod keys;
pub mod layout;
pub mod lazy;
pub mod live;
pub mod markdown;
pub mod new_partner;
pub mod note;
pub mod page;
pub mod pages;
pub mod partner;
pub mod progress;
pub mod reminders;
pub mod render;
pub mod render_budget;
pub mod resolve;
pub mod review;
pub mod slug;
pub mod store;
pub mod suggest;
pub mod text;
pub mod validate;
pub mod value;
pub mod vault;
pub mod views;
pub mod watch;
pub mod write;
pub mod yaml;
pub mod yaml_fast;

pub use cmd::run;
