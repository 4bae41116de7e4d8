#include "extract/checks.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string_view>
#include <unordered_map>

namespace nianbao::extract {
namespace {

const char* const kColumns[] = {"natural_person", "legal.commercial", "legal.research", "legal.social_welfare",
                                "legal.legal_service", "legal.other", "total"};

std::vector<std::string> OtherRows(const std::string& format) {
  if (format == "gov2019") return {"other.total"};
  return {"other.no_correction", "other.fee_unpaid", "other.other"};
}

std::vector<std::string> ResultRows(const std::string& format) {
  std::vector<std::string> rows = {"granted", "partially_granted"};
  for (const char* d : {"state_secret", "law_prohibited", "security_stability", "third_party_rights",
                        "internal_affairs", "process_info", "enforcement_file", "admin_query"}) {
    rows.push_back(std::string("denied.") + d);
  }
  for (const char* u : {"not_held", "needs_creation", "unclear_after_correction"}) rows.push_back(std::string("unable.") + u);
  for (const char* n : {"petition_complaint", "duplicate", "publication", "massive_repeated", "confirm_or_reissue"}) {
    rows.push_back(std::string("not_processed.") + n);
  }
  for (auto& o : OtherRows(format)) rows.push_back(o);
  return rows;
}

// One equation of checks.md: the keys whose sum is the sum of the others.
struct Equation {
  const char* rule;
  std::string scope;
  std::vector<std::string> lhs, rhs;
};

// R1-R4 of a format, in checks.md's order.
std::vector<Equation> BuildEquations(const std::string& fmt) {
  std::vector<Equation> out;
  for (const char* col : kColumns) {
    out.push_back({"R1", col, {"t3.new_received." + std::string(col), "t3.carried_over." + std::string(col)},
                   {"t3.total_processed." + std::string(col), "t3.carried_forward." + std::string(col)}});
  }
  std::vector<std::string> r2_rows = {"new_received", "carried_over"};
  for (auto& row : ResultRows(fmt)) r2_rows.push_back(row);
  r2_rows.push_back("total_processed");
  r2_rows.push_back("carried_forward");
  for (const auto& row : r2_rows) {
    std::vector<std::string> parts;
    for (int i = 0; i < 6; ++i) parts.push_back("t3." + row + "." + kColumns[i]);
    out.push_back({"R2", row, {"t3." + row + ".total"}, parts});
  }
  for (const char* col : kColumns) {
    std::vector<std::string> parts;
    for (auto& row : ResultRows(fmt)) parts.push_back("t3." + row + "." + col);
    out.push_back({"R3", col, {"t3.total_processed." + std::string(col)}, parts});
  }
  for (const char* g : {"review", "suit_direct", "suit_after_review"}) {
    std::string p = std::string("t4.") + g + ".";
    out.push_back({"R4", g, {p + "total"}, {p + "upheld", p + "corrected", p + "other", p + "pending"}});
  }
  return out;
}

// Built once per format: the keys are the same for every report.
const std::vector<Equation>& Equations(const std::string& format) {
  static const std::vector<Equation> gov2021 = BuildEquations("gov2021");
  static const std::vector<Equation> gov2019 = BuildEquations("gov2019");
  return format == "gov2019" ? gov2019 : gov2021;
}

// As an ostream prints it (%g: six significant digits), without building one.
std::string Num(const FieldValue* f) {
  if (f->type != FieldType::kDecimal) return std::to_string(f->integer);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", f->decimal);
  return buf;
}

class Checker {
 public:
  explicit Checker(const Report& r) : r_(r) {
    for (const auto& f : r.fields) index_.emplace(f.key, &f);
  }

  const FieldValue* Field(const std::string& key) const {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : it->second;
  }

  // lhs keys sum = rhs keys sum.
  void Evaluate(const Equation& eq) {
    const std::vector<std::string>& lhs = eq.lhs;
    const std::vector<std::string>& rhs = eq.rhs;
    Check c{eq.rule, eq.scope, "", "", lhs, rhs};
    std::vector<const std::string*> missing;
    bool all_absent = true;
    auto side = [&](const std::vector<std::string>& keys, double* sum, std::string* text) {
      for (size_t i = 0; i < keys.size(); ++i) {
        const FieldValue* f = Field(keys[i]);
        if (f && f->raw) all_absent = false;
        if (!f || !f->has_value) {
          missing.push_back(&keys[i]);
          continue;
        }
        *sum += f->AsDouble();
        *text += (text->empty() ? "" : "+") + Num(f);
      }
    };
    double l = 0, rsum = 0;
    std::string lt, rt;
    side(lhs, &l, &lt);
    side(rhs, &rsum, &rt);
    if (all_absent && !TablePresent(lhs.front())) {
      c.outcome = "not_assessable";
      c.detail = "table absent";
    } else if (!missing.empty()) {
      c.outcome = "uncertain";
      c.detail = "null:";
      for (const std::string* m : missing) c.detail.append(" ").append(*m);
    } else {
      bool ok = std::fabs(l - rsum) < 1e-9;
      c.outcome = ok ? "pass" : "fail";
      c.detail = lt + (ok ? " = " : " != ") + rt;
    }
    out_.push_back(std::move(c));
  }

  // Whether any cell of the table of `key` ("t3.…", "t4.…") was found.
  bool TablePresent(const std::string& key) const {
    std::string prefix = key.substr(0, key.find('.') + 1);
    return std::any_of(r_.fields.begin(), r_.fields.end(),
                       [&](const FieldValue& f) { return f.raw && f.key.compare(0, prefix.size(), prefix) == 0; });
  }

  std::vector<Check> Run() {
    for (const Equation& eq : Equations(r_.format)) Evaluate(eq);
    R5();
    return std::move(out_);
  }

 private:
  void R5() {
    Check c{"R5", "all", "pass", "", {}, {}};
    int negative = 0;
    for (const auto& f : r_.fields) {
      if (!f.has_value || f.type == FieldType::kSigned) continue;
      if (f.AsDouble() < 0) {
        if (negative++ < 5) c.detail += (c.detail.empty() ? "" : "; ") + f.key + " = " + Num(&f);
      }
    }
    if (negative) c.outcome = "fail";
    else c.detail = "every value is non-negative";
    out_.push_back(std::move(c));
  }

  const Report& r_;
  std::unordered_map<std::string_view, const FieldValue*> index_;
  std::vector<Check> out_;
};

}  // namespace

std::vector<Check> RunChecks(const Report& report) {
  if (report.format != "gov2021" && report.format != "gov2019") {
    std::vector<Check> out;
    for (const char* rule : {"R1", "R2", "R3", "R4", "R5"}) {
      out.push_back({rule, "all", "not_assessable", "format " + report.format + " has no standard tables", {}, {}});
    }
    return out;
  }
  return Checker(report).Run();
}

}  // namespace nianbao::extract
