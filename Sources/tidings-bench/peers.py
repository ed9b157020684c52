#!/usr/bin/env python3
"""The Python peers on the same inputs as tidings-bench, one process, one core; prints one line per peer.

  python3 peers.py feeds FILE...     feedparser, feedparser-rs, fastfeedparser, lxml building a tree (MB/s)
  python3 peers.py extract FILE...   trafilatura, readability-lxml, jusText (pages/s)
  python3 peers.py dedup-stream N FILE...   the story-grouping sets N times over, as one stream (for `tidings cluster`)
  python3 peers.py dedup-half K FILE        the articles of half K (0 or 1) of a story-grouping set's events
  python3 peers.py dedup-bound FILE         what TF-IDF words allow on a story-grouping set, with hindsight

Install: pip install feedparser==6.0.14 feedparser-rs==0.7.1 fastfeedparser==0.6.5 lxml trafilatura==2.3.1 \
         lxml_html_clean justext==3.0.2 numpy scipy && pip install --no-deps readability-lxml==0.9
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


def dedup_bound(args):
    """How far TF-IDF words can take story grouping on a set, given what no streaming grouper has: the whole
    file's idf, every article at once, and the threshold chosen on the answers. Vectors as the README's streaming
    baseline makes them (sublinear tf, title words three times, capitalized words twice), cosine decayed by
    exp(-hours apart / 36), pairs more than 72 h apart never joined. Prints the best pairwise F1 of a classifier
    of pairs by that cosine, of average-link clustering of the whole file, and of the greedy streaming average
    link on the same vectors (what order costs)."""
    import collections
    import datetime
    import math
    import re

    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    rows = [json.loads(line) for line in open(args[0], encoding="utf-8")]
    stop = set(
        "the a an and or of to in on for with by at from as is are was were be been has have had it its this that "
        "these those he she they we you his her their our not but will would can could said says say after over "
        "into about more than new also who what when where which while up out one two".split()
    )

    def words(text):
        return re.findall(r"[A-Za-z][A-Za-z'\-]+|\d+", text or "")

    def bag(tokens, capitalized_only=False):
        c = collections.Counter()
        for w in tokens:
            low = w.lower()
            if low in stop or len(low) < 3 or (capitalized_only and not w[0].isupper()):
                continue
            c[low[:7]] += 1  # a crude stem: the first seven letters
        return c

    bags = []
    for r in rows:
        title, body = words(r.get("title")), words(r["text"][:3000])
        bags.append(bag(title * 3 + body) + bag(title + body, capitalized_only=True))
    df = collections.Counter(w for b in bags for w in b)
    vocab = {w: i for i, w in enumerate(df)}
    n = len(rows)
    x = np.zeros((n, len(vocab)), dtype=np.float32)
    for i, b in enumerate(bags):
        for w, k in b.items():
            x[i, vocab[w]] = (1 + math.log(k)) * math.log((n + 1) / (df[w] + 1))
    x /= np.linalg.norm(x, axis=1, keepdims=True) + 1e-9
    hours = np.array(
        [datetime.datetime.fromisoformat(r["published"].replace("Z", "+00:00")).timestamp() / 3600 for r in rows]
    )
    apart = np.abs(hours[:, None] - hours[None, :])
    sim = (x @ x.T) * np.exp(-apart / 36)
    sim[apart > 72] = 0
    labels = [r["label"] for r in rows]

    def scores(pred):
        pairs = lambda keys: sum(k * (k - 1) / 2 for k in collections.Counter(keys).values())
        true, found, both = pairs(labels), pairs(pred), pairs(list(zip(labels, pred)))
        p, r = both / max(found, 1), both / max(true, 1)
        joint = collections.Counter(zip(labels, pred))
        by_label, by_pred = collections.Counter(labels), collections.Counter(pred)
        bp = sum(joint[(a, b)] / by_pred[b] for a, b in zip(labels, pred)) / n
        br = sum(joint[(a, b)] / by_label[a] for a, b in zip(labels, pred)) / n
        return 2 * p * r / max(p + r, 1e-9), p, r, 2 * bp * br / max(bp + br, 1e-9)

    same = np.array([[a == b for b in labels] for a in labels])
    upper = np.triu_indices(n, 1)
    near = apart[upper] <= 72
    s, y = sim[upper][near], same[upper][near]
    order = np.argsort(-s)
    tp = np.cumsum(y[order])
    f1 = 2 * tp / (np.arange(1, len(order) + 1) + y.sum())
    k = int(np.argmax(f1))
    print(f"pairs within 72 h, classified by decayed cosine: best pairwise F1 {f1[k]:.3f} at {s[order][k]:.3f}")

    grid = [0.04, 0.06, 0.08, 0.10, 0.12, 0.15, 0.18, 0.22]
    tree = linkage(squareform(1 - sim, checks=False), "average")
    best = max((scores(list(fcluster(tree, 1 - t, "distance"))), t) for t in grid)
    print("whole file, average-link clustering: best pairwise F1 %.3f (P %.3f / R %.3f), B-cubed F1 %.3f" % best[0]
          + f" at {best[1]:.2f}")

    def stream(t):
        stories, pred = [], []
        for i in range(n):
            reach = [(sim[i, m].mean(), c) for c, m in enumerate(stories) if hours[i] - hours[m[0]] <= 72]
            s, c = max(reach, default=(0, -1))
            if s >= t:
                stories[c].append(i)
            else:
                stories.append([i])
                c = len(stories) - 1
            pred.append(c)
        return pred

    best = max((scores(stream(t)), t) for t in grid)
    print("in order, greedy average link: best pairwise F1 %.3f (P %.3f / R %.3f), B-cubed F1 %.3f" % best[0]
          + f" at {best[1]:.2f}")


if __name__ == "__main__":
    {
        "feeds": feeds,
        "extract": extract,
        "dedup-stream": dedup_stream,
        "dedup-half": dedup_half,
        "dedup-bound": dedup_bound,
    }[sys.argv[1]](sys.argv[2:])
