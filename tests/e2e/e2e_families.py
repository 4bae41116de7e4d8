"""Every listing family of listing.md served by the simulator on its own
loopback host, crawled over real HTTP into real RocksDB: every report found,
no look-alike stored, politeness held per host (from the server's own request
log), and a refresh after the second night: exactly the added and corrected
reports get new versions, a chrome-only change gets none, and unchanged
detail revisits are answered 304."""
import json
import os
import tempfile
import unittest

from harness import Simulator, export, run

FAMILIES = {
    "trs": "/zwgk/zfxxgknb/index.shtml",
    "hanweb": "/col/col1234/index.html",
    "gkmlpt": "/gkmlpt/index",
    "vsb": "/xxgk/nb.htm",
    "generic": "/list?page=1",
}
HOSTS = {"trs": "127.0.0.1", "hanweb": "127.0.0.2", "gkmlpt": "127.0.0.3", "vsb": "127.0.0.4", "generic": "127.0.0.5"}
DELAY_MS = 60
CONCURRENCY = 2


def config(directory, sim, name, db=None):
    """One portal per database: the simulator serves the same seed pages on
    every host, and across portals those would be one report (reposts)."""
    port = sim.base_url.rsplit(":", 1)[1]
    db = db or name
    path = os.path.join(directory, f"{db}.yaml")
    with open(path, "w") as f:
        f.write(f"storage:\n  path: {os.path.join(directory, db + '-db')}\n"
                f"crawl:\n  per_host_concurrency: {CONCURRENCY}\n  per_host_delay_ms: {DELAY_MS}\n  timeout_s: 20\n"
                f"schedule:\n  revisit_after_days: 0\nportals:\n"
                f"  - name: {name}\n    start_urls: [\"http://{HOSTS[name]}:{port}{FAMILIES[name]}\"]\n"
                f"    allow_hosts: [\"{HOSTS[name]}\"]\n    allow_private_addresses: true\n")
    return path


def read_log(path):
    rows = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 7:
                rows.append({"start": int(parts[0]), "end": int(parts[1]), "method": parts[2], "target": parts[3],
                             "status": int(parts[4]), "host": parts[6]})
    return rows


class Families(unittest.TestCase):
    def test_a_first_refresh_and_a_backfill_find_what_a_crawl_finds(self):
        # A refresh pages on while pages bring new reports: on an empty
        # database that is every page, whatever order the pager lists them in.
        sim = Simulator()
        try:
            with tempfile.TemporaryDirectory() as d:
                for name in FAMILIES:
                    found = {}
                    for mode in ("crawl", "refresh"):
                        cfg = config(d, sim, name, db=f"{name}-{mode}")
                        r = run(mode, "-c", cfg, timeout=300)
                        self.assertEqual(r.returncode, 0, r.stderr)
                        found[mode] = sorted(rec["url"] for rec in export(cfg))
                    self.assertGreaterEqual(len(found["crawl"]), 5, name)
                    self.assertEqual(found["refresh"], found["crawl"], name)
                    # A backfill of some years keeps exactly the crawl's reports of those years.
                    cfg = config(d, sim, name, db=f"{name}-backfill")
                    r = run("backfill", "-c", cfg, "--years", "2021-2024", timeout=300)
                    self.assertEqual(r.returncode, 0, r.stderr)
                    crawled = export(config(d, sim, name, db=f"{name}-crawl"))
                    expected = sorted(rec["url"] for rec in crawled if rec["year"] and 2021 <= rec["year"] <= 2024)
                    self.assertGreater(len(expected), 0, name)
                    self.assertLess(len(expected), len(crawled), name)
                    self.assertEqual(sorted(rec["url"] for rec in export(cfg)), expected, name)
        finally:
            sim.stop()

    def test_every_family_then_a_second_night(self):
        sim = Simulator()
        try:
            with tempfile.TemporaryDirectory() as d:
                configs = {name: config(d, sim, name) for name in FAMILIES}
                first = {}
                for name, cfg in configs.items():
                    r = run("crawl", "-c", cfg, timeout=300)
                    self.assertEqual(r.returncode, 0, r.stderr)
                    first[name] = export(cfg)
                for name, recs in first.items():
                    self.assertGreaterEqual(len(recs), 5, name)
                    urls = [r["url"] for r in recs]
                    self.assertEqual(len(urls), len(set(urls)), name)  # Hanweb's overlapping windows: once each
                    for rec in recs:
                        self.assertTrue(rec["url"].startswith(f"http://{HOSTS[name]}:"), rec["url"])
                        self.assertIn(rec["format"], ("gov2021", "gov2019"))
                        for word in ("解读", "说明", "工作要点"):
                            self.assertNotIn(word, rec["title"])
                # Reports that exist only as a PDF (gkmlpt's attachment-only article, generic's direct link).
                self.assertTrue(any(r["source"] == "pdf" for r in first["gkmlpt"]))
                self.assertTrue(any(r["source"] == "pdf" for r in first["generic"]))

                # Politeness, from the server's log: per host, never more than
                # CONCURRENCY open requests, starts at least DELAY_MS apart.
                log = read_log(sim.log)
                for host in HOSTS.values():
                    rows = sorted((x for x in log if x["host"] == host), key=lambda x: x["start"])
                    self.assertGreater(len(rows), 3, host)
                    self.assertEqual(rows[0]["target"], "/robots.txt", host)
                    for a, b in zip(rows, rows[1:]):
                        self.assertGreaterEqual(b["start"] - a["start"], DELAY_MS * 1000, (host, a, b))
                    for x in rows:
                        open_now = sum(1 for y in rows if y["start"] <= x["start"] < y["end"])
                        self.assertLessEqual(open_now, CONCURRENCY, host)
                self.assertFalse(any(x["target"].startswith("/private/") for x in log))

                requests_before = len(log)
                sim.set_night(2)
                for name, cfg in configs.items():
                    before = export(cfg, all_versions=True)
                    r = run("refresh", "-c", cfg, timeout=300)
                    self.assertEqual(r.returncode, 0, r.stderr)
                    after = export(cfg, all_versions=True)
                    known = {x["url"] for x in before}
                    added = [v for v in after if v["url"] not in known]
                    corrected = [v for v in after if v["version"] == 2]
                    # Night 2: exactly the added report (all families but trs) and the
                    # corrected one get new versions; the chrome-only change gets none.
                    self.assertEqual(len(added), 0 if name == "trs" else 1, name)
                    self.assertTrue(all(v["version"] == 1 for v in added), name)
                    self.assertEqual(len(corrected), 1, name)
                    self.assertEqual(len(after), len(before) + len(added) + 1, name)
                # Detail revisits of known reports were conditional: only the pages the
                # second night changed (a cell and a chrome per family: 10) came back
                # whole; every other revisit — all of the unchanged ones — was a 304.
                refresh_log = read_log(sim.log)[requests_before:]
                known_paths = {"/" + r["url"].split("/", 3)[3] for recs in first.values() for r in recs}
                revisits = [x for x in refresh_log if x["target"] in known_paths]
                self.assertGreater(len(revisits), 20)
                whole = sum(1 for x in revisits if x["status"] == 200)
                not_modified = sum(1 for x in revisits if x["status"] == 304)
                self.assertEqual(whole, 2 * len(FAMILIES), revisits)
                self.assertEqual(not_modified, len(revisits) - whole)
                self.assertGreaterEqual(not_modified / (len(revisits) - whole), 0.9)
        finally:
            sim.stop()


if __name__ == "__main__":
    unittest.main()
