#!/usr/bin/env python3
"""The Python peers on the same inputs as tidings-bench, one process, one core; prints one line per peer.

  python3 peers.py feeds FILE...     feedparser, feedparser-rs, fastfeedparser, lxml building a tree (MB/s)
  python3 peers.py extract FILE...   trafilatura, readability-lxml, jusText (pages/s)
  python3 peers.py dedup-stream N FILE...   the story-grouping sets N times over, as one stream (for `tidings cluster`)
  python3 peers.py dedup-half K FILE        the articles of half K (0 or 1) of a story-grouping set's events

Install: pip install feedparser==6.0.14 feedparser-rs==0.7.1 fastfeedparser==0.6.5 lxml trafilatura==2.3.1 \
         lxml_html_clean justext==3.0.2 && pip install --no-deps readability-lxml==0.9
"""
import gzip
import json
import statistics
import sys
import time


def read(path):
    data = open(path, "rb").read()
    return gzip.decompress(data) if path.endswith(".gz") else data


def timed(fn, items, passes):
    times = []
    for _ in range(passes):
        start = time.perf_counter()
        for x in items:
            try:
                fn(x)
            except Exception:
                pass
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def feeds(paths):
    docs = [read(p) for p in paths]
    mb = sum(len(d) for d in docs) / 1e6
    import feedparser, feedparser_rs, fastfeedparser
    from lxml import etree
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    peers = [
        ("feedparser 6.0.14", feedparser.parse, 1),
        ("feedparser-rs 0.7.1", feedparser_rs.parse, 3),
        ("fastfeedparser 0.6.5", fastfeedparser.parse, 3),
        ("lxml tree only", lambda d: etree.fromstring(d, parser), 5),
    ]
    for name, fn, passes in peers:
        med, best = timed(fn, docs, passes)
        print(f"{name}: {len(docs)} files, {mb:.1f} MB; median {mb / med:.1f} MB/s, best {mb / best:.1f} MB/s")


def extract(paths):
    pages = [read(p).decode("utf-8", "replace") for p in paths]
    import trafilatura, justext
    from readability import Document
    peers = [
        ("trafilatura 2.3.1", lambda h: trafilatura.extract(h)),
        ("readability-lxml 0.9", lambda h: Document(h).summary()),
        ("jusText 3.0.2", lambda h: justext.justext(h, justext.get_stoplist("English"))),
    ]
    for name, fn in peers:
        med, best = timed(fn, pages, 1)
        print(f"{name}: {len(pages)} pages; {len(pages) / med:.0f} pages/s")


def dedup_stream(args):
    """Writes to stdout the given story-grouping sets concatenated PASSES times (the first argument), ids and labels
    prefixed by the pass: a stream long enough that `tidings cluster`'s start-up does not count."""
    passes, paths = int(args[0]), args[1:]
    for p in range(passes):
        for path in paths:
            for line in open(path, encoding="utf-8"):
                row = json.loads(line)
                row["id"], row["label"] = f"{p}-{row['id']}", f"{p}-{row['label']}"
                sys.stdout.write(json.dumps(row) + "\n")


def dedup_half(args):
    """Writes to stdout, in order, the articles of one half of a story-grouping set's events (by the MD5 of the
    label, so the split is the same on every machine): a set of other events from the same sources, clustered on
    its own, to see that a change helps beyond the events it was measured on."""
    import hashlib
    half, path = int(args[0]), args[1]
    for line in open(path, encoding="utf-8"):
        label = json.loads(line)["label"]
        if int(hashlib.md5(label.encode()).hexdigest(), 16) % 2 == half:
            sys.stdout.write(line)


if __name__ == "__main__":
    {"feeds": feeds, "extract": extract, "dedup-stream": dedup_stream, "dedup-half": dedup_half}[sys.argv[1]](
        sys.argv[2:]
    )
