"""`nianbao check` over a real database: the simulator's TRS column (gov2019
and gov2021 reports; one report changed on the second night: two versions)
and every portal of the second rendering (agencies with reports in several
years, and years missing), crawled over real HTTP into real RocksDB. The
ledger and the S2 findings are recomputed here from the exported records
and must agree; the HTML ledger is rendered by a real headless Chromium."""
import html.parser
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest
from collections import defaultdict

from harness import Simulator, assert_exports_lose_nothing, export, run
import e2e_nights as N

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def agency_key(name):
    k = re.sub(r"\s+", "", name).replace("人民政府", "政府")
    return re.sub(r"[（(][^）)]*[）)]$", "", k)


class Check(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = Simulator()
        cls.dir = tempfile.TemporaryDirectory()
        port = cls.sim.base_url.rsplit(":", 1)[1]
        portals = N.Nights().portals(cls.sim)
        portals.append({"name": "trs", "start_url": cls.sim.column_url, "allow_hosts": ["127.0.0.1"]})
        cls.config = N.write_config(cls.dir.name, portals, 4, delay_ms=0)
        assert run("crawl", "-c", cls.config, timeout=600).returncode == 0
        cls.sim.set_night(2)
        assert run("refresh", "-c", cls.config, timeout=600).returncode in (0,)
        cls.records = export(cls.config)
        cls.versions = defaultdict(int)
        for r in export(cls.config, all_versions=True):
            cls.versions[r["report_id"]] += 1
        r = run("check", "-c", cls.config, "--format", "json")
        assert r.returncode == 0, r.stderr
        cls.ledger = json.loads(r.stdout)

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()
        cls.dir.cleanup()

    def test_the_database_holds_what_the_ledger_needs(self):
        formats = {r["format"] for r in self.records}
        self.assertTrue({"gov2019", "gov2021", "legacy"} <= formats, formats)
        self.assertIn(2, self.versions.values())  # one report changed after publication
        # A free-text report of before 2019, shown with the sentence each number came from.
        legacy = next(r for r in self.records if r["format"] == "legacy")
        shown = run("show", "-c", self.config, legacy["report_id"])
        self.assertEqual(shown.returncode, 0, shown.stderr)
        self.assertIn("legacy.requests_received", shown.stdout)
        self.assertIn(legacy["fields"]["legacy.requests_received"]["sentence"], shown.stdout)
        self.assertIn("R1 all: not_assessable", shown.stdout)

    def test_the_ledger_agrees_with_the_records(self):
        by_agency = defaultdict(lambda: defaultdict(list))
        for r in self.records:
            if r["agency"] and r["year"]:
                by_agency[agency_key(r["agency"])][r["year"]].append(r)
        years = list(range(min(y for a in by_agency.values() for y in a), max(y for a in by_agency.values() for y in a) + 1))
        self.assertEqual(self.ledger["years"], years)
        self.assertEqual({a["key"] for a in self.ledger["agencies"]}, set(by_agency))
        missing = 0
        for a in self.ledger["agencies"]:
            for y in years:
                cell = a["years"][str(y)]
                found = by_agency[a["key"]].get(y, [])
                self.assertEqual(cell["status"], "found" if found else "missing", (a["key"], y))
                missing += not found
                if found:
                    ids = {r["report_id"] for r in found}
                    self.assertIn(cell["report_id"], ids)
                    rec = next(r for r in found if r["report_id"] == cell["report_id"])
                    self.assertEqual(cell["changed"], self.versions[rec["report_id"]] > 1)
                    self.assertEqual(cell["attachment_only"], rec["source"] != "html")
        self.assertEqual(self.ledger["counts"]["missing"], missing)
        self.assertTrue(any(a["years"][str(y)]["changed"] for a in self.ledger["agencies"] for y in years
                            if a["years"][str(y)]["status"] == "found"))
        # S2 where each year has exactly one report: recomputed here.
        expected = set()
        for key, ys in by_agency.items():
            for y, recs in ys.items():
                prev = ys.get(y - 1, [])
                if len(recs) != 1 or len(prev) != 1:
                    continue
                over = recs[0]["fields"].get("t3.carried_over.total", {}).get("value")
                forward = prev[0]["fields"].get("t3.carried_forward.total", {}).get("value")
                if over is not None and forward is not None and over != forward:
                    expected.add((key, y))
        got = {(f["agency"], f["year"]) for f in self.ledger["findings"] if f["rule"] == "S2" and f["outcome"] == "fail"}
        self.assertTrue(expected)
        self.assertTrue(expected <= got, expected - got)

    def test_exports_lose_nothing_with_every_format(self):
        # gov2019, gov2021 and legacy (legacy.* keys have columns of their own).
        self.assertGreater(assert_exports_lose_nothing(self, self.config, self.dir.name), 10000)
        with open(os.path.join(self.dir.name, "wide.csv"), encoding="utf-8-sig") as f:
            header = f.readline()
        self.assertIn("legacy.requests_received", header)

    def test_text_and_csv(self):
        text = run("check", "-c", self.config)
        self.assertEqual(text.returncode, 0, text.stderr)
        self.assertIn(f"ledger: found {self.ledger['counts']['found']}, missing {self.ledger['counts']['missing']}", text.stdout)
        csv = run("check", "-c", self.config, "--format", "csv")
        rows = csv.stdout.strip().splitlines()
        self.assertEqual(rows[0], "agency,agency_key,region,level,year,status,late,changed,attachment_only,report_id,url")
        self.assertEqual(len(rows) - 1, len(self.ledger["agencies"]) * len(self.ledger["years"]))
        one = run("check", "-c", self.config, "--year", "2024", "--format", "json")
        self.assertEqual(json.loads(one.stdout)["years"], [2024])

    def test_the_html_ledger_in_a_real_browser(self):
        self.assertIsNotNone(CHROMIUM, "chromium is needed (scripts/setup.sh --tests installs it)")
        page = os.path.join(self.dir.name, "ledger.html")
        r = run("check", "-c", self.config, "--html", page)
        self.assertEqual(r.returncode, 0, r.stderr)
        profile = os.path.join(self.dir.name, "chromium-profile")
        dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                              "--disable-background-networking", "--disable-component-update", "--disable-sync",
                              f"--user-data-dir={profile}", "--dump-dom", "file://" + page],
                             capture_output=True, text=True, timeout=120)
        self.assertEqual(dom.returncode, 0, dom.stderr[-2000:])

        class Table(html.parser.HTMLParser):
            def __init__(self):
                super().__init__()
                self.in_ledger = self.in_body = False
                self.rows, self.missing, self.links = 0, 0, []

            def handle_starttag(self, tag, attrs):
                a = dict(attrs)
                if tag == "table":
                    self.in_ledger = a.get("id") == "ledger"
                if self.in_ledger and tag == "tbody":
                    self.in_body = True
                if self.in_body and tag == "tr":
                    self.rows += 1
                if self.in_body and tag == "td" and a.get("data-status") == "missing":
                    self.missing += 1
                if self.in_body and tag == "a":
                    self.links.append(a.get("href"))

            def handle_endtag(self, tag):
                if tag == "table":
                    self.in_ledger = self.in_body = False

        t = Table()
        t.feed(dom.stdout)
        self.assertEqual(t.rows, len(self.ledger["agencies"]))
        self.assertEqual(t.missing, self.ledger["counts"]["missing"])
        self.assertEqual(len(t.links), self.ledger["counts"]["found"])
        urls = {r["url"] for r in self.records}
        self.assertTrue(set(t.links) <= urls)

    def test_renamed_agencies_through_the_configuration(self):
        names = sorted({r["agency"] for r in self.records if r["agency"]})
        a, b = names[0], names[1]
        with open(self.config) as f:
            text = f.read()
        aliased = os.path.join(self.dir.name, "aliased.yaml")
        with open(aliased, "w") as f:
            f.write(text + f"agencies:\n  {json.dumps(a, ensure_ascii=False)}: [{json.dumps(b, ensure_ascii=False)}]\n")
        r = run("check", "-c", aliased, "--format", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        merged = json.loads(r.stdout)
        self.assertEqual(len(merged["agencies"]), len(self.ledger["agencies"]) - 1)
        self.assertTrue(any(set(x["names"]) == {a, b} for x in merged["agencies"]))


if __name__ == "__main__":
    unittest.main()
