"""The simulator's second rendering (sim/rendering_b*.cc): portals of the five
CMS families built apart from the listing parser, from how real portals vary
(spec/listing-real.md). For each portal alone, from the start URL a user would
configure, a crawl must store every report the portal lists (recall 100%),
no look-alike, no report twice; after the second night, a second crawl adds
the new reports too. The truth is the simulator's own manifest
(GET /__sim/manifest), not the parser's idea of the page."""
import json
import os
import re
import tempfile
import unittest
import urllib.parse
import urllib.request

from harness import Simulator, export, run

CRAWL_TIMEOUT_S = 300


def canonical(url):
    """record.md's canonical form: lower-case scheme and host, no default port,
    no fragment, query parameters sorted."""
    parts = urllib.parse.urlsplit(url)
    host = (parts.hostname or "").lower()
    port = parts.port
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    netloc = host if port is None or port == default else f"{host}:{port}"
    query = "&".join(sorted(parts.query.split("&"))) if parts.query else ""
    return urllib.parse.urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", query, ""))


def manifest(sim):
    port = sim.base_url.rsplit(":", 1)[1]
    with urllib.request.urlopen(f"http://127.0.0.7:{port}/__sim/manifest") as r:
        return json.load(r)


def write_config(directory, portal):
    path = os.path.join(directory, f"{portal['name']}.yaml")
    hosts = ", ".join(json.dumps(h) for h in portal["allow_hosts"])
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"storage:\n  path: {os.path.join(directory, portal['name'] + '-db')}\n"
                f"crawl:\n  per_host_concurrency: 2\n  per_host_delay_ms: 0\n  timeout_s: 20\n"
                f"schedule:\n  revisit_after_days: 0\n"
                f"portals:\n  - name: {portal['name']}\n"
                f"    start_urls: [{json.dumps(portal['start_url'])}]\n"
                f"    allow_hosts: [{hosts}]\n    allow_private_addresses: true\n")
    return path


def record_urls(rec):
    """Where a stored record says it was: its canonical URL, the URL the listing
    linked, and (for a report whose listing entry is only a PDF) its attachments."""
    urls = {canonical(rec["url"])}
    if rec.get("linked_url"):
        urls.add(canonical(rec["linked_url"]))
    for a in rec.get("attachments") or []:
        if a.get("url"):
            urls.add(canonical(a["url"]))
    return urls


class Listings(unittest.TestCase):
    maxDiff = None

    def check(self, portal, records, night, crawl):
        """Every report listed by `night` stored exactly once, nothing else stored."""
        name = portal["name"]
        reports = {canonical(e["url"]): e for e in portal["entries"]
                   if e["kind"] == "report" and int(e["night"]) <= night}
        lookalikes = {canonical(e["url"]): e for e in portal["entries"] if e["kind"] == "lookalike"}
        matched = {}   # manifest report url -> records matching it
        extra = []     # records that match no report of the manifest
        for rec in records:
            urls = record_urls(rec)
            hits = [u for u in urls if u in reports]
            for u in hits:
                matched.setdefault(u, []).append(rec["url"])
            if not hits:
                extra.append((rec["url"], rec["title"]))
            for u in urls & lookalikes.keys():
                self.fail(f"{name} night {night}: look-alike stored: {lookalikes[u]['title']} ({rec['url']})")
        missing = [reports[u]["title"] + "  " + reports[u]["url"] for u in reports if u not in matched]
        twice = {u: rs for u, rs in matched.items() if len(rs) > 1}
        tail = "\n".join((crawl.stderr or "").strip().splitlines()[-8:])
        self.assertEqual(missing, [], f"{name} ({portal['family']}, {portal['variant']}) night {night}: "
                         f"{len(missing)} of {len(reports)} listed reports not stored "
                         f"(recall {100 * (len(reports) - len(missing)) / len(reports):.0f}%); "
                         f"crawl log tail:\n{tail}")
        self.assertEqual(twice, {}, f"{name} night {night}: reports stored more than once")
        self.assertEqual(extra, [], f"{name} night {night}: records that are no listed report")
        urls = [r["url"] for r in records]
        self.assertEqual(len(urls), len(set(urls)), f"{name} night {night}: duplicate record URLs")

    def silent_audit(self, portal, crawl, night):
        """The coverage self-audit finds what the listing claims: no shortfall."""
        name = portal["name"]
        self.assertNotIn("event=listing_shortfall", crawl.stderr, f"{name} night {night}")
        self.assertRegex(crawl.stdout, rf"coverage {re.escape(name)}: .*no shortfall", f"{name} night {night}")

    def every_portal(self, rendering):
        sim = Simulator()
        try:
            portals = [p for p in manifest(sim)["portals"] if p["rendering"] == rendering]
            self.assertGreaterEqual(len(portals), 5)
            self.assertEqual({p["family"] for p in portals}, {"trs", "hanweb", "gkmlpt", "vsb", "generic"})
            with tempfile.TemporaryDirectory() as d:
                for portal in portals:
                    with self.subTest(portal=portal["name"], variant=portal["variant"]):
                        sim.set_night(1)
                        cfg = write_config(d, portal)
                        crawl = run("crawl", "-c", cfg, timeout=CRAWL_TIMEOUT_S)
                        self.assertEqual(crawl.returncode, 0, crawl.stderr)
                        self.check(portal, export(cfg), 1, crawl)
                        self.silent_audit(portal, crawl, 1)
                        # Night 2: one or two new reports come first; a crawl adds them.
                        sim.set_night(2)
                        crawl = run("crawl", "-c", cfg, timeout=CRAWL_TIMEOUT_S)
                        self.assertEqual(crawl.returncode, 0, crawl.stderr)
                        self.check(portal, export(cfg), 2, crawl)
                        self.silent_audit(portal, crawl, 2)
        finally:
            sim.stop()

    def test_every_portal_of_the_second_rendering(self):
        self.every_portal("b")

    def test_every_portal_of_the_first_rendering(self):
        self.every_portal("a")


if __name__ == "__main__":
    unittest.main()
