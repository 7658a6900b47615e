#!/usr/bin/env python3
"""Time `vault` commands on a generated vault against a `cat` of the same files (median of N).

Usage: benches/bench.py [--partners 10000] [--runs 5] [--gen ../shared/bench/gen-vault.py]
                        [--dir /tmp/vault-bench] [--command "check" ...]

Builds the release binary, generates the vault once (same seed, same bytes), then runs each
command and the baseline `cat` of every .md file RUNS times, printing medians and ratios.
"""

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-23"


def timed(cmd, **kwargs):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--partners", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--gen", type=Path, default=ROOT.parent / "shared/bench/gen-vault.py")
    ap.add_argument("--dir", type=Path, default=Path("/tmp/vault-bench"))
    ap.add_argument("--command", action="append", help="vault subcommand to time (repeatable)")
    args = ap.parse_args()
    commands = args.command or ["check"]

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    binary = ROOT / "target/release/vault"
    vault = args.dir / f"{args.partners}"
    if not (vault / "vault.yaml").exists():
        subprocess.run([sys.executable, str(args.gen), str(vault), "--partners", str(args.partners),
                        "--today", TODAY, "--force"], check=True, stdout=subprocess.DEVNULL)
    files = sorted(str(p) for p in vault.rglob("*.md") if ".obsidian" not in p.parts)
    size = sum(Path(f).stat().st_size for f in files)
    print(f"vault: {vault} ({len(files)} notes, {size / 1e6:.1f} MB), {args.runs} runs each")

    def cat():
        return timed(["xargs", "-0", "cat"], input=None, stdin=open(list_file, "rb"))

    list_file = args.dir / "files.nul"
    list_file.write_bytes(b"\0".join(f.encode() for f in files))
    rows = [("cat (baseline)", [cat() for _ in range(args.runs)])]
    for command in commands:
        cmd = [str(binary), "--vault", str(vault), "--today", TODAY, *command.split()]
        rows.append((f"vault {command}", [timed(cmd) for _ in range(args.runs)]))
    base = statistics.median(rows[0][1])
    for name, times in rows:
        median = statistics.median(times)
        print(f"{name:<28} median {median * 1000:8.1f} ms   x{median / base:5.2f} of cat   "
              f"(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f})")


if __name__ == "__main__":
    main()
