"""The coverage self-audit and the operator's tools, against the simulator's
second rendering over real HTTP with real RocksDB:
- a crawl of an untouched portal of every family: the audit is silent;
- the same portal with one listing page hidden (it answers 404): the audit
  names that page in the log, the run summary and `nianbao portals`;
- `nianbao probe` says the family, entries claimed vs found, and a config
  entry that crawls the column to the same reports."""
import json
import os
import tempfile
import unittest
import urllib.parse
import urllib.request

from harness import Simulator, export, run
import e2e_listings as L

# One portal per family, each with more than one listing page.
PORTALS = ["trs-countpage", "hanweb-inline", "gkmlpt-tree", "vsb-tree", "generic-currpage"]


class Audit(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = Simulator()
        port = cls.sim.base_url.rsplit(":", 1)[1]
        cls.portals = {p["name"]: json.loads(json.dumps(p).replace("{port}", port)) for p in L.manifest(cls.sim)["portals"]}
        cls.dir = tempfile.TemporaryDirectory()

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()
        cls.dir.cleanup()

    def hide(self, portal, url):
        """The simulator answers 404 for that one listing page from now on."""
        path = "/" + url.split("/", 3)[3]
        query = urllib.parse.urlencode({"host": portal["host"], "path": path})
        with urllib.request.urlopen(f"http://{portal['host']}:{self.port()}/__sim/hide?{query}") as r:
            self.assertEqual(r.status, 200)

    def unhide(self, portal):
        with urllib.request.urlopen(f"http://{portal['host']}:{self.port()}/__sim/hide?clear=1") as r:
            self.assertEqual(r.status, 200)

    def port(self):
        return self.sim.base_url.rsplit(":", 1)[1]

    def crawl(self, name, tag):
        d = os.path.join(self.dir.name, tag)
        os.makedirs(d, exist_ok=True)
        cfg = L.write_config(d, self.portals[name])
        r = run("crawl", "-c", cfg, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        return cfg, r

    def test_silent_on_whole_listings_and_names_a_hidden_page(self):
        for name in PORTALS:
            portal = self.portals[name]
            with self.subTest(portal=name):
                cfg, r = self.crawl(name, name + "-whole")
                self.assertNotIn("listing_shortfall", r.stderr)
                self.assertRegex(r.stdout, rf"coverage {name}: .*no shortfall")
                line = next(l for l in r.stdout.splitlines() if l.startswith(f"coverage {name}:"))
                claimed = line.split("entries claimed ")[1].split(",")[0]
                found = int(line.split("found ")[1].split(",")[0])
                if claimed != "- (no count printed)":  # a TRS countPage listing claims pages, not entries
                    self.assertEqual(found, int(claimed), line)
                p = run("portals", "-c", cfg, "--json")
                self.assertEqual(p.returncode, 0, p.stderr)
                row = json.loads(p.stdout)[0]
                self.assertEqual(row["last_run"]["shortfalls"], [])
                self.assertEqual(row["reports_stored"], len({L.canonical(e["url"]) for e in portal["entries"]
                                                             if e["kind"] == "report" and e["night"] == "1"}))

                # Hide a listing page the crawl read, other than the first: the audit names it.
                fetched = set()
                with open(self.sim.log) as log:
                    for row in log:
                        parts = row.split()
                        if len(parts) >= 7 and parts[6] == portal["host"] and parts[4] in ("200", "304"):
                            fetched.add(parts[3])
                pages = [x["url"] for x in portal["listing_pages"]
                         if x["night"] == "1" and "/" + x["url"].split("/", 3)[3] in fetched]
                self.assertGreater(len(pages), 1, (name, fetched))
                hidden = pages[-1]
                self.assertNotEqual(hidden, portal["start_url"].split("#")[0])
                self.hide(portal, hidden)
                try:
                    cfg, r = self.crawl(name, name + "-hidden")
                finally:
                    self.unhide(portal)
                shortfalls = [l for l in r.stderr.splitlines() if "event=listing_shortfall" in l]
                self.assertTrue(any(L.canonical(hidden) in l or hidden in l for l in shortfalls), (hidden, shortfalls))
                self.assertIn(f"shortfall {hidden}", r.stdout.replace(L.canonical(hidden), hidden))
                p = run("portals", "-c", cfg)
                self.assertEqual(p.returncode, 0, p.stderr)
                self.assertIn("shortfall " + name, p.stdout)

    def test_a_refresh_judges_no_count_but_names_a_failed_listing_page(self):
        name = "generic-list"
        portal = self.portals[name]
        cfg, r = self.crawl(name, "refresh")
        r = run("refresh", "-c", cfg, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, rf"coverage {name}: .*counts not judged: a refresh pages only while new")
        self.assertNotIn("listing_shortfall", r.stderr)
        start = portal["start_url"]
        self.hide(portal, start)
        try:
            r = run("refresh", "-c", cfg, timeout=300)
        finally:
            self.unhide(portal)
        # The only portal's only column answers 404: nothing could be read, exit 1.
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("no portal could be read", r.stderr)
        self.assertIn(f"shortfall {start}: listing page failed", r.stdout)
        self.assertIn("outcome: failed", r.stdout)
        p = json.loads(run("portals", "-c", cfg, "--json").stdout)[0]
        self.assertEqual(len(p["last_run"]["shortfalls"]), 1)
        self.assertIsNotNone(p["last_run"]["last_success"])  # from the crawl and the first refresh
        self.assertEqual(p["last_run"]["mode"], "refresh")

    def test_probe_reads_a_column_and_writes_its_config_entry(self):
        portal = self.portals["hanweb-inline"]
        d = os.path.join(self.dir.name, "probe")
        os.makedirs(d, exist_ok=True)
        settings = os.path.join(d, "settings.yaml")
        with open(settings, "w") as f:
            f.write(f"storage:\n  path: {d}/unused-db\ncrawl:\n  per_host_delay_ms: 0\n")
        r = run("probe", portal["start_url"], "-c", settings, "--json", timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        f = json.loads(r.stdout)
        self.assertEqual(f["family"], "hanweb")
        self.assertEqual(f["entries_found"], f["claimed_entries"])
        self.assertFalse(f["shortfall"])
        self.assertGreater(f["verdicts"]["report"], 0)
        self.assertGreater(f["verdicts"]["lookalike"], 0)
        self.assertEqual(f["config"]["cms"], "hanweb")
        self.assertTrue(f["sub_columns"])
        text = run("probe", portal["start_url"], "-c", settings, timeout=120)
        self.assertEqual(text.returncode, 0, text.stderr)
        self.assertIn("family: hanweb", text.stdout)
        self.assertIn(f"entries: claimed {f['claimed_entries']}, found {f['entries_found']}", text.stdout)
        # The config entry it prints crawls the column to every report the manifest lists.
        entry = text.stdout.split("config entry (paste under portals:):\n", 1)[1]
        cfg = os.path.join(d, "probe.yaml")
        with open(cfg, "w") as out:
            out.write(f"storage:\n  path: {d}/db\ncrawl:\n  per_host_delay_ms: 0\nschedule:\n  revisit_after_days: 0\n"
                      f"portals:\n{entry}    allow_private_addresses: true\n")
        c = run("crawl", "-c", cfg, timeout=300)
        self.assertEqual(c.returncode, 0, c.stderr)
        stored = set()
        for rec in export(cfg):
            stored |= L.record_urls(rec)
        wanted = {L.canonical(e["url"]) for e in portal["entries"] if e["kind"] == "report" and e["night"] == "1"}
        self.assertEqual(wanted - stored, set())
        # A URL that answers 404: exit 1, the status said.
        bad = run("probe", portal["start_url"].rsplit("/", 2)[0] + "/col999999/index.html", "-c", settings, timeout=60)
        self.assertEqual(bad.returncode, 1)
        self.assertIn("HTTP 404", bad.stdout)


if __name__ == "__main__":
    unittest.main()
