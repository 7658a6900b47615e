#!/usr/bin/env python3
"""Time `vault watch` from saving a note to the updated review page, on a generated vault.

Usage: benches/watch_latency.py [--partners 10000] [--saves 20] [--debounce 200ms]
                                [--dir /tmp/vault-bench]

Builds the release binary and the project's vault generator, generates the vault once (as
benches/bench.py does, and shared with it), copies it (the watch writes its review page into
the copy, never into the shared vault), starts `vault watch` on the copy, and then, SAVES times,
saves one partner note the way editors do (a temporary file renamed over it) with a new open
task due this week (which the page lists), and measures the time until the week's review page
is replaced. Prints every latency, the median and the worst.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import ROOT, TARGET, TODAY, generate  # noqa: E402

PAGE = "reviews/2026-W48.md"


def stamp(path):
    try:
        st = path.stat()
        return (st.st_ino, st.st_mtime_ns, st.st_size)
    except FileNotFoundError:
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--partners", type=int, default=10000)
    ap.add_argument("--saves", type=int, default=20)
    ap.add_argument("--debounce", default="200ms", help="passed to vault watch (its default)")
    ap.add_argument("--dir", type=Path, default=Path("/tmp/vault-bench"))
    args = ap.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "vault",
                    "--example", "gen_vault"], cwd=ROOT, check=True)
    shared = args.dir / f"neglected-p{args.partners}-n{args.partners // 2}-l0-s1"
    if not (shared / "vault.yaml").exists():
        args.dir.mkdir(parents=True, exist_ok=True)
        generate(shared, args.partners, args.partners // 2, 0, "neglected")

    with tempfile.TemporaryDirectory() as tmp:
        vault = Path(tmp) / "vault"
        shutil.copytree(shared, vault, ignore=shutil.ignore_patterns(".vault"))
        notes = sorted((vault / "partners").rglob("*.md"))[: args.saves]

        watch = subprocess.Popen(
            [str(TARGET / "release/vault"), "--vault", str(vault), "--today", TODAY,
             "watch", "--debounce", args.debounce],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        lines = []

        def read():
            for line in watch.stdout:
                lines.append(line)

        threading.Thread(target=read, daemon=True).start()
        started = time.perf_counter()
        while not any("waiting for changes" in line for line in lines):
            if watch.poll() is not None or time.perf_counter() - started > 300:
                sys.exit("vault watch did not start:\n" + "".join(lines))
            time.sleep(0.01)
        print(f"watch started in {time.perf_counter() - started:.2f} s: "
              f"{[l for l in lines if l.startswith('watching')][0].strip()}", file=sys.stderr)

        page = vault / PAGE
        latencies = []
        for i, note in enumerate(notes):
            # An open task due this week: listed on the review page whoever the partner is.
            text = note.read_text().rstrip("\n") + f"\n- [ ] 2026-11-2{i % 7 + 3} Latency probe {i}\n"
            before = stamp(page)
            temp = note.with_name(note.name + ".save-tmp")
            temp.write_text(text)
            saved = time.perf_counter()
            os.rename(temp, note)
            while stamp(page) == before:
                if time.perf_counter() - saved > 30:
                    sys.exit(f"the page did not change after saving {note}:\n" + "".join(lines))
                time.sleep(0.001)
            latencies.append((time.perf_counter() - saved) * 1000)
            # Let the batch finish (its summary printed) before the next save.
            time.sleep(0.5)
        watch.terminate()
        watch.wait(timeout=30)
        if watch.returncode != 0:
            sys.exit(f"vault watch ended with {watch.returncode}:\n" + "".join(lines))

    print(f"vault watch --debounce {args.debounce}, {args.partners} partners + "
          f"{args.partners // 2} notes, {len(latencies)} saves")
    print("save to page, ms: " + ", ".join(f"{ms:.0f}" for ms in latencies))
    print(f"median {statistics.median(latencies):.0f} ms, worst {max(latencies):.0f} ms")


if __name__ == "__main__":
    sys.exit(main())
