#!/usr/bin/env python3
"""The web server under load while the daemon ingests: wrk against `tidings serve`'s story list and story page,
over a store of many articles, while the same daemon fetches, extracts and stores real pages.

    .build/release/tidings-bench store 100000 w100k.db ../shared/eval/dedup/data/dev.jsonl
    python3 Tests/Eval/web_load.py .build/release/tidings w100k.db [SECONDS] [RATE]

Copies the store, serves 50 local feeds linking the shared eval's 1 631 real pages (as daemon_pages.py does;
each page answered after 0.4 s, so the daemon ingests through the whole run), starts `tidings serve` on that
store with [http] listen, and runs wrk (Debian's package) for SECONDS (default 30) on `/` and then on
`/stories/ID` (random ids among the newest 2 000 stories), each with connections paced to RATE requests/s in
all (default 200; wrk's Lua `delay`), and once more unpaced (the most the server gives on this machine).
Prints wrk's latency percentiles, the rate reached, and how many articles the daemon stored meanwhile.
"""
import os
import shutil
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
    def do_GET(self):
        if not self.path.startswith("/f/"):
            time.sleep(0.4)
        super().do_GET()


def wrk(url, seconds, rate, script_body):
    work = tempfile.mkdtemp(prefix="tidings-wrk-")
    script = os.path.join(work, "s.lua")
    # Each connection waits CONNECTIONS / rate seconds between its requests: RATE requests/s in all.
    delay = "" if rate == 0 else f"function delay() return {int(1000 * CONNECTIONS / rate)} end\n"
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
    serve = subprocess.Popen([binary, "serve", "--config", config, "--log-level", "error"])
    try:
        time.sleep(2)
        lua_ids = "ids = {" + ",".join(map(str, ids)) + "}\n"
        story = lua_ids + 'request = function() return wrk.format("GET", "/stories/" .. ids[math.random(#ids)]) end\n'
        base = f"http://127.0.0.1:{web_port}"
        results = [
            (f"story list `/`, {rate} requests/s", wrk(base + "/", seconds, rate, "")),
            (f"story page `/stories/ID`, {rate} requests/s", wrk(base + "/", seconds, rate, story)),
            ("story list `/`, unpaced", wrk(base + "/", seconds // 2, 0, "")),
            ("story page `/stories/ID`, unpaced", wrk(base + "/", seconds // 2, 0, story)),
        ]
    finally:
        serve.terminate()
        serve.wait()
    after = sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0]
    print(f"store: {before} articles before, {after} after ({after - before} stored during the run)")
    for name, r in results:
        print(f"{name}: {r}")


if __name__ == "__main__":
    main()
