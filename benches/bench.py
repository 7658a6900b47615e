#!/usr/bin/env python3
"""Time `vault` commands on a generated vault against a `cat` of the same files (median of N).

Usage: benches/bench.py [--partners 10000] [--notes N] [--broken-links N] [--runs 5]
                        [--dir /tmp/vault-bench] [--regenerate] [--command "check" ...]

Builds the release binary and the vault generator (`examples/gen_vault.rs`), generates the vault
once per set of sizes (the same arguments give the same bytes, so a vault left by an earlier run
is reused; --regenerate makes it anew), then runs each command and the baseline `cat` of every
.md file RUNS times, printing medians, ratios to `cat`, and each command's peak memory (max RSS)
beside the notes' total size.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / os.environ.get("CARGO_TARGET_DIR", "target")
TODAY = "2026-11-23"
SEED = "1"


def timed(cmd, stdin=None):
    """Runs `cmd`; returns its wall time in seconds and its peak memory (max RSS) in bytes."""
    start = time.perf_counter()
    child = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss * 1024


def generate(vault, partners, notes, broken_links):
    """Writes the vault (and beside it the list of its broken links, `<name>.manifest.tsv`) into
    a temporary folder first, so that an interrupted run leaves no half vault behind."""
    partial = vault.with_name(vault.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.rmtree(vault, ignore_errors=True)
    subprocess.run([str(TARGET / "release/examples/gen_vault"), str(partial),
                    "--partners", str(partners), "--notes", str(notes),
                    "--broken-links", str(broken_links), "--seed", SEED, "--today", TODAY,
                    "--manifest", str(vault.with_name(vault.name + ".manifest.tsv"))],
                   check=True, stdout=subprocess.DEVNULL)
    partial.rename(vault)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--partners", type=int, default=10000, help="partner notes (default 10000)")
    ap.add_argument("--notes", type=int, help="meeting and idea notes (default: partners / 2)")
    ap.add_argument("--broken-links", type=int, default=0,
                    help="links to notes that do not exist, for 'did you mean' (default 0)")
    ap.add_argument("--runs", type=int, default=5, help="runs per command (default 5)")
    ap.add_argument("--dir", type=Path, default=Path("/tmp/vault-bench"),
                    help="where generated vaults are kept (default /tmp/vault-bench)")
    ap.add_argument("--regenerate", action="store_true", help="generate the vault even if it exists")
    ap.add_argument("--command", action="append", help="vault subcommand to time (repeatable)")
    args = ap.parse_args()
    commands = args.command or ["check"]
    notes = args.partners // 2 if args.notes is None else args.notes

    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "vault",
                    "--example", "gen_vault"], cwd=ROOT, check=True)
    binary = TARGET / "release/vault"
    vault = args.dir / f"p{args.partners}-n{notes}-l{args.broken_links}-s{SEED}"
    if args.regenerate or not (vault / "vault.yaml").exists():
        args.dir.mkdir(parents=True, exist_ok=True)
        generate(vault, args.partners, notes, args.broken_links)
    files = sorted(str(p) for p in vault.rglob("*.md")
                   if not any(part.startswith(".") for part in p.relative_to(vault).parts))
    size = sum(Path(f).stat().st_size for f in files)
    print(f"vault: {vault} ({len(files)} notes, {size / 1e6:.1f} MB, "
          f"{args.broken_links} broken links), {args.runs} runs each")

    list_file = args.dir / "files.nul"
    list_file.write_bytes(b"\0".join(f.encode() for f in files))

    def cat():
        with open(list_file, "rb") as names:
            return timed(["xargs", "-0", "cat"], stdin=names)

    rows = [("cat (baseline)", [cat() for _ in range(args.runs)])]
    for command in commands:
        cmd = [str(binary), "--vault", str(vault), "--today", TODAY, *command.split()]
        rows.append((f"vault {command}", [timed(cmd) for _ in range(args.runs)]))
    base = statistics.median(t for t, _ in rows[0][1])
    for name, runs in rows:
        times = [t for t, _ in runs]
        median = statistics.median(times)
        memory = statistics.median(m for _, m in runs)
        print(f"{name:<28} median {median * 1000:8.1f} ms   x{median / base:5.2f} of cat   "
              f"(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f})   "
              f"peak memory {memory / 2**20:6.1f} MiB = x{memory / size:4.1f} of the notes")


if __name__ == "__main__":
    sys.exit(main())
