"""`nianbao show` over a real database: the simulator's TRS column crawled on
night 1, then refreshed on night 2, when one report's table cell changed
(report 002, 行政规范性文件 本年制发件数 7 → 8): two versions of one report."""
import json
import os
import tempfile
import unittest

from harness import Simulator, export, run, write_config


class Show(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = Simulator()
        cls.dir = tempfile.TemporaryDirectory()
        cls.config = write_config(cls.dir.name, cls.sim, extra="schedule:\n  revisit_after_days: 0\n")
        assert run("crawl", "-c", cls.config).returncode == 0
        cls.sim.set_night(2)
        assert run("refresh", "-c", cls.config).returncode == 0
        cls.changed = next(r for r in export(cls.config) if r["version"] == 2)

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()
        cls.dir.cleanup()

    def test_a_report_as_a_person_reads_it(self):
        rec = self.changed
        r = run("show", "-c", self.config, rec["report_id"])
        self.assertEqual(r.returncode, 0, r.stderr)
        out = r.stdout
        self.assertTrue(out.startswith(rec["title"] + "\n"))
        self.assertIn(f"version 2 of 2", out)
        self.assertIn(f"agency {rec['agency']}", out)
        self.assertIn("format gov2021", out)
        for heading in ("sections:", "tables (", "fields:", "checks:", "warnings:"):
            self.assertIn(heading, out)
        # A field with its Chinese labels, its value and the cell it came from.
        origin = rec["fields"]["t2.art20_1.normative_docs.issued"]["origin"]
        self.assertRegex(out, r"行政规范性文件 / 本年制发件数\s+8\s+raw «8»")
        self.assertIn(f"table {origin['table'] + 1} row {origin['row'] + 1} col {origin['col'] + 1}", out)
        # A check with its rule written out and the cells it used.
        self.assertIn("R1 total: pass", out)
        self.assertIn("rule: table 三, per column: 本年新收 + 上年结转", out)
        self.assertIn("left:  t3.new_received.total=", out)
        # The same report by its URL.
        by_url = run("show", "-c", self.config, rec["url"])
        self.assertEqual(by_url.stdout, out)

    def test_versions_and_what_changed(self):
        rec = self.changed
        r = run("show", "-c", self.config, rec["report_id"], "--versions")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = [l for l in r.stdout.splitlines() if l.strip()]
        self.assertEqual(len(lines), 3)  # a header and two versions
        d = run("show", "-c", self.config, rec["report_id"], "--diff", "1", "2", "--json")
        self.assertEqual(d.returncode, 0, d.stderr)
        diff = json.loads(d.stdout)
        self.assertEqual([(f["key"], f["old"], f["new"]) for f in diff["fields"]],
                         [("t2.art20_1.normative_docs.issued", 7, 8)])
        self.assertIn("行政规范性文件", diff["fields"][0]["label"])
        text = run("show", "-c", self.config, rec["report_id"], "--diff", "1", "2")
        self.assertIn("7 → 8", text.stdout)
        self.assertIn("fields changed (1)", text.stdout)

    def test_errors_name_what_is_wrong(self):
        r = run("show", "-c", self.config, "0" * 32)
        self.assertEqual(r.returncode, 1)
        self.assertIn("no such report", r.stderr)
        r = run("show", "-c", self.config, "not-a-report")
        self.assertEqual(r.returncode, 2)
        r = run("show", "-c", self.config, self.changed["report_id"], "--diff", "1", "9")
        self.assertEqual(r.returncode, 2)
        self.assertIn("versions 1 to 2", r.stderr)


if __name__ == "__main__":
    unittest.main()
