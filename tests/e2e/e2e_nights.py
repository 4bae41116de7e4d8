"""Every portal of the simulator's second rendering in one database, as an
operator would run them (one config, several hosts at once), over real HTTP
with real RocksDB:
- politeness as the server sees it: between two request starts on one host
  the server logs never less than per_host_delay_ms, at concurrency 1 and 4,
  and never more requests open at once than per_host_concurrency;
- the second night, where only new reports were added: a refresh stores
  every new report, and at least 90% of its requests to URLs already fetched
  are answered 304 (conditional revisits of listings and report pages)."""
import json
import os
import tempfile
import unittest

from harness import Simulator, export, run
import e2e_listings as L

DELAY_MS = 40


def read_log(path, start=0):
    rows = []
    with open(path) as f:
        for line in f.readlines()[start:]:
            p = line.split()
            if len(p) >= 7:
                rows.append({"start": int(p[0]), "end": int(p[1]), "method": p[2], "target": p[3], "status": int(p[4]),
                             "host": p[6]})
    return rows


def write_config(directory, portals, concurrency, delay_ms=DELAY_MS):
    path = os.path.join(directory, "all.yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"storage:\n  path: {os.path.join(directory, 'db')}\n"
                f"crawl:\n  per_host_concurrency: {concurrency}\n  per_host_delay_ms: {delay_ms}\n"
                f"  max_connections: 32\n  timeout_s: 20\nschedule:\n  revisit_after_days: 0\nportals:\n")
        for p in portals:
            f.write(f"  - name: {p['name']}\n    start_urls: [{json.dumps(p['start_url'])}]\n"
                    f"    allow_hosts: [{', '.join(json.dumps(h) for h in p['allow_hosts'])}]\n"
                    f"    allow_private_addresses: true\n")
    return path


class Nights(unittest.TestCase):
    def portals(self, sim):
        port = sim.base_url.rsplit(":", 1)[1]
        return [json.loads(json.dumps(p).replace("{port}", port)) for p in L.manifest(sim)["portals"]
                if p.get("rendering") == "b"]

    def assert_polite(self, rows, concurrency):
        hosts = {r["host"] for r in rows}
        self.assertGreater(len(hosts), 10)
        for host in hosts:
            mine = sorted((r for r in rows if r["host"] == host), key=lambda r: r["start"])
            for a, b in zip(mine, mine[1:]):
                self.assertGreaterEqual(b["start"] - a["start"], DELAY_MS * 1000, (host, a, b))
            for r in mine:
                open_now = sum(1 for o in mine if o["start"] <= r["start"] < o["end"])
                self.assertLessEqual(open_now, concurrency, (host, r))

    def test_politeness_at_any_concurrency(self):
        for concurrency in (1, 4):
            sim = Simulator()
            try:
                with tempfile.TemporaryDirectory() as d:
                    cfg = write_config(d, self.portals(sim), concurrency)
                    r = run("crawl", "-c", cfg, timeout=600)
                    self.assertEqual(r.returncode, 0, r.stderr)
                    rows = [x for x in read_log(sim.log) if not x["target"].startswith("/__sim/")]  # the test's own
                    self.assertGreater(len(rows), 300)
                    self.assert_polite(rows, concurrency)
            finally:
                sim.stop()

    def test_a_second_night_with_only_new_reports(self):
        sim = Simulator()
        try:
            with tempfile.TemporaryDirectory() as d:
                portals = self.portals(sim)
                cfg = write_config(d, portals, 2, delay_ms=0)
                r = run("crawl", "-c", cfg, timeout=600)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertNotIn("listing_shortfall", r.stderr)
                night1 = read_log(sim.log)
                known = {(x["host"], x["target"]) for x in night1 if x["status"] == 200 and x["method"] == "GET"}
                sim.set_night(2)
                r = run("refresh", "-c", cfg, timeout=600)
                self.assertEqual(r.returncode, 0, r.stderr)
                night2 = [x for x in read_log(sim.log, start=len(night1)) if not x["target"].startswith("/__sim/")]
                revisits = [x for x in night2 if (x["host"], x["target"]) in known]
                self.assertGreater(len(revisits), 200)
                not_modified = sum(1 for x in revisits if x["status"] == 304)
                self.assertGreaterEqual(not_modified / len(revisits), 0.9,
                                        [(x["host"], x["target"], x["status"]) for x in revisits if x["status"] != 304])
                # Every report new on night 2 is stored.
                stored = set()
                for rec in export(cfg):
                    stored |= L.record_urls(rec)
                new = {L.canonical(e["url"]) for p in portals for e in p["entries"] if e["kind"] == "report" and e["night"] == "2"}
                self.assertTrue(new)
                self.assertEqual(new - stored, set())
        finally:
            sim.stop()


if __name__ == "__main__":
    unittest.main()
