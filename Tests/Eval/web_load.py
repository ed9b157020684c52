#!/usr/bin/env python3
"""The web server under load while the daemon ingests: wrk against `tidings serve`'s story list and story page,
over a store of many articles, while the same daemon fetches, extracts and stores real pages.

    .build/release/tidings-bench store 100000 w100k.db ../shared/eval/dedup/data/dev.jsonl
    python3 Tests/Eval/web_load.py .build/release/tidings w100k.db [SECONDS] [RATE]

Copies the store, serves 50 local feeds linking the shared eval's 1 631 real pages (as daemon_pages.py does;
each page answered late enough that the daemon ingests through the paced runs), starts `tidings serve` on that
store with [http] listen, and runs wrk (Debian's package) for SECONDS (default 30) on `/` and then on
`/stories/ID` (random ids among the newest 2 000 stories) at the same time, each paced to RATE requests/s
(default 200; wrk's Lua `delay` between a connection's requests), and then each alone, unpaced (the most the
server gives on this machine).
Prints wrk's latency percentiles, the rate reached, and how many articles the daemon stored meanwhile.
"""
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import daemon_pages  # noqa: E402  (the same local feeds and pages)

CONNECTIONS = 8


class SlowHandler(daemon_pages.Handler):
    page_delay = 0.4

    def do_GET(self):
        if not self.path.startswith("/f/"):
            time.sleep(SlowHandler.page_delay)
        super().do_GET()


def wrk(url, seconds, rate, script_body):
    work = tempfile.mkdtemp(prefix="tidings-wrk-")
    script = os.path.join(work, "s.lua")
    # Each connection waits CONNECTIONS / rate seconds between its requests: RATE requests/s in all.
    # Less the ~2 ms a request takes, so that the rate reached is RATE.
    delay = "" if rate == 0 else f"function delay() return {int(1000 * CONNECTIONS / rate) - 3} end\n"
    with open(script, "w") as f:
        f.write(script_body + delay)
    out = subprocess.run(["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--latency", "-s", script, url],
                         capture_output=True, text=True).stdout
    lines = [l.strip() for l in out.splitlines()]
    pick = lambda p: next((l.split()[1] for l in lines if l.startswith(p)), "?")
    rps = next((l.split()[1] for l in lines if l.startswith("Requests/sec")), "?")
    errors = [l for l in lines if l.startswith("Non-2xx") or l.startswith("Socket errors")]
    return f"p50 {pick('50%')}, p90 {pick('90%')}, p99 {pick('99%')}, {rps} requests/s" + (
        f" ({'; '.join(errors)})" if errors else "")


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    seconds = int(sys.argv[3]) if len(sys.argv) > 3 else 30
    rate = int(sys.argv[4]) if len(sys.argv) > 4 else 200
    work = tempfile.mkdtemp(prefix="tidings-web-load-")
    db = os.path.join(work, "store.db")
    shutil.copy(sys.argv[2], db)
    conn = sqlite3.connect(db)
    before = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    ids = [r[0] for r in conn.execute("SELECT id FROM stories ORDER BY last_seen DESC LIMIT 2000")]
    conn.close()

    server = daemon_pages.Server(("0.0.0.0", 0), SlowHandler)
    port = server.server_address[1]
    files = daemon_pages.pages(0)
    # The daemon fetches 32 pages at a time: slow enough that the ingest lasts through the paced runs.
    SlowHandler.page_delay = 0.6 * seconds * 32 / len(files)
    for n, f in enumerate(files):
        SlowHandler.bodies[f"/p/{f.name[:-len('.html.gz')]}.html"] = f
    for k in range(50):
        items = "".join(
            f"<item><guid>{f.name}</guid><link>http://127.0.{n // 250 + 1}.{n % 250 + 1}:{port}/p/"
            f"{f.name[:-len('.html.gz')]}.html</link><pubDate>Wed, 19 Jun 2024 10:00:00 GMT</pubDate></item>"
            for n, f in enumerate(files) if n % 50 == k)
        SlowHandler.feeds[f"/f/{k}.xml"] = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>F{k}</title>'
                                            f"{items}</channel></rss>").encode()
    threading.Thread(target=server.serve_forever, daemon=True).start()

    web_port = 20000 + os.getpid() % 20000
    config = os.path.join(work, "tidings.toml")
    with open(config, "w") as c:
        c.write(f'database = "store.db"\n[http]\nlisten = "127.0.0.1:{web_port}"\n[limits]\ntimeout = "120s"\n')
        for k in range(50):
            c.write(f'[[feed]]\nurl = "http://127.0.0.1:{port}/f/{k}.xml"\n')
    log = open(os.path.join(work, "serve.log"), "w")
    serve = subprocess.Popen([binary, "serve", "--config", config, "--log-level", "notice"], stderr=log)
    try:
        started = time.monotonic()
        while time.monotonic() - started < 120:
            try:
                socket.create_connection(("127.0.0.1", web_port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        print(f"web server answering after {time.monotonic() - started:.1f} s")
        lua_ids = "ids = {" + ",".join(map(str, ids)) + "}\n"
        story = lua_ids + 'request = function() return wrk.format("GET", "/stories/" .. ids[math.random(#ids)]) end\n'
        base = f"http://127.0.0.1:{web_port}"
        # The list and the story page at RATE requests/s each, at the same time, while the daemon ingests; then
        # each alone, unpaced.
        results = []

        def run(name, length, r, script):
            begin = time.time()
            out = wrk(base + "/", length, r, script)
            results.append((name, out, begin, time.time()))

        paced = [threading.Thread(target=run, args=(f"story list `/`, {rate} requests/s", seconds, rate, "")),
                 threading.Thread(target=run, args=(f"story page `/stories/ID`, {rate} requests/s", seconds, rate,
                                                    story))]
        for t in paced:
            t.start()
        for t in paced:
            t.join()
        run("story list `/`, unpaced", seconds // 2, 0, "")
        run("story page `/stories/ID`, unpaced", seconds // 2, 0, story)
    finally:
        serve.terminate()
        serve.wait()
    conn = sqlite3.connect(db)
    after = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    added = sorted(r[0] for r in conn.execute("SELECT added FROM articles ORDER BY id DESC LIMIT ?", (after - before,)))
    with open(os.path.join(work, "serve.log")) as f:
        notices = [l.strip() for l in f if l.startswith("<5>") and "cycle" in l or "ERROR" in l]
    print("\n".join(notices[:5]))
    print(f"store: {before} articles before, {after} after ({after - before} stored during the run)")
    for name, r, begin, end in results:
        during = sum(1 for t in added if begin <= t <= end)
        print(f"{name}: {r}; {during} articles stored meanwhile")


if __name__ == "__main__":
    main()
