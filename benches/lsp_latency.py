#!/usr/bin/env python3
"""Time `vault lsp` as an editor uses it, on a generated vault.

Usage: benches/lsp_latency.py [--partners 10000] [--runs 30] [--dir /tmp/vault-bench]
                              [--transcript FILE] [--vault DIR]

Builds the release binary and the project's vault generator, generates the vault once (as
benches/bench.py does, and shared with it), copies it, starts `vault lsp` on the copy and
measures, each RUNS times: completion after `[[` (a different first letter each time), hover
on a link, references of a partner, and the time from a `didChange` (a broken link typed into
the unsaved buffer, then removed again) to the `publishDiagnostics` for that version. Prints
the median and the worst of each, the time from `initialize` to the first diagnostics, and two
baselines measured in the same run: `cat` of every note, and `vault check` with a warm cache.

`--vault DIR` uses that vault as it is instead (the example vault, say), and `--transcript FILE`
writes every message sent and received to FILE (long ones cut), for reading a session.
"""

import argparse
import json
import shutil
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import ROOT, TARGET, TODAY, generate  # noqa: E402


class Client:
    def __init__(self, vault, transcript):
        self.proc = subprocess.Popen(
            [str(TARGET / "release/vault"), "--vault", str(vault), "--today", TODAY, "lsp"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.root = vault.resolve()
        self.next_id = 0
        self.inbox = []
        self.cond = threading.Condition()
        self.transcript = transcript
        threading.Thread(target=self._read, daemon=True).start()

    def _log(self, arrow, message):
        if self.transcript:
            text = json.dumps(message, ensure_ascii=False)
            if len(text) > 600:
                text = text[:600] + f"... ({len(text)} characters)"
            self.transcript.write(f"{arrow} {text}\n")

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            message = json.loads(out.read(length))
            self._log("<-", message)
            with self.cond:
                self.inbox.append((time.perf_counter(), message))
                self.cond.notify_all()

    def send(self, message):
        message["jsonrpc"] = "2.0"
        self._log("->", message)
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()
        return time.perf_counter()

    def wait(self, wanted, timeout=120):
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for i, (at, message) in enumerate(self.inbox):
                    if wanted(message):
                        del self.inbox[i]
                        return at, message
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("no answer")
                self.cond.wait(left)

    def request(self, method, params):
        self.next_id += 1
        rid = self.next_id
        sent = self.send({"id": rid, "method": method, "params": params})
        at, message = self.wait(lambda m: m.get("id") == rid and "method" not in m)
        return at - sent, message

    def notify(self, method, params):
        return self.send({"method": method, "params": params})

    def uri(self, rel):
        return (self.root / rel).as_uri()


def summary(name, seconds):
    ms = sorted(s * 1000 for s in seconds)
    print(f"{name:<44} median {statistics.median(ms):7.1f} ms   worst {ms[-1]:7.1f} ms"
          f"   ({len(ms)} runs)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--partners", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/vault-bench"))
    ap.add_argument("--vault", type=Path, help="use this vault as it is")
    ap.add_argument("--transcript", type=Path)
    args = ap.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "vault",
                    "--example", "gen_vault"], cwd=ROOT, check=True)
    if args.vault:
        source = args.vault
    else:
        notes = args.partners // 2
        source = args.dir / f"neglected-p{args.partners}-n{notes}-l0-s1"
        if not (source / "vault.yaml").exists():
            args.dir.mkdir(parents=True, exist_ok=True)
            generate(source, args.partners, notes, 0, "neglected")
    transcript = open(args.transcript, "w") if args.transcript else None

    with tempfile.TemporaryDirectory() as tmp:
        vault = Path(tmp) / "vault"
        shutil.copytree(source, vault, ignore=shutil.ignore_patterns(".vault"))
        partner = sorted((vault / "partners").rglob("*.md"))[0]
        rel_partner = str(partner.relative_to(vault))
        name = next(line.split(":", 1)[1].strip().strip('"')
                    for line in partner.read_text().splitlines() if line.startswith("name:"))
        client = Client(vault, transcript)
        started = time.perf_counter()
        client.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
        client.notify("initialized", {})
        rel = "notes/lsp-bench.md"
        head = f"---\ndate: {TODAY}\ntype: meeting\nattendees: [\"[[{name}]]\"]\n---\n"
        text = head + f"Met [[{name}]] today.\n"
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": client.uri(rel), "languageId": "markdown", "version": 1, "text": text}})
        at, _ = client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                            and m["params"]["uri"] == client.uri(rel))
        files = sum(1 for _ in vault.rglob("*.md"))
        print(f"vault lsp on {source} ({files} notes), {args.runs} runs each")
        print(f"{'initialize to the first diagnostics':<44} {1000 * (at - started):7.1f} ms")

        link_line = 5
        on_link = len("Met [[") + 1
        completion, hover, references, diagnostics = [], [], [], []
        version = 1
        for run in range(args.runs):
            letter = string.ascii_lowercase[run % 26]
            typed = text + f"Next: [[{letter}"
            version += 1
            client.notify("textDocument/didChange", {
                "textDocument": {"uri": client.uri(rel), "version": version},
                "contentChanges": [{"text": typed}]})
            took, answer = client.request("textDocument/completion", {
                "textDocument": {"uri": client.uri(rel)},
                "position": {"line": link_line + 1, "character": len("Next: [[") + 1}})
            assert answer["result"]["items"], answer
            completion.append(took)
            took, answer = client.request("textDocument/hover", {
                "textDocument": {"uri": client.uri(rel)},
                "position": {"line": link_line, "character": on_link}})
            assert answer["result"], answer
            hover.append(took)
            took, answer = client.request("textDocument/references", {
                "textDocument": {"uri": client.uri(rel_partner)},
                "position": {"line": 1, "character": 0},
                "context": {"includeDeclaration": True}})
            assert answer["result"], answer
            references.append(took)
            # A change that adds a problem, then one that removes it: each timed to its
            # diagnostics.
            for broken in (True, False):
                version += 1
                body = text + ("See [[Nobody At All]].\n" if broken else "")
                sent = client.notify("textDocument/didChange", {
                    "textDocument": {"uri": client.uri(rel), "version": version},
                    "contentChanges": [{"text": body}]})
                v = version
                at, message = client.wait(
                    lambda m, v=v: m.get("method") == "textDocument/publishDiagnostics"
                    and m["params"]["uri"] == client.uri(rel)
                    and m["params"].get("version") == v)
                assert bool(message["params"]["diagnostics"]) == broken, message
                diagnostics.append(at - sent)
        # Baselines in the same run: reading every note, and `vault check` with a warm cache.
        binary = str(TARGET / "release/vault")
        cat, check = [], []
        for _ in range(5):
            started = time.perf_counter()
            subprocess.run(f"find {vault} -name '*.md' -print0 | xargs -0 cat > /dev/null",
                           shell=True, check=True)
            cat.append(time.perf_counter() - started)
            started = time.perf_counter()
            subprocess.run([binary, "--vault", str(vault), "--today", TODAY, "check"],
                           stdout=subprocess.DEVNULL)
            check.append(time.perf_counter() - started)
        summary("baseline: cat every note", cat)
        summary("baseline: vault check, warm cache", check)
        summary("completion after [[ (100 of the partners)", completion)
        summary("hover on a link", hover)
        summary("references of a partner", references)
        summary("didChange to its publishDiagnostics", diagnostics)
        print(f"didChange to diagnostics / vault check warm: "
              f"{statistics.median(diagnostics) / statistics.median(check):.2f}")
        client.request("shutdown", None)
        client.notify("exit", None)
        client.proc.wait(timeout=30)
    if transcript:
        transcript.close()


if __name__ == "__main__":
    main()
