#!/usr/bin/env python3
"""Write what a tidings binary prints for every shared eval into one folder, so that two builds can be diffed.

A restructuring must not change output: build the commit before and after, run this for each, and `diff -r` the two
folders. Usage (from the repository root, with ../shared beside it):

    python3 Tests/Eval/outputs.py BINARY OUT_DIR

Covers the feed conformance corpus (`parse --json`, with each case's URL and content type), the extraction,
extraction-more and metadata pages (`extract --jsonl`), the extraction text dumps (`extract --jsonl` on the .txt files) and the
dedup sets (`cluster --jsonl`). Exit status and standard error are kept beside each output.
"""
import concurrent.futures
import json
import subprocess
import sys
from pathlib import Path

SHARED = Path(__file__).resolve().parents[3] / "shared" / "eval"


def run(argv, out: Path):
    proc = subprocess.run(argv, capture_output=True, timeout=600)
    out.write_bytes(proc.stdout)
    out.with_suffix(out.suffix + ".status").write_text(f"exit {proc.returncode}\n" + proc.stderr.decode("utf-8", "replace"))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    binary, outdir = str(Path(sys.argv[1]).resolve()), Path(sys.argv[2])
    (outdir / "feeds").mkdir(parents=True, exist_ok=True)
    jobs = []
    for exp in sorted((SHARED / "feeds" / "cases").glob("*.expected.json")):
        name = exp.name[: -len(".expected.json")]
        inputs = [p for p in exp.parent.glob(name + ".*") if not p.name.endswith(".expected.json")]
        if len(inputs) != 1:
            continue
        meta = json.loads(exp.read_text()).get("input", {})
        argv = [binary, "parse", "--json", str(inputs[0])]
        if meta.get("url"):
            argv.append("--url=" + meta["url"])
        if meta.get("content_type"):
            argv.append("--content-type=" + meta["content_type"])
        jobs.append((argv, outdir / "feeds" / (name + ".json")))
    pages = {
        "extraction": sorted((SHARED / "extraction" / "data" / "html").glob("*.html.gz")),
        "extraction-more": sorted((SHARED / "extraction-more" / "data").glob("*/html/*")),
        "metadata": sorted((SHARED / "metadata" / "data").glob("*.html")),
    }
    for name, files in pages.items():
        jobs.append(([binary, "extract", "--jsonl", *map(str, files)], outdir / (name + ".jsonl")))
    texts = sorted((SHARED / "extraction" / "data" / "text").glob("*.txt"))
    jobs.append(([binary, "extract", "--jsonl", *map(str, texts)], outdir / "extraction-text.jsonl"))
    for data in sorted((SHARED / "dedup" / "data").glob("*.jsonl")):
        jobs.append(([binary, "cluster", "--jsonl", str(data)], outdir / ("dedup-" + data.name)))
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        for f in [pool.submit(run, argv, out) for argv, out in jobs]:
            f.result()
    print(f"{len(jobs)} outputs in {outdir}")


if __name__ == "__main__":
    main()
