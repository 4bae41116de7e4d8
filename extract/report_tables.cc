#include "extract/report_tables.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "extract/field_spec.h"
#include "extract/flat_tables.h"
#include "extract/text.h"

namespace nianbao::extract {
namespace {

// Table 三 row keys by the words of their printed labels. Order matters: the
// specific sub-row words come before the group words that rowspans repeat.
struct RowRule {
  const char* word;
  const char* key;
};
const RowRule kT3Rows[] = {
    {"本年新收", "new_received"},
    {"上年结转", "carried_over"},
    {"结转下年", "carried_forward"},
    {"国家秘密", "denied.state_secret"},
    {"法律行政法规禁止", "denied.law_prohibited"},
    {"三安全一稳定", "denied.security_stability"},
    {"第三方合法权益", "denied.third_party_rights"},
    {"内部事务", "denied.internal_affairs"},
    {"过程性信息", "denied.process_info"},
    {"行政执法案卷", "denied.enforcement_file"},
    {"行政查询事项", "denied.admin_query"},
    {"不掌握", "unable.not_held"},
    {"另行制作", "unable.needs_creation"},
    {"仍不明确", "unable.unclear_after_correction"},
    {"信访举报投诉", "not_processed.petition_complaint"},
    {"重复申请", "not_processed.duplicate"},
    {"公开出版物", "not_processed.publication"},
    {"大量反复", "not_processed.massive_repeated"},
    {"确认或重新出具", "not_processed.confirm_or_reissue"},
    {"逾期不补正", "other.no_correction"},
    {"缴纳费用", "other.fee_unpaid"},
    {"部分公开", "partially_granted"},
    {"不予公开", ""},  // a group label alone: not a data row
    {"予以公开", "granted"},
    {"总计", "total_processed"},
    {"总记", "total_processed"},  // OCR damage seen in real reports
    {"其他处理", "other.*"},       // gov2021: 3.其他 ; gov2019: the single row
};

const char* const kT3Columns[][2] = {
    {"自然人", "natural_person"},         {"商业企业", "legal.commercial"},
    {"科研机构", "legal.research"},       {"社会公益组织", "legal.social_welfare"},
    {"法律服务机构", "legal.legal_service"}, {"其他", "legal.other"},
    {"总计", "total"},                     {"总记", "total"},
};

bool Contains(const std::string& hay, const char* needle) { return hay.find(needle) != std::string::npos; }

// Every cell of `g` in MatchKey form, joined (cells separated by '|'), so
// the words that name a table are looked up once per grid.
std::string GridKey(const Grid& g) {
  std::string key;
  for (size_t r = 0; r < g.rows.size(); ++r) {
    for (size_t c = 0; c < g.width(); ++c) {
      if (c > 0 && g.origin[r][c] == g.origin[r][c - 1]) continue;  // a span, already there
      key += MatchKey(g.rows[r][c]);
      key += '|';
    }
  }
  return key;
}

// Unique source cells of row r, left to right (spans collapsed).
std::vector<size_t> UniqueColumns(const Grid& g, size_t r) {
  std::vector<size_t> cols;
  std::set<int> seen;
  for (size_t c = 0; c < g.width(); ++c) {
    if (seen.insert(g.origin[r][c]).second) cols.push_back(c);
  }
  return cols;
}

class Mapper {
 public:
  Mapper(const std::string& format, std::vector<FieldValue>* fields, std::vector<Warning>* warnings,
         const std::vector<std::string>* sections)
      : format_(format), warnings_(warnings), fields_(*fields), index_(Index(format)), t2_rows_(T2Rows(format)),
        sections_(sections) {}

  // Key → position in fields.tsv order, per format (fields come from EmptyFields).
  static const std::unordered_map<std::string, size_t>& Index(const std::string& format) {
    static const auto* indexes = [] {
      auto* m = new std::map<std::string, std::unordered_map<std::string, size_t>>();
      for (const char* f : {"gov2021", "gov2019"}) {
        const auto& specs = FieldSpecs(f);
        for (size_t i = 0; i < specs.size(); ++i) (*m)[f][specs[i].key] = i;
      }
      return m;
    }();
    static const std::unordered_map<std::string, size_t> kNone;
    auto it = indexes->find(format);
    return it == indexes->end() ? kNone : it->second;
  }

  // Printed row label of table 二 (MatchKey form) → its keys in column order.
  // The labels of both formats name their rows (规范性文件 of 2019 and
  // 行政规范性文件 of 2021 are one row): a table printed in the other
  // format's shape still finds the rows the two share.
  static const std::map<std::string, std::vector<std::string>>& T2Rows(const std::string& format) {
    static const auto* rows = [] {
      auto row_of = [](const std::string& key) { return T2Part(key, 2); };
      std::map<std::string, std::map<std::string, std::vector<std::string>>> keys_of_row;  // format → row → keys
      std::map<std::string, std::string> label_row;                                          // label → row
      for (const char* f : {"gov2021", "gov2019"}) {
        for (const auto& spec : FieldSpecs(f)) {
          if (spec.table != "二") continue;
          keys_of_row[f][row_of(spec.key)].push_back(spec.key);
          label_row[MatchKey(spec.row_label)] = row_of(spec.key);
        }
      }
      auto* m = new std::map<std::string, std::map<std::string, std::vector<std::string>>>();
      for (const char* f : {"gov2021", "gov2019"}) {
        for (const auto& [label, row] : label_row) {
          auto it = keys_of_row[f].find(row);
          if (it != keys_of_row[f].end()) (*m)[f][label] = it->second;
        }
      }
      return m;
    }();
    static const std::map<std::string, std::vector<std::string>> kNone;
    auto it = rows->find(format);
    return it == rows->end() ? kNone : it->second;
  }

  // Part `i` of a dotted key: T2Part("t2.art20_1.regulations.issued", 3) == "issued".
  static std::string T2Part(const std::string& key, int i) {
    size_t b = 0;
    for (int k = 0; k < i; ++k) {
      b = key.find('.', b);
      if (b == std::string::npos) return "";
      ++b;
    }
    size_t e = key.find('.', b);
    return key.substr(b, e == std::string::npos ? std::string::npos : e - b);
  }

  // The column of table 二 a header cell names, as the last part of the keys
  // of both formats ("本年制发件数" → issued, "处理决定数量" → decisions); "" if none.
  static std::string T2Column(const std::string& k) {
    static const char* const kStems[][2] = {
        {"制发", "issued"},          {"废止", "repealed"},          {"现行有效", "in_force"},
        {"处理决定", "decisions"},   {"收费金额", "amount_wan_yuan"}, {"新制作", "newly_made"},
        {"新公开", "newly_published"}, {"公开总数", "total_published"}, {"上一年项目", "prev_year_items"},
        {"上年项目", "prev_year_items"}, {"增/减", "change"},          {"增减", "change"},
        {"采购项目", "items"},        {"总金额", "total_amount_wan_yuan"},
    };
    for (const auto& [stem, column] : kStems) {
      if (k.find(stem) != std::string::npos) return column;
    }
    return "";
  }

  // A logical table may be split over several <table>s (a CMS page break):
  // a grid that names no table but continues the previous one's rows is
  // mapped as its continuation.
  void Map(const std::vector<Grid>& tables) {
    enum class Kind { kNone, kT3, kT4 } previous = Kind::kNone;
    for (size_t t = 0; t < tables.size(); ++t) {
      const Grid& g = tables[t];
      grid_ = t;
      if (g.rows.empty()) continue;
      const std::string key = GridKey(g);
      if (Contains(key, "本年新收") || Contains(key, "申请人情况")) {
        size_t header_row = 0;
        t3_cols_ = g.right_aligned ? FlatT3Columns(g) : T3Columns(g, &header_row);
        t3_width_ = g.width();
        MapT3(g, g.right_aligned ? 0 : header_row + 1);
        previous = Kind::kT3;
      } else if (Contains(key, "行政复议") && Contains(key, "行政诉讼")) {
        MapT4(g);
        previous = Kind::kT4;
      } else if (previous == Kind::kT3 && CountT3Rows(g) >= 1) {
        if (g.width() != t3_width_ || g.right_aligned) {
          t3_cols_ = FlatT3Columns(g);
          t3_width_ = g.width();
        }
        MapT3(g, 0);
      } else if (previous == Kind::kT4) {
        MapT4(g);
        previous = Kind::kNone;
      } else {
        MapT2(g);
        previous = Kind::kNone;
      }
    }
  }

  // Where cell (r, c) of grid g is, in the record's terms.
  CellOrigin OriginOf(const Grid& g, size_t r, size_t c) const {
    CellOrigin o;
    o.col = static_cast<int>(c);
    if (!sections_) {
      o.table = static_cast<int>(grid_);
      o.row = static_cast<int>(r);
      return o;
    }
    o.section = grid_ < sections_->size() ? (*sections_)[grid_] : "";
    for (size_t k = 0; k < c && k < g.rows[r].size(); ++k) {
      if (!g.rows[r][k].empty() && !IsValueCell(g.rows[r][k])) o.row_label += (o.row_label.empty() ? "" : " ") + g.rows[r][k];
    }
    if (o.row_label.empty() && r < g.lead.size()) o.row_label = g.lead[r];
    return o;
  }

  // Sets `key` from cell (r, c) of g if the key exists and is not set yet.
  void Set(const std::string& key, const Grid& g, size_t r, size_t c) {
    Set(key, c < g.rows[r].size() ? g.rows[r][c] : std::string(), OriginOf(g, r, c));
  }
  void Set(const std::string& key, const std::string& cell, std::optional<CellOrigin> origin) {
    auto it = index_.find(key);
    if (it == index_.end()) return;
    FieldValue& f = fields_[it->second];
    if (f.raw) return;  // first occurrence wins
    f.origin = std::move(origin);
    if (!ParseCell(cell, f.type, &f)) {
      warnings_->push_back({"DOUBTFUL_CELL", key + ": cell \"" + cell + "\" is not a number; left null"});
    } else if (f.converted_unit) {
      warnings_->push_back({"UNIT", key + ": \"" + cell + "\" printed in 元, converted to 万元"});
    }
  }

  // Table 二: row labels name the rows, and the columns are taken in the
  // format's order — unless the header row above (信息内容 | 上一年项目数量 |
  // …) names a column the format does not have: a table printed in the other
  // format's shape fills only the columns the two share (处理决定数量), found
  // by name. Real headers are often cut ("本年新"), so names are used only
  // when they must be.
  void MapT2(const Grid& g) {
    std::map<size_t, std::string> header;   // grid column → column name (T2Column)
    std::vector<std::string> header_order;  // the same, left to right, spans once
    bool foreign = false;                   // the header names another format's column
    for (size_t r = 0; r < g.rows.size(); ++r) {
      std::vector<size_t> cols = UniqueColumns(g, r);
      std::map<size_t, std::string> names;
      std::vector<std::string> order;
      bool labels = false;
      for (size_t c : cols) {
        const std::string k = MatchKey(g.rows[r][c]);
        labels = labels || t2_rows_.count(k);
        if (IsValueCell(g.rows[r][c])) continue;
        if (std::string name = T2Column(k); !name.empty()) {
          order.push_back(name);
          for (size_t s = c; s < g.width() && g.origin[r][s] == g.origin[r][c]; ++s) names[s] = name;
        }
      }
      if (!labels && !names.empty()) {
        header = std::move(names);
        header_order = std::move(order);
        foreign = std::any_of(header_order.begin(), header_order.end(),
                              [this](const std::string& n) { return !T2Columns(format_).count(n); });
        continue;
      }
      for (size_t i = 0; i < cols.size(); ++i) {
        auto it = t2_rows_.find(MatchKey(g.rows[r][cols[i]]));
        if (it == t2_rows_.end()) continue;
        std::vector<size_t> values(cols.begin() + i + 1, cols.end());
        if (foreign) {
          MapT2RowByName(g, r, values, it->second, header, header_order);
        } else {
          for (size_t k = 0; k < it->second.size(); ++k) {
            if (k < values.size()) Set(it->second[k], g, r, values[k]);
            else Set(it->second[k], std::string(), std::nullopt);  // the row prints no such cell
          }
        }
        break;
      }
    }
  }

  // The column names (last key parts) of table 二 in `format`.
  static const std::set<std::string>& T2Columns(const std::string& format) {
    static const auto* columns = [] {
      auto* m = new std::map<std::string, std::set<std::string>>();
      for (const char* f : {"gov2021", "gov2019"}) {
        for (const auto& spec : FieldSpecs(f)) {
          if (spec.table == "二") (*m)[f].insert(T2Part(spec.key, 3));
        }
      }
      return m;
    }();
    static const std::set<std::string> kNone;
    auto it = columns->find(format);
    return it == columns->end() ? kNone : it->second;
  }

  // One row of table 二 under a header in the other format's shape: each
  // value goes to the key its column names; the row's other keys are null.
  void MapT2RowByName(const Grid& g, size_t r, const std::vector<size_t>& values, const std::vector<std::string>& keys,
                      const std::map<size_t, std::string>& header, const std::vector<std::string>& header_order) {
    std::set<std::string> set;
    auto set_column = [&](const std::string& column, size_t c) {
      for (const auto& key : keys) {
        if (T2Part(key, 3) == column && set.insert(key).second) Set(key, g, r, c);
      }
    };
    if (g.flat || g.right_aligned) {
      // Text tables: positions are not columns; the header's names in order.
      for (size_t k = 0; k < values.size() && k < header_order.size(); ++k) set_column(header_order[k], values[k]);
    } else {
      for (size_t c : values) {
        auto h = header.find(c);
        if (h != header.end()) set_column(h->second, c);
      }
    }
    for (const auto& key : keys) {
      if (!set.count(key)) Set(key, std::string(), std::nullopt);  // not a column this table prints
    }
  }

  // Column index → column key of table 三, from its header rows.
  std::map<size_t, std::string> T3Columns(const Grid& g, size_t* header_row) const {
    std::map<size_t, std::string> cols;
    *header_row = 0;
    for (size_t r = 0; r < g.rows.size() && r < 8; ++r) {
      bool found = false;
      for (size_t c = 0; c < g.width(); ++c) {
        std::string k = MatchKey(g.rows[r][c]);
        for (const auto& col : kT3Columns) {
          if (k == col[0]) {
            cols[c] = col[1];
            found = true;
          }
        }
      }
      if (found) *header_row = r;
      if (found && cols.size() >= 7) break;
    }
    std::set<std::string> distinct;
    for (const auto& [c, key] : cols) distinct.insert(key);
    if (distinct.size() == 7) return cols;
    // Headers not recognised: the standard order in the last seven columns.
    cols.clear();
    static const char* kOrder[] = {"natural_person", "legal.commercial", "legal.research", "legal.social_welfare",
                                   "legal.legal_service", "legal.other", "total"};
    if (g.width() >= 8) {
      for (size_t i = 0; i < 7; ++i) cols[g.width() - 7 + i] = kOrder[i];
    }
    warnings_->push_back({"FORMAT", "table 三: column headers not recognised; standard column order assumed"});
    return cols;
  }

  // The seven value columns at the right edge (flattened or continued tables).
  static std::map<size_t, std::string> FlatT3Columns(const Grid& g) {
    static const char* kOrder[] = {"natural_person", "legal.commercial", "legal.research", "legal.social_welfare",
                                   "legal.legal_service", "legal.other", "total"};
    std::map<size_t, std::string> cols;
    if (g.width() < 8) return cols;
    for (size_t i = 0; i < 7; ++i) cols[g.width() - 7 + i] = kOrder[i];
    return cols;
  }

  size_t CountT3Rows(const Grid& g) const {
    size_t n = 0;
    for (const auto& row : g.rows) {
      std::string label;
      for (size_t c = 0; c + 7 < row.size(); ++c) label += MatchKey(row[c]);
      n += !RowKey(label, "").empty();
    }
    return n;
  }

  // Maps the data rows of table 三 from row `first_row` on, with t3_cols_.
  void MapT3(const Grid& g, size_t first_row) {
    const std::map<size_t, std::string>& cols = t3_cols_;
    if (cols.empty()) return;
    const size_t first_value_col = cols.begin()->first;
    std::string previous;
    for (size_t r = first_row; r < g.rows.size(); ++r) {
      std::string label;
      std::set<int> label_cells;
      for (size_t c = 0; c < first_value_col; ++c) {
        if (label_cells.insert(g.origin[r][c]).second) label += MatchKey(g.rows[r][c]);
      }
      std::string row = RowKey(label, previous);
      if (row.empty() && r < g.lead.size() && !g.lead[r].empty()) row = RowKey(MatchKey(g.lead[r]) + label, previous);
      if (row.empty()) {
        if (format_ == "gov2021" && label.find("其他处理") != std::string::npos && ValuesOnly(g, r, cols)) {
          warnings_->push_back({"FORMAT", "table 三 has one (六)其他处理 row (the 2019 layout); its three gov2021 rows "
                                          "are left null"});
        }
        continue;
      }
      if (!ValuesOnly(g, r, cols)) continue;  // a header line, not a data row
      previous = row;
      int last_origin = -1;
      for (const auto& [c, col] : cols) {
        int origin = g.origin[r][c];
        std::string key = "t3." + row + "." + col;
        if (label_cells.count(origin) || origin == last_origin) {
          // A label or one value spread over several value columns: not readable.
          auto it = index_.find(key);
          if (it != index_.end() && !fields_[it->second].raw) {
            fields_[it->second].raw = g.rows[r][c];
            fields_[it->second].origin = OriginOf(g, r, c);
            warnings_->push_back({"DOUBTFUL_CELL", key + ": cell spans several columns; left null"});
          }
        } else {
          Set(key, g, r, c);
        }
        last_origin = origin;
      }
      if (g.flat && !ExactlyAligned(g, r, first_value_col, 7)) {
        ConfirmSum("t3." + row + ".", {"natural_person", "legal.commercial", "legal.research", "legal.social_welfare",
                                       "legal.legal_service", "legal.other"},
                   "total", "R2");
      }
    }
  }

  // A flattened row whose `n` value columns all hold a printed value and
  // whose cell just before them is a label: its alignment is certain.
  static bool ExactlyAligned(const Grid& g, size_t r, size_t first_value_col, size_t n) {
    if (first_value_col == 0 || g.width() < first_value_col + n) return false;
    const std::string& before = g.rows[r][first_value_col - 1];
    if (before.empty() || IsValueCell(before)) return false;
    for (size_t c = first_value_col; c < first_value_col + n; ++c) {
      if (g.rows[r][c].empty()) return false;
    }
    return true;
  }

  // For values placed by position in flattened text: when every operand is
  // present and `parts` do not add up to `total`, the alignment is in doubt
  // and the values are withdrawn (raw kept) rather than stored wrong.
  void ConfirmSum(const std::string& prefix, std::initializer_list<const char*> parts, const char* total,
                  const char* rule) {
    std::vector<FieldValue*> cells;
    for (const char* p : parts) cells.push_back(Find(prefix + p));
    cells.push_back(Find(prefix + total));
    double sum = 0;
    for (size_t i = 0; i < cells.size(); ++i) {
      if (!cells[i] || !cells[i]->has_value) return;
      if (i + 1 < cells.size()) sum += cells[i]->AsDouble();
    }
    if (sum == cells.back()->AsDouble()) return;
    for (FieldValue* f : cells) f->has_value = false;
    warnings_->push_back({"DOUBTFUL_CELL", prefix + "*: flattened row does not satisfy " + std::string(rule) +
                                               "; its alignment is doubtful, values left null"});
  }

  FieldValue* Find(const std::string& key) {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &fields_[it->second];
  }

  // The row's value columns hold numbers, placeholders or blanks only (and,
  // in flattened text, at least one number).
  static bool ValuesOnly(const Grid& g, size_t r, const std::map<size_t, std::string>& cols) {
    bool number = false;
    for (const auto& [c, key] : cols) {
      const std::string& cell = g.rows[r][c];
      if (cell.empty()) continue;
      if (!IsValueCell(cell)) return false;
      number = number || !IsPlaceholder(AsciiDigits(MatchKey(cell)));
    }
    return number || !g.flat;  // an all-blank row of a real table is still read (as blanks)
  }

  std::string RowKey(const std::string& label, const std::string& previous) const {
    if (label.empty()) return "";
    for (const auto& rule : kT3Rows) {
      if (!Contains(label, rule.word)) continue;
      std::string key = rule.key;
      if (key.empty()) break;  // the group's own words: its numbered sub-row, if any, is read below
      if (key == "other.*") {
        if (format_ == "gov2019") return "other.total";
        // gov2021 has three (六) rows; a lone "(六)其他处理" row (the 2019 form's
        // layout) is their sum and belongs to none of them.
        bool third = label.find("3.") != std::string::npos ||
                     (label.size() >= 6 && label.compare(label.size() - 6, 6, "其他") == 0);
        return third ? "other.other" : "";
      }
      return key;
    }
    // A numbered sub-row whose words are damaged ("2.其他法律行政止公开") or
    // absent ("3.其他" without its group label): the next number of the
    // previous row's group.
    static const std::vector<std::vector<const char*>> kGroups = {
        {"denied.state_secret", "denied.law_prohibited", "denied.security_stability", "denied.third_party_rights",
         "denied.internal_affairs", "denied.process_info", "denied.enforcement_file", "denied.admin_query"},
        {"unable.not_held", "unable.needs_creation", "unable.unclear_after_correction"},
        {"not_processed.petition_complaint", "not_processed.duplicate", "not_processed.publication",
         "not_processed.massive_repeated", "not_processed.confirm_or_reissue"},
        {"other.no_correction", "other.fee_unpaid", "other.other"}};
    for (const auto& group : kGroups) {
      for (size_t i = 0; i + 1 < group.size(); ++i) {
        if (previous != group[i]) continue;
        if (format_ == "gov2019" && std::string(group[i]).rfind("other.", 0) == 0) return "";
        std::string n = std::to_string(i + 2);
        if (label.find(n + ".") != std::string::npos || label.find(n + "、") != std::string::npos) return group[i + 1];
      }
    }
    return "";
  }

  void MapT4(const Grid& g) {
    static const char* kGroups[] = {"review", "suit_direct", "suit_after_review"};
    static const char* kCols[] = {"upheld", "corrected", "other", "pending", "total"};
    // The data row: the last row whose unique cells are mostly numbers; in a
    // real table whose data row prints nothing (a blank form), the last row
    // of blanks.
    std::optional<size_t> data_row, blank_row;
    for (size_t r = g.rows.size(); r-- > 0 && !data_row;) {
      size_t numeric = 0, values = 0;
      for (size_t c : UniqueColumns(g, r)) {
        FieldValue probe;
        if (ParseCell(g.rows[r][c], FieldType::kCount, &probe)) {
          ++numeric;
          values += probe.has_value;
        }
      }
      if (numeric < 10) continue;
      if (values > 0) data_row = r;
      else if (!blank_row && !g.flat) blank_row = r;
    }
    if (!data_row) data_row = blank_row;
    if (!data_row) return;
    const size_t r = *data_row;
    std::vector<size_t> cols = UniqueColumns(g, r);
    if (cols.size() < 15) {
      warnings_->push_back({"DOUBTFUL_CELL", "table 四: data row has " + std::to_string(cols.size()) +
                                                 " cells, expected 15; left null"});
      return;
    }
    // The last 15 cells, in the fixed order of the form.
    size_t first = cols.size() - 15;
    for (size_t i = 0; i < 15; ++i) {
      Set(std::string("t4.") + kGroups[i / 5] + "." + kCols[i % 5], g, r, cols[first + i]);
    }
    size_t printed = std::count_if(g.rows[r].begin(), g.rows[r].end(), [](const std::string& c) { return IsValueCell(c); });
    if (g.flat && printed != 15) {  // exactly fifteen printed values: the form's fixed order, certain
      for (const char* group : kGroups) {
        ConfirmSum(std::string("t4.") + group + ".", {"upheld", "corrected", "other", "pending"}, "total", "R4");
      }
    }
  }


  std::string format_;
  std::vector<Warning>* warnings_;
  std::vector<FieldValue>& fields_;
  const std::unordered_map<std::string, size_t>& index_;
  const std::map<std::string, std::vector<std::string>>& t2_rows_;
  const std::vector<std::string>* sections_;  // tables recovered from text: each one's section key
  size_t grid_ = 0;                           // the grid being mapped (its index)
  std::map<size_t, std::string> t3_cols_;  // of the last table 三 part seen
  size_t t3_width_ = 0;
};

}  // namespace

bool IsPlaceholder(const std::string& k) {
  static constexpr std::string_view kPlaceholders[] = {"/", "-", "—", "——", "无", "N/A", "n/a", "－", "--", "\\", "―", "――", "─"};
  if (k.empty()) return true;
  if (k.size() > 6) return false;
  return std::find(std::begin(kPlaceholders), std::end(kPlaceholders), std::string_view(k)) != std::end(kPlaceholders);
}

bool ParseCell(const std::string& raw_text, FieldType type, FieldValue* f) {
  // Most cells are a plain count ("0", "17"): read at once, as below would.
  if (!raw_text.empty() && raw_text.size() <= 15 &&
      std::all_of(raw_text.begin(), raw_text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    f->raw = raw_text;
    f->has_value = true;
    if (type == FieldType::kDecimal) f->decimal = static_cast<double>(std::stoll(raw_text));
    else f->integer = std::stoll(raw_text);
    return true;
  }
  f->raw = NormalizeWhitespace(raw_text);
  f->has_value = false;
  std::string k = AsciiDigits(MatchKey(raw_text));
  if (IsPlaceholder(k)) return true;
  k.erase(std::remove(k.begin(), k.end(), ','), k.end());
  size_t i = 0;
  bool negative = false;
  if (i < k.size() && (k[i] == '-' || (k[i] == '+' && type == FieldType::kSigned))) negative = k[i++] == '-';
  size_t digits_start = i;
  while (i < k.size() && k[i] >= '0' && k[i] <= '9') ++i;
  if (i == digits_start || i - digits_start > 15) return false;
  if (type == FieldType::kDecimal) {
    // Amounts are 万元 (fields.tsv); an amount printed in 元 is converted.
    double scale = 1;
    if (k.size() > 6 && k.compare(k.size() - 6, 6, "万元") == 0) {
      k.resize(k.size() - 6);
    } else if (k.size() > 3 && k.compare(k.size() - 3, 3, "元") == 0) {
      k.resize(k.size() - 3);
      scale = 1e-4;
      f->converted_unit = true;
    }
    if (i < k.size() && k[i] == '.') {
      size_t frac = ++i;
      while (i < k.size() && k[i] >= '0' && k[i] <= '9') ++i;
      if (i == frac) return false;
    }
    if (i != k.size()) return false;
    f->decimal = std::stod(k) * scale;
    f->has_value = true;
    return true;
  }
  if (i != k.size()) return false;
  f->integer = std::stoll(k.substr(digits_start)) * (negative ? -1 : 1);
  f->has_value = true;
  return true;
}

std::vector<FieldValue> EmptyFields(const std::string& format) {
  std::vector<FieldValue> fields;
  for (const auto& spec : FieldSpecs(format)) {
    FieldValue f;
    f.key = spec.key;
    f.type = spec.type;
    fields.push_back(std::move(f));
  }
  return fields;
}

void MapTables(const std::string& format, const std::vector<Grid>& tables, std::vector<FieldValue>* fields,
               std::vector<Warning>* warnings, const std::vector<std::string>* sections) {
  Mapper(format, fields, warnings, sections).Map(tables);
}

std::vector<FieldValue> MapTableFields(const std::string& format, const std::vector<Grid>& tables,
                                       std::vector<Warning>* warnings) {
  std::vector<FieldValue> fields = EmptyFields(format);
  MapTables(format, tables, &fields, warnings);
  return fields;
}

}  // namespace nianbao::extract
