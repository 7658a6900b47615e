//! `vault lsp` driven over stdio as an editor drives it: initialize, open and change buffers
//! (unsaved text), completion, hover, definition, references, rename, code actions, symbols,
//! shutdown and exit, asserting on the JSON answers; a malformed message; a change on disk;
//! a 10k-partner vault.

mod common;

use common::{command, generated, TempVault, TODAY};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// How long any one answer may take before the test fails (a hang, not a measurement).
const PATIENCE: Duration = Duration::from_secs(60);

/// An editor's side of the connection.
struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Notifications received while waiting for something else.
    notifications: Vec<Value>,
    next_id: i64,
    root: std::path::PathBuf,
}

impl Client {
    /// Starts `vault --vault ROOT --today TODAY lsp` and initializes it.
    fn start(root: &Path) -> Client {
        let mut child = command()
            .arg("--vault")
            .arg(root)
            .args(["--today", TODAY, "lsp"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("starting vault lsp");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (send, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length:") {
                        length = n.trim().parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).unwrap();
                if send.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            messages,
            notifications: Vec::new(),
            next_id: 0,
            root: root.canonicalize().unwrap(),
        };
        let init = client.request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": {} }),
        );
        assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-16");
        client.notify("initialized", json!({}));
        client
    }

    fn uri(&self, rel: &str) -> String {
        lsp_types::Url::from_file_path(self.root.join(rel))
            .unwrap()
            .to_string()
    }

    fn send_raw(&mut self, body: &str) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn send(&mut self, message: Value) {
        self.send_raw(&message.to_string());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and waits for its response (the whole message).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.wait_for(|m| m["id"] == id && m.get("method").is_none())
    }

    /// The result of a request, which must not fail.
    fn result(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params);
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    /// The next message that `wanted` accepts; notifications passed over are kept.
    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self.notifications.iter().position(&wanted) {
            return self.notifications.remove(at);
        }
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = self
                .messages
                .recv_timeout(left)
                .expect("the server answered in time");
            if wanted(&message) {
                return message;
            }
            if message.get("method").is_some() {
                self.notifications.push(message);
            }
        }
    }

    /// The diagnostics published for `rel` (at `version`, when given), the newest first found.
    fn diagnostics(&mut self, rel: &str, version: Option<i64>) -> Vec<Value> {
        let uri = self.uri(rel);
        let message = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri.as_str()
                && version.is_none_or(|v| m["params"]["version"] == v)
        });
        message["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn open(&mut self, rel: &str, text: &str) {
        let uri = self.uri(rel);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": {
                "uri": uri, "languageId": "markdown", "version": 1, "text": text } }),
        );
    }

    /// Replaces the whole buffer with unsaved `text`.
    fn change(&mut self, rel: &str, version: i64, text: &str) {
        let uri = self.uri(rel);
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version },
                    "contentChanges": [{ "text": text }] }),
        );
    }

    fn at(&self, rel: &str, line: u32, character: u32) -> Value {
        json!({ "textDocument": { "uri": self.uri(rel) },
                "position": { "line": line, "character": character } })
    }

    /// `shutdown`, then `exit`: the server ends with code 0.
    fn stop(mut self) {
        assert_eq!(self.result("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        let status = wait(&mut self.child);
        assert_eq!(status.code(), Some(0));
    }
}

fn wait(child: &mut Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "the server did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The UTF-16 column of `part` in `line`.
fn column(line: &str, part: &str) -> u32 {
    let at = line.find(part).unwrap();
    line[..at].encode_utf16().count() as u32
}

/// `text` with the protocol's text edits applied (UTF-16 ranges), last first.
fn apply(text: &str, edits: &[Value]) -> String {
    let mut edits: Vec<&Value> = edits.iter().collect();
    edits.sort_by_key(|e| {
        let start = &e["range"]["start"];
        (
            start["line"].as_u64().unwrap(),
            start["character"].as_u64().unwrap(),
        )
    });
    let mut text = text.to_string();
    for edit in edits.into_iter().rev() {
        let offset = |p: &Value| {
            let line = p["line"].as_u64().unwrap() as usize;
            let character = p["character"].as_u64().unwrap() as usize;
            let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
            let rest = &text[start..];
            let mut units = 0;
            let mut bytes = 0;
            for c in rest.chars() {
                if units >= character || c == '\n' {
                    break;
                }
                units += c.len_utf16();
                bytes += c.len_utf8();
            }
            start + bytes
        };
        let (from, to) = (
            offset(&edit["range"]["start"]),
            offset(&edit["range"]["end"]),
        );
        text.replace_range(from..to, edit["newText"].as_str().unwrap());
    }
    text
}

const WEBINAR: &str = "notes/2026-11-15-webinar.md";
const ZOE: &str = "partners/zoe-angstrom.md";
const PRIYA: &str = "partners/priya-raman.md";

#[test]
fn diagnostics_follow_the_unsaved_buffer_with_the_codes_of_check() {
    let vault = TempVault::copy("lsp");
    let mut client = Client::start(vault.path());
    let webinar = vault.read(WEBINAR);
    client.open(WEBINAR, &webinar);
    let found = client.diagnostics(WEBINAR, Some(1));
    assert_eq!(found.len(), 1, "{found:#?}");
    let line = webinar.lines().nth(7).unwrap();
    let start = column(line, "[[Noor");
    assert_eq!(found[0]["code"], "broken-link");
    assert_eq!(found[0]["source"], "vault");
    assert_eq!(found[0]["severity"], 2);
    assert_eq!(
        found[0]["range"],
        json!({ "start": { "line": 7, "character": start },
                "end": { "line": 7, "character": start + 15 } })
    );
    assert_eq!(
        found[0]["message"],
        "`[[Noor Haddad]]` links to no partner or note\nhint: create the note, or fix the spelling"
    );

    // Unsaved text, sent as the range it replaces (after an emoji: UTF-16 columns): the link
    // fixed; then a typo in another partner's stage.
    let uri = client.uri(WEBINAR);
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 },
                "contentChanges": [{
                    "range": { "start": { "line": 7, "character": start },
                               "end": { "line": 7, "character": start + 15 } },
                    "text": "Noor" }] }),
    );
    assert_eq!(client.diagnostics(WEBINAR, Some(2)), Vec::<Value>::new());
    let hover_noor = client.result("textDocument/hover", client.at(WEBINAR, 7, start + 1));
    assert_eq!(hover_noor, Value::Null, "`Noor` is plain text now");
    let priya = vault.read(PRIYA);
    client.open(PRIYA, &priya);
    client.change(
        PRIYA,
        2,
        &priya.replace("stage: nurturing", "stage: nurturng"),
    );
    let found = client.diagnostics(PRIYA, Some(2));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["severity"], 1);
    assert_eq!(found[0]["range"]["start"]["line"], 4);
    let message = found[0]["message"].as_str().unwrap();
    assert!(
        message.contains("nurturng") && message.contains("nurturing"),
        "{message}"
    );
    // Nothing was written.
    assert_eq!(vault.read(PRIYA), priya);

    // A cross-note problem follows a change on disk: the missing partner appears.
    client.change(WEBINAR, 3, &webinar);
    assert_eq!(client.diagnostics(WEBINAR, Some(3)).len(), 1);
    vault.write(
        "partners/noor-haddad.md",
        "---\nname: Noor Haddad\nstage: prospect\n---\n",
    );
    let uri = client.uri(WEBINAR);
    client.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri.as_str()
            && m["params"]["diagnostics"] == json!([])
    });
    client.stop();
}

#[test]
fn completion_offers_partners_after_brackets_front_matter_values_and_log_kinds() {
    let vault = TempVault::copy("lsp");
    let mut client = Client::start(vault.path());
    let webinar = vault.read(WEBINAR);
    let typed = format!("{webinar}Next: [[zoe");
    client.open(WEBINAR, &typed);
    let list = client.result("textDocument/completion", client.at(WEBINAR, 8, 11));
    let items = list["items"].as_array().unwrap();
    let first = &items[0];
    assert_eq!(first["label"], "Zoë Ångström");
    assert_eq!(
        first["detail"],
        "Nordlys Podcast 🎙 · partner · due 2026-11-29 (in 6d)"
    );
    assert_eq!(
        first["textEdit"],
        json!({ "range": { "start": { "line": 8, "character": 8 },
                           "end": { "line": 8, "character": 11 } },
                "newText": "Zoë Ångström]]" })
    );
    assert!(items.iter().any(|i| i["label"] == "Zoë"
        && i["detail"]
            .as_str()
            .unwrap()
            .starts_with("alias of Zoë Ångström")));
    assert!(!items.iter().any(|i| i["label"] == "Priya Raman"));
    let resolved = client.result("completionItem/resolve", first.clone());
    let card = resolved["documentation"]["value"].as_str().unwrap();
    assert!(card.contains("- due: 2026-11-29 (in 6d)"), "{card}");

    let priya = vault.read(PRIYA);
    client.open(PRIYA, &priya.replace("stage: nurturing", "stage: "));
    let list = client.result("textDocument/completion", client.at(PRIYA, 4, 7));
    let labels: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "prospect",
            "acquaintance",
            "nurturing",
            "partner",
            "dormant"
        ]
    );

    let with_entry = format!("{priya}- 2026-11-20 ");
    client.change(PRIYA, 2, &with_entry);
    let list = client.result("textDocument/completion", client.at(PRIYA, 11, 13));
    let labels: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels[..4], ["gave", "got", "met", "note"]);
    client.stop();
}

#[test]
fn hover_definition_references_and_symbols_know_the_partner() {
    let vault = TempVault::copy("lsp");
    let mut client = Client::start(vault.path());
    let webinar = vault.read(WEBINAR);
    client.open(WEBINAR, &webinar);
    let line = webinar.lines().nth(7).unwrap();
    let on_zoe = column(line, "Zoë Ångström") + 2;
    let hover = client.result("textDocument/hover", client.at(WEBINAR, 7, on_zoe));
    let card = hover["contents"]["value"].as_str().unwrap();
    for expected in [
        "**Zoë Ångström** — Nordlys Podcast 🎙",
        "- last touch: 2026-11-15 (8 days ago)",
        "- due: 2026-11-29 (in 6d)",
        "- cadence: 2w",
        "- balance: gave 1, got 1 (+0)",
        "  - [ ] 2026-11-30 Send the guest list",
    ] {
        assert!(card.contains(expected), "`{expected}` in:\n{card}");
    }
    let start = column(line, "Zoë Ångström");
    assert_eq!(hover["range"]["start"]["character"], start);
    assert_eq!(hover["range"]["end"]["character"], start + 12);

    let definition = client.result("textDocument/definition", client.at(WEBINAR, 7, on_zoe));
    assert_eq!(definition["uri"], client.uri(ZOE).as_str());

    // From the partner's own note: the meeting's attendees and its body.
    client.open(ZOE, &vault.read(ZOE));
    let mut params = client.at(ZOE, 12, 0);
    params["context"] = json!({ "includeDeclaration": false });
    let references = client.result("textDocument/references", params);
    let places: Vec<(String, u64, u64)> = references
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["uri"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string(),
                r["range"]["start"]["line"].as_u64().unwrap(),
                r["range"]["start"]["character"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            ("2026-11-15-webinar.md".to_string(), 3, 15),
            ("2026-11-15-webinar.md".to_string(), 7, u64::from(start)),
        ]
    );
    // A plain name in the attendees list names Priya.
    let attendees = webinar.lines().nth(3).unwrap();
    let hover = client.result(
        "textDocument/hover",
        client.at(WEBINAR, 3, column(attendees, "Priya") + 1),
    );
    assert!(hover["contents"]["value"]
        .as_str()
        .unwrap()
        .starts_with("**Priya Raman** — Brightwave"));

    let symbols = client.result(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": client.uri(ZOE) } }),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Zoë Ångström", "Log", "Ideas"]);
    let found = client.result("workspace/symbol", json!({ "query": "angs" }));
    assert_eq!(found[0]["name"], "Zoë Ångström");
    assert_eq!(found.as_array().unwrap().len(), 1);
    client.stop();
}

#[test]
fn rename_changes_the_name_and_every_link_by_it() {
    let vault = TempVault::copy("lsp");
    let mut client = Client::start(vault.path());
    let webinar = vault.read(WEBINAR);
    client.open(WEBINAR, &webinar);
    let line = webinar.lines().nth(7).unwrap();
    let on_zoe = column(line, "Zoë Ångström") + 1;
    let prepared = client.result("textDocument/prepareRename", client.at(WEBINAR, 7, on_zoe));
    assert_eq!(prepared["placeholder"], "Zoë Ångström");
    let mut params = client.at(WEBINAR, 7, on_zoe);
    params["newName"] = json!("Zoë Lindqvist");
    let edit = client.result("textDocument/rename", params);
    let changes = edit["changes"].as_object().unwrap();
    assert_eq!(changes.len(), 2, "{edit:#}");
    let renamed = apply(&webinar, changes[&client.uri(WEBINAR)].as_array().unwrap());
    assert_eq!(
        renamed,
        webinar.replace("[[Zoë Ångström]]", "[[Zoë Lindqvist]]")
    );
    let zoe = vault.read(ZOE);
    let renamed = apply(&zoe, changes[&client.uri(ZOE)].as_array().unwrap());
    assert_eq!(
        renamed,
        zoe.replace("name: Zoë Ångström", "name: Zoë Lindqvist")
    );

    // A name another partner has is refused.
    let mut params = client.at(WEBINAR, 7, on_zoe);
    params["newName"] = json!("priya raman");
    let refused = client.request("textDocument/rename", params);
    assert_eq!(refused["error"]["code"], -32803);
    assert!(refused["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Priya Raman"));
    client.stop();
}

/// The code action titled `title` (its start) among those at a place.
fn action(client: &mut Client, rel: &str, (line, character): (u32, u32), title: &str) -> Value {
    let at = json!({ "line": line, "character": character });
    let params = json!({
        "textDocument": { "uri": client.uri(rel) },
        "range": { "start": at, "end": at },
        "context": { "diagnostics": [] },
    });
    let actions = client.result("textDocument/codeAction", params);
    actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with(title))
        .unwrap_or_else(|| panic!("no action `{title}` in {actions:#}"))
        .clone()
}

#[test]
fn code_actions_make_the_same_edits_as_the_commands() {
    let vault = TempVault::copy("lsp");
    let mut client = Client::start(vault.path());
    let zoe = vault.read(ZOE);
    client.open(ZOE, &zoe);
    let twin = TempVault::copy("lsp");
    for (title, args) in [
        (
            "Log a touch with Zoë Ångström today",
            vec!["log", "zoe", "touched base"],
        ),
        ("Snooze Zoë Ångström 1w", vec!["snooze", "zoe", "1w"]),
        (
            "Mark task done: 2026-11-30 Send the guest list",
            vec!["done", "zoe", "guest list"],
        ),
    ] {
        let found = action(&mut client, ZOE, (16, 0), title);
        let edits = found["edit"]["changes"][&client.uri(ZOE)]
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(edits.len(), 1, "one edit: {found:#}");
        std::fs::write(twin.join(ZOE), &zoe).unwrap();
        twin.run(&args).assert_code(0);
        assert_eq!(apply(&zoe, &edits), twin.read(ZOE), "{title}");
    }
    assert_eq!(vault.read(ZOE), zoe, "an action writes nothing itself");

    // From a link to a partner in another note, the actions edit that partner's note.
    let webinar = vault.read(WEBINAR);
    client.open(WEBINAR, &webinar);
    let on_link = column(webinar.lines().nth(3).unwrap(), "Zoë");
    let found = action(&mut client, WEBINAR, (3, on_link), "Log a touch with");
    assert!(
        found["edit"]["changes"][&client.uri(ZOE)].is_array(),
        "{found:#}"
    );

    // A broken link: the note `vault new` would write, as a new file.
    let params = json!({
        "textDocument": { "uri": client.uri(WEBINAR) },
        "range": { "start": { "line": 7, "character": column(webinar.lines().nth(7).unwrap(), "Noor") },
                   "end": { "line": 7, "character": column(webinar.lines().nth(7).unwrap(), "Noor") } },
        "context": { "diagnostics": [] },
    });
    let actions = client.result("textDocument/codeAction", params);
    let create = &actions[0];
    assert_eq!(create["title"], "Create the partner note `Noor Haddad`");
    let changes = create["edit"]["documentChanges"].as_array().unwrap();
    assert_eq!(changes[0]["kind"], "create");
    assert_eq!(
        changes[0]["uri"],
        client.uri("partners/noor-haddad.md").as_str()
    );
    let new = twin.run(&["new", "Noor Haddad", "--dry-run"]);
    assert_eq!(changes[1]["edits"][0]["newText"], new.stdout.as_str());
    client.stop();
}

#[test]
fn a_malformed_message_is_answered_with_an_error_and_the_server_goes_on() {
    let vault = TempVault::copy("lsp");
    let mut client = Client::start(vault.path());
    client.send_raw("{not json");
    let error = client.wait_for(|m| m.get("error").is_some());
    assert_eq!(error["error"]["code"], -32700);
    assert_eq!(error["id"], Value::Null);
    client.send(json!({ "jsonrpc": "2.0", "id": 99, "method": 7 }));
    let error = client.wait_for(|m| m["id"] == 99);
    assert_eq!(error["error"]["code"], -32600);
    let bad = client.request("textDocument/hover", json!({ "textDocument": 3 }));
    assert_eq!(bad["error"]["code"], -32602);
    let unknown = client.request("vault/unknown", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    // A position far outside the text, in a file that is not in the vault, is no crash.
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": client.uri(ZOE) },
                "position": { "line": 9999, "character": 9999 } }),
    );
    assert_eq!(hover["result"], Value::Null);
    let outside = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": "file:///nowhere/x.md" },
                "position": { "line": 0, "character": 0 } }),
    );
    assert_eq!(outside["result"], Value::Null);
    let symbols = client.result("workspace/symbol", json!({ "query": "priya" }));
    assert_eq!(symbols[0]["name"], "Priya Raman");
    client.stop();
}

#[test]
fn exit_without_shutdown_ends_with_code_1() {
    let vault = TempVault::copy("lsp");
    let mut client = Client::start(vault.path());
    client.notify("exit", Value::Null);
    assert_eq!(wait(&mut client.child).code(), Some(1));
}

#[test]
fn a_10k_partner_vault_answers_completion_and_diagnostics() {
    let dir = generated(10_000);
    let root = dir.path().join("v");
    let mut client = Client::start(&root);
    let rel = "notes/lsp-test.md";
    let text = "---\ndate: 2026-11-20\nattendees: [\"[[Nobody Known]]\"]\n---\nWith [[a";
    client.open(rel, text);
    let found = client.diagnostics(rel, Some(1));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["code"], "broken-link");
    let list = client.result("textDocument/completion", client.at(rel, 4, 8));
    assert_eq!(list["isIncomplete"], true);
    assert_eq!(list["items"].as_array().unwrap().len(), 100);
    client.change(rel, 2, "---\ndate: 2026-11-20\n---\nWith nobody.\n");
    assert_eq!(client.diagnostics(rel, Some(2)), Vec::<Value>::new());
    client.stop();
}
