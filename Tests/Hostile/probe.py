#!/usr/bin/env python3
"""Hostile-input probe of a tidings binary: what an attacker's feed or a careless user can do to it.

  python3 Tests/Hostile/probe.py [.build/release/tidings]

Serves its feeds and pages from 127.0.0.1 (a server of its own, on a free port), runs each case as its own process
and checks that it ends in bounded time and memory (peak RSS from wait4: an upper bound, since Linux counts the
probe's own memory at the fork too), with the documented exit code and one clear line, and that the good feeds of
the same cycle are stored. Prints one line a case and last
"N passed, M failed"; exits 1 when a case failed.
"""
import http.server
import json
import os
import signal
import socketserver
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/release/tidings"))
WORK = tempfile.mkdtemp(prefix="tidings-hostile-")
MEMORY_MB = 256
SEEDS = os.path.join(ROOT, "seeds")


def amplification_feed(uses=20_000, size=50_000):
    """110 KB that expand to a gigabyte: one internal entity used thousands of times."""
    entity = "x" * size
    items = "".join(f"<item><title>t{i}</title><description>{'&big;' * 10}</description></item>" for i in range(uses // 10))
    return f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY big "{entity}">]><rss version="2.0"><channel><title>amp</title>{items}</channel></rss>'


def link_feed(title, count, base, prefix="page"):
    items = "".join(f"<item><guid>{title}-{i}</guid><title>{title} {i}</title><link>{base}/{prefix}/{i}.html</link></item>"
                    for i in range(count))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{items}</channel></rss>'


class Site(http.server.BaseHTTPRequestHandler):
    """/seeds/*: the bundled seeds (the good feed); /amp.xml; /huge.xml (100 000 entries to /slow/); /slow/*: pages
    answered after 30 s; /long-title.xml: an entry whose title is 5 MB; /bad-charset.xml."""
    protocol_version = "HTTP/1.1"
    base = ""

    def log_message(self, *args):
        pass

    def send(self, body, kind="application/rss+xml", delay=0):
        if delay:
            time.sleep(delay)
        data = body if isinstance(body, bytes) else body.encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_GET(self):
        p = self.path.split("?")[0]
        if p.startswith("/seeds/"):
            path = os.path.join(SEEDS, os.path.basename(p))
            if not os.path.exists(path):
                self.send_error(404)
                return
            return self.send(open(path, "rb").read(), "application/rss+xml" if p.endswith(".xml") else "text/plain; charset=utf-8")
        if p == "/amp.xml":
            return self.send(AMP)
        if p == "/huge.xml":
            return self.send(HUGE)
        if p == "/tarpit.xml":
            return self.send(link_feed("tarpit", 40, Site.base, "slow"))
        if p.startswith("/slow/"):
            return self.send("<html><body><p>late</p></body></html>", "text/html", delay=30)
        if p == "/big.xml":
            return self.send(link_feed("big", 150, Site.base, "big"))
        if p.startswith("/big/"):
            return self.send(BIG_PAGE.replace(b"@ID@", p.encode()), "text/html; charset=utf-8")
        if p == "/long-title.xml":
            return self.send(LONG_TITLE)
        if p == "/bad-charset.xml":
            return self.send(b'<?xml version="1.0" encoding="Shift_JIS"?><rss version="2.0"><channel><title>t \xff\xfe\x80 x'
                             b'</title><item><title>x</title><description>text</description></item></channel></rss>')
        self.send_error(404)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


AMP = amplification_feed()
LONG_TITLE = ('<?xml version="1.0"?><rss version="2.0"><channel><title>long</title><item><guid>l1</guid><title>'
              + "A" * (5 << 20) + "</title><description>Short text.</description></item></channel></rss>")
HUGE = ""  # made once the port is known
# A 4 MB page: an article, then 4 MB of a comment thread's markup (pages that large exist: live blogs, forums).
BIG_PAGE = (b"<html><head><title>@ID@ big page</title></head><body><article><h1>A big page</h1>"
            + b"<p>Page @ID@: the harbour authority said the dredging of the channel would end in May, ahead of the storms.</p>" * 5
            + b"</article><section class='comments'>"
            + b"<div class='comment'><p>A reader wrote a long comment about the harbour works.</p></div>" * 48_000
            + b"</section></body></html>")

RESULTS = []


def run(name, args, expect_exit, stderr_has=None, seconds=30, memory=MEMORY_MB, check=None, env=None):
    """Runs `tidings ARGS`, measures it, checks it; records one result line. PROBE_ONLY=TEXT runs only the cases
    whose name holds TEXT."""
    if os.environ.get("PROBE_ONLY") and os.environ["PROBE_ONLY"] not in name:
        return
    start = time.monotonic()
    proc = subprocess.Popen([BIN] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=WORK, env=env)
    out_chunks, err_chunks = [], []
    t_out = threading.Thread(target=lambda: out_chunks.append(proc.stdout.read()))
    t_err = threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()))
    t_out.start(); t_err.start()
    reaped = {}

    def reap():  # wait4: this process's own peak RSS (poll() would reap it without one)
        _, reaped["status"], reaped["usage"] = os.wait4(proc.pid, 0)
        reaped["elapsed"] = time.monotonic() - start

    waiter = threading.Thread(target=reap)
    waiter.start()
    waiter.join(timeout=seconds * 4)
    killed = waiter.is_alive()
    if killed:
        os.kill(proc.pid, signal.SIGKILL)
        waiter.join()
    proc.returncode = 0  # reaped above
    status, usage, elapsed = reaped["status"], reaped["usage"], reaped["elapsed"]
    t_out.join(); t_err.join()
    code = os.waitstatus_to_exitcode(status)
    out = b"".join(out_chunks).decode("utf-8", "replace")
    err = b"".join(err_chunks).decode("utf-8", "replace")
    rss = usage.ru_maxrss / 1024
    problems = []
    if killed:
        problems.append(f"still running after {seconds * 4} s")
    if code != expect_exit:
        problems.append(f"exit {code}, expected {expect_exit}")
    if elapsed > seconds:
        problems.append(f"{elapsed:.1f} s > {seconds} s")
    if rss > memory:
        problems.append(f"{rss:.0f} MB > {memory} MB")
    if stderr_has and stderr_has not in err:
        problems.append(f"stderr lacks {stderr_has!r}: {err[:200]!r}")
    # A usage error is swift-argument-parser's: "Error: …", "Usage: …", "  See 'tidings … --help' …".
    stray = [l for l in err.splitlines() if not (l.startswith("tidings: ") or l.startswith("<") or l.startswith("Error: ")
                                                  or l.startswith("Usage: ") or l.startswith("  See 'tidings"))]
    if stray:
        problems.append(f"stderr line outside the log format: {stray[0][:120]!r}")
    if any(len(l.encode()) > 4200 for l in err.splitlines()):
        problems.append("a stderr line longer than 4 KB")
    if check and not problems:
        extra = check(out, err)
        if extra:
            problems.append(extra)
    RESULTS.append((name, not problems))
    print(f"{'ok  ' if not problems else 'FAIL'} {name}: exit {code}, {elapsed:.2f} s, {rss:.0f} MB"
          + ("" if not problems else " -- " + "; ".join(problems)), flush=True)
    return out, err


def write(name, text):
    path = os.path.join(WORK, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def articles(db):
    return sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0]


def main():
    global HUGE
    server = Server(("127.0.0.1", 0), Site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    Site.base = base
    HUGE = link_feed("huge", 100_000, base, "slow")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    good = f"{base}/seeds/feed.xml"
    print(f"tidings hostile-input probe: {BIN}, work in {WORK}", flush=True)

    # 1. Entity amplification, alone and in a cycle beside a good feed.
    amp = write("amp.xml", AMP)
    run("entity amplification, parse", ["parse", "--json", amp], 1, "entities expand")
    cfg = write("amp.toml", f'database = "amp.db"\n[[feed]]\nurl = "{base}/amp.xml"\n[[feed]]\nurl = "{good}"\n')
    run("entity amplification in a cycle", ["run", "--once", "--config", cfg], 2, "entities expand",
        check=lambda o, e: None if articles(os.path.join(WORK, "amp.db")) == 5 else "the good feed was not stored")

    # 2. One feed of 100 000 entries linking to a host that answers in 30 s, beside a good feed.
    cfg = write("huge.toml", f'database = "huge.db"\n[limits]\ntimeout = "10s"\n[[feed]]\nurl = "{base}/huge.xml"\n'
                f'[[feed]]\nurl = "{good}"\n')
    # Exit 2: the slow pages that time out are article errors, retried next cycle.
    run("100 000 entries to a slow host", ["run", "--once", "--config", cfg], 2, seconds=60,
        check=lambda o, e: None if articles(os.path.join(WORK, "huge.db")) >= 5 else "the good feed was not stored")

    # 2b. 150 entries linking 4 MB pages: the pages are fetched and extracted a transfer slot's worth at a time,
    # so memory follows the transfers in flight, not the batch (600 MB of pages held at once before).
    cfg = write("bigpages.toml", f'database = "bigpages.db"\n[limits]\ntimeout = "300s"\n[[feed]]\nurl = "{base}/big.xml"\n')
    run("150 entries linking 4 MB pages", ["run", "--once", "--config", cfg], 0, seconds=240,
        check=lambda o, e: None if articles(os.path.join(WORK, "bigpages.db")) == 150 else "not every page was stored")

    # 3. Durations without bounds, and a reload of them.
    for key, value in [("timeout", "1e300"), ("low_speed_time", '"1e300d"')]:
        cfg = write(f"dur-{key}.toml", f'database = "d.db"\n[limits]\n{key} = {value}\n')
        run(f"{key} = {value}", ["run", "--once", "--config", cfg], 1, f"{cfg}:3:")
    cfg = write("interval.toml", 'database = "d.db"\n[poll]\ninterval = 1e308\n')
    run("interval = 1e308", ["feeds", "list", "--config", cfg], 1, "between 0 and 366 days")

    # 4. feeds import of an empty file.
    empty = write("empty.opml", "")
    cfg = write("import.toml", 'database = "import.db"\n')
    run("feeds import of an empty file", ["feeds", "import", empty, "--config", cfg], 1, "not a readable OPML file")

    # 5. A configuration of 30 000 feeds.
    big = write("big.toml", 'database = "big.db"\n' + "".join(f'[[feed]]\nurl = "https://f{i}.example/rss"\n' for i in range(30_000)))
    run("30 000 feeds in the configuration", ["feeds", "export", "--config", big], 0, seconds=10)

    # 6. check on damaged databases.
    demo = os.path.join(WORK, "demo.db")
    subprocess.run([BIN, "demo", "--db", demo, "--seeds", SEEDS], capture_output=True, cwd=WORK)
    subprocess.run([BIN, "vacuum", "--db", demo], capture_output=True, cwd=WORK)
    data = open(demo, "rb").read()
    damaged = os.path.join(WORK, "damaged.db")
    open(damaged, "wb").write(data[:8192] + b"\xa5" * 8192 + data[16384:])
    run("check: pages overwritten", ["check", "--db", damaged], 3, "malformed")
    truncated = os.path.join(WORK, "truncated.db")
    open(truncated, "wb").write(data[:12288])
    run("check: truncated", ["check", "--db", truncated], 3)

    # 7. An article the store refuses is counted.
    refuse = os.path.join(WORK, "refuse.db")
    cfg = write("refuse.toml", f'database = "refuse.db"\n[[feed]]\nurl = "{good}"\n')
    subprocess.run([BIN, "run", "--once", "--config", cfg], capture_output=True, cwd=WORK)
    c = sqlite3.connect(refuse)
    c.execute("DELETE FROM entries WHERE url LIKE '%001_%'")
    c.execute("DELETE FROM articles WHERE url LIKE '%001_%'")
    c.execute("CREATE TRIGGER refuse BEFORE INSERT ON articles BEGIN SELECT RAISE(ABORT, 'refused by the probe'); END")
    c.commit(); c.close()
    run("an article the store refuses", ["run", "--once", "--config", cfg], 2,
        check=lambda o, e: None if "1 article errors" in o else f"not counted: {o.strip()}")

    # 8. A 5 MB title, and libxml2's own diagnostics.
    cfg = write("long.toml", f'database = "long.db"\n[[feed]]\nurl = "{base}/long-title.xml"\n')
    run("a 5 MB title in the log", ["run", "--once", "--config", cfg, "--log-level", "debug"], 0)
    run("bytes outside the declared charset", ["parse", "--json", f"{base}/bad-charset.xml"], 0)

    # 9. OPML addresses.
    opml = os.path.join(ROOT, "Tests/tidingsTests/Fixtures/opml/hostile.opml")
    cfg = write("opml.toml", 'database = "opml.db"\n')
    run("OPML with file:, javascript:, gopher: and a line break", ["feeds", "import", opml, "--config", cfg], 0,
        "skipped", check=lambda o, e: None if all(b not in open(cfg).read() for b in ("passwd", "shadow", "javascript", "gopher", "forged"))
        else "a refused address reached the configuration")
    cfg = write("case.toml", 'database = "case.db"\n')
    subprocess.run([BIN, "feeds", "add", "--no-check", "http://Feeds.Example.com/rss", "--config", cfg], capture_output=True, cwd=WORK)
    run("HTTP:// and http:// forms of one feed", ["feeds", "add", "--no-check", "HTTP://feeds.example.COM:80/rss", "--config", cfg], 0,
        check=lambda o, e: None if "already" in o else f"added twice: {o.strip()}")

    # 10. Search bounds, spans, odd database paths.
    run("search of 4 000 words", ["search", " ".join(["word"] * 4000), "--db", demo], 1, "longer than")
    run("search of 400 short words", ["search", " ".join(["w"] * 400), "--db", demo], 1, "at most")
    run("search m* OR m* x 20 000", ["search", " OR ".join(["m*"] * 20000), "--db", demo], 1, "longer than")
    run("search '*'", ["search", "*", "--db", demo], 1, "prefix*")
    run("--since 1e308h", ["stories", "--since", "1e308h", "--db", demo], 64, "--since expects a span")
    run("a database under /proc", ["run", "--once", "--db", "/proc/self/x.db", "--config", write("p.toml", "")], 1,
        check=lambda o, e: "said the disk is full" if "full" in e else None)

    # 11. One writer per database; a stop while pages are in flight.
    cfg = write("serve.toml", f'database = "serve.db"\n[[feed]]\nurl = "{base}/tarpit.xml"\n[[feed]]\nurl = "{good}"\n')
    serve = subprocess.Popen([BIN, "serve", "--config", cfg, "--log-level", "error"], cwd=WORK,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(3)
    run("a second daemon on the same database", ["serve", "--config", cfg], 1, "another tidings process")
    start = time.monotonic()
    serve.send_signal(signal.SIGTERM)
    try:
        code = serve.wait(timeout=10)
        took = time.monotonic() - start
        ok = code == 0
        print(f"{'ok  ' if ok else 'FAIL'} SIGTERM with pages in flight: exit {code}, stopped in {took:.2f} s", flush=True)
    except subprocess.TimeoutExpired:
        serve.kill()
        serve.wait()
        ok = False
        print("FAIL SIGTERM with pages in flight: still running 10 s later", flush=True)
    RESULTS.append(("SIGTERM with pages in flight", ok))
    run("check after the stop", ["check", "--db", os.path.join(WORK, "serve.db")], 0)

    server.shutdown()
    passed = sum(1 for _, ok in RESULTS if ok)
    print(f"{passed} passed, {len(RESULTS) - passed} failed")
    sys.exit(0 if passed == len(RESULTS) else 1)


if __name__ == "__main__":
    main()
