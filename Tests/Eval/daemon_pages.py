#!/usr/bin/env python3
"""The daemon end to end over real pages: `tidings run --once` twice over local feeds that link the shared eval's
pages, then what it stored beside what `tidings extract` makes of the same pages.

    python3 Tests/Eval/daemon_pages.py .build/release/tidings [FEEDS] [PAGES]

Serves FEEDS feeds (default 50) on loopback whose entries have a link and a date but no title or text of their
own (so the page supplies both), linking PAGES pages (default all of ../shared/eval/extraction and
extraction-more, gunzipped; each page on a loopback address of its own, as each comes from a site of its own),
with ETag validators. Prints: the first cycle's time and peak RSS (wait4), the second
cycle's (it must only revalidate: every feed 304), how many stored articles have the same text and title as
`tidings extract` gives for their page, and the pages where they differ.
"""
import gzip
import hashlib
import http.server
import json
import os
import resource
import socketserver
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[3] / "shared" / "eval"


def pages(limit):
    files = sorted((SHARED / "extraction" / "data" / "html").glob("*.html.gz"))
    files += sorted((SHARED / "extraction-more" / "data").glob("*/html/*.html.gz"))
    return files[:limit] if limit else files


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    feeds = {}
    bodies = {}

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.path.split("?")[0]
        if path in Handler.feeds:
            body, kind = Handler.feeds[path], "application/rss+xml"
        elif path in Handler.bodies:
            body, kind = gzip.decompress(Handler.bodies[path].read_bytes()), "text/html"
        else:
            self.send_error(404)
            return
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default backlog of 5 drops connections a client opens at once (1 s retries)


def run(binary, config):
    start = time.monotonic()
    proc = subprocess.Popen([binary, "run", "--once", "--config", config, "--log-level", "error"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, _, usage = os.wait4(proc.pid, 0)
    out = proc.stdout.read().decode()
    return time.monotonic() - start, usage.ru_maxrss / 1024, out.strip()


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    nfeeds = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    files = pages(int(sys.argv[3]) if len(sys.argv) > 3 else 0)
    # Every page on a loopback address of its own (127.0.x.y all reach this machine), as each page of the eval
    # comes from a site of its own: one host for all would make them one site for template memory. The server
    # listens on every address for that, for the minute the run takes.
    server = Server(("0.0.0.0", 0), Handler)
    port = server.server_address[1]
    base = f"http://127.0.0.1:{port}"
    by_id = {}
    page_url = {}
    for n, f in enumerate(files):
        page_id = f.name[: -len(".html.gz")]
        Handler.bodies[f"/p/{page_id}.html"] = f
        url = f"http://127.0.{n // 250 + 1}.{n % 250 + 1}:{port}/p/{page_id}.html"
        page_url[f] = url
        by_id[url] = f
    for k in range(nfeeds):
        mine = [f for n, f in enumerate(files) if n % nfeeds == k]
        items = "".join(
            f"<item><guid>{f.name}</guid><link>{page_url[f]}</link>"
            f"<pubDate>Wed, 19 Jun 2024 {n % 24:02d}:{n % 60:02d}:00 GMT</pubDate></item>"
            for n, f in enumerate(mine))
        Handler.feeds[f"/f/{k}.xml"] = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {k}</title>'
                                        f"{items}</channel></rss>").encode()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    work = tempfile.mkdtemp(prefix="tidings-pages-")
    config = os.path.join(work, "tidings.toml")
    with open(config, "w") as c:
        c.write('database = "pages.db"\n[limits]\ntimeout = "120s"\n')
        for k in range(nfeeds):
            c.write(f'[[feed]]\nurl = "{base}/f/{k}.xml"\n')
    t1, rss1, out1 = run(binary, config)
    t2, rss2, out2 = run(binary, config)
    print(f"first cycle: {t1:.1f} s, peak RSS {rss1:.0f} MB: {out1}")
    print(f"second cycle: {t2:.1f} s, peak RSS {rss2:.0f} MB: {out2}")
    db = sqlite3.connect(os.path.join(work, "pages.db"))
    stored = {url: (title, text) for url, title, text in db.execute("SELECT url, title, text FROM articles")}
    extracted = {}
    batch = sorted(by_id.items())
    for i in range(0, len(batch), 200):
        part = batch[i:i + 200]
        res = subprocess.run([binary, "extract", "--jsonl"] + [str(f) for _, f in part], capture_output=True, text=True)
        for (url, _), line in zip(part, res.stdout.splitlines()):
            d = json.loads(line)
            extracted[url] = (d["title"], d["articleBody"])
    same_text = sum(1 for u, (t, x) in stored.items() if u in extracted and (x or "") == (extracted[u][1] or ""))
    same_title = sum(1 for u, (t, x) in stored.items() if u in extracted and t == extracted[u][0])
    print(f"{len(files)} pages, {len(stored)} stored; same text as `extract`: {same_text}; same title: {same_title}")
    for u, (t, x) in sorted(stored.items()):
        if u in extracted and (x or "") != (extracted[u][1] or ""):
            print(f"  text differs: {u.rsplit('/', 1)[-1]} stored {len(x or '')} chars, extract {len(extracted[u][1] or '')}")


if __name__ == "__main__":
    main()
