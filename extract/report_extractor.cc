#include "extract/report_extractor.h"

#include <algorithm>
#include <cstring>

#include "extract/charset.h"
#include "extract/checks.h"
#include "extract/docx_document.h"
#include "extract/pdf_document.h"
#include "extract/flat_tables.h"
#include "extract/html_page.h"
#include "extract/narrative_checks.h"
#include "extract/page_kind.h"
#include "extract/report_json.h"
#include "extract/report_metadata.h"
#include "extract/report_tables.h"
#include "extract/text.h"

namespace nianbao::extract {
namespace {

constexpr size_t kMaxHtmlBytes = 8 << 20;

struct SectionRule {
  const char* ordinal;
  const char* key;
  std::vector<const char*> anchors;
};
const SectionRule kSections[] = {
    {"一", "s1_overview", {"总体情况", "概述", "基本情况"}},
    {"二", "s2_proactive", {"主动公开"}},
    {"三", "s3_requests", {"收到和处理", "依申请", "申请情况"}},
    {"四", "s4_review_litigation", {"行政复议", "行政诉讼"}},
    {"五", "s5_problems", {"问题", "改进"}},
    {"六", "s6_other", {"其他需要报告", "其他事项", "其他需要"}},
};

// Index into kSections if `line` is a section heading, else -1.
int SectionHeading(const std::string& line) {
  if (line.size() > 150) return -1;
  std::string k = MatchKey(line);
  for (int i = 0; i < 6; ++i) {
    std::string_view ord = kSections[i].ordinal;
    if (k.compare(0, ord.size(), ord) != 0) continue;
    std::string_view rest = std::string_view(k).substr(ord.size());
    if (!(rest.rfind("、", 0) == 0 || rest.rfind(".", 0) == 0 || rest.rfind(",", 0) == 0 || rest.rfind("，", 0) == 0)) {
      return -1;
    }
    for (const char* a : kSections[i].anchors) {
      if (rest.find(a) != std::string_view::npos) return i;
    }
    return -1;
  }
  return -1;
}

std::string RenderTable(const Grid& g) {
  std::string out;
  for (const auto& row : g.rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) line += (c ? "\t" : "") + row[c];
    out += line + "\n";
  }
  if (!out.empty()) out.pop_back();
  return out;
}

// Builds body_text and sections; *section_lines gets the raw text lines of
// each of the six sections (for tables flattened into text).
void BuildBodyAndSections(const HtmlPage& page, Report* r, std::vector<std::vector<std::string>>* section_lines) {
  section_lines->assign(6, {});
  int current = -1;
  int last_index = -1;
  for (const BodyBlock& b : page.body) {
    std::string text = b.table >= 0 ? RenderTable(page.tables[b.table]) : b.text;
    if (text.empty()) {
      if (!b.raw.empty() && last_index >= 0) (*section_lines)[last_index].push_back(b.raw);  // a blank cell
      continue;
    }
    r->body_text += text + "\n";
    if (b.table < 0) {
      int s = SectionHeading(text);
      if (s > last_index) {
        last_index = s;
        std::string k = NormalizeWhitespace(text);
        size_t sep = k.find("、");
        std::string title = sep != std::string::npos ? k.substr(sep + 3) : k.substr(std::string(kSections[s].ordinal).size() + 1);
        r->sections.push_back({kSections[s].ordinal, kSections[s].key, NormalizeWhitespace(title), ""});
        current = static_cast<int>(r->sections.size()) - 1;
        continue;
      }
    }
    if (current >= 0) r->sections[current].text += text + "\n";
    if (b.table < 0 && last_index >= 0) (*section_lines)[last_index].push_back(b.raw.empty() ? b.text : b.raw);
  }
  if (!r->body_text.empty()) r->body_text.pop_back();
  for (auto& s : r->sections) {
    if (!s.text.empty()) s.text.pop_back();
  }
  for (const auto& g : page.tables) r->tables.push_back({g.caption, g.rows});
}

// formats.md: decide by content, then cross-check with the year.
std::string DetectFormat(const Report& r, const HtmlPage& page) {
  std::string all = MatchKey(r.body_text);
  if (ContainsAny(all, {"本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "申请人无正当理由逾期不补正",
                   "逾期未按收费通知要求缴纳费用"})) {
    return "gov2021";
  }
  if (ContainsAny(all, {"本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减",
                   "第二十条第(九)项", "政府集中采购", "其他对外管理服务事项"})) {
    return "gov2019";
  }
  if (ContainsAny(all, {"第二十条第", "本列数据的勾稽关系", "申请人情况"})) {
    int other_rows = 0;
    for (const auto& g : page.tables) {
      for (const auto& row : g.rows) {
        std::string label;
        for (const auto& cell : row) label += MatchKey(cell);
        if (label.find("其他处理") != std::string::npos || label.find("逾期") != std::string::npos) ++other_rows;
      }
    }
    if (other_rows >= 3) return "gov2021";
    if (other_rows == 1) return "gov2019";
    if (r.year) return *r.year >= 2021 ? "gov2021" : "gov2019";
  }
  std::string title = MatchKey(r.title);
  bool report_title = YearInTitle(AsciiDigits(title)) && ContainsAny(title, {"报告", "年报"}) &&
                      ContainsAny(title, {"信息公开", "政务公开"}) && !IsLookAlikeTitle(title);
  if (report_title || r.sections.size() >= 3) return "legacy";
  return "unknown";
}

// Links to PDF/DOCX/DOC/WPS files (all ParseHtmlPage kept); those whose
// text names a report first.
std::vector<Attachment> AttachmentLinks(const HtmlPage& page) {
  std::vector<Attachment> named, others;
  for (const auto& link : page.links) {
    if (!IsAttachmentHref(link.href)) continue;
    std::string name = link.text.empty() ? link.title : link.text;
    std::string k = MatchKey(name);
    bool report = k.find("报告") != std::string::npos || k.find("年报") != std::string::npos;
    (report ? named : others).push_back({link.href, name, "", 0});
  }
  for (auto& o : others) named.push_back(std::move(o));
  return named;
}

// OverBudget naming `step` when the caller's budget says stop.
Status Checkpoint(const ExtractInput& in, const char* step) {
  if (!in.keep_going || in.keep_going()) return Status::OK();
  return Status::OverBudget(std::string("stopped after ") + step, in.url);
}

// The shared back end of every carrier: body, sections, metadata, format,
// fields (tables, then tables flattened into text), checks, content hash.
Status AnalyzePage(const HtmlPage& page, const ExtractInput& in, Report* out) {
  Report& r = *out;
  if (page.depth_limited) r.warnings.push_back({"FORMAT", "markup nested too deeply; the deepest part was skipped"});
  std::vector<std::vector<std::string>> section_lines;
  BuildBodyAndSections(page, &r, &section_lines);
  FillMetadata(page, &r);
  r.format = DetectFormat(r, page);
  if (Status s = Checkpoint(in, "the body and sections"); !s.ok()) return s;
  if (r.format == "gov2021" || r.format == "gov2019") {
    r.fields = MapTableFields(r.format, page.tables, &r.warnings);
    if (Status s = Checkpoint(in, "the tables"); !s.ok()) return s;
    // Tables printed as text: recovered from their section where no <table> gave them.
    std::vector<Grid> flat;
    std::vector<std::string> flat_sections;  // each recovered table's section key
    for (const auto& table : {std::pair{"t2", 1}, {"t3.", 2}, {"t4.", 3}}) {
      const char* prefix = table.first;
      bool missing = std::none_of(r.fields.begin(), r.fields.end(), [prefix](const FieldValue& f) {
        return f.key.rfind(prefix, 0) == 0 && f.raw.has_value();
      });
      if (!missing) continue;
      flat.push_back(RecoverFlatTable(section_lines[table.second]));
      std::string key;
      for (const auto& s : r.sections) {
        if (s.ordinal == (table.second == 1 ? "二" : table.second == 2 ? "三" : "四")) key = s.key;
      }
      flat_sections.push_back(key);
    }
    MapTables(r.format, flat, &r.fields, &r.warnings, &flat_sections);
    if (r.year && r.format == "gov2019" && *r.year >= 2021) {
      r.warnings.push_back({"FORMAT", "gov2019 layout in report year " + std::to_string(*r.year)});
    }
    if (r.year && *r.year < 2019) {
      r.warnings.push_back({"FORMAT", "structured format in report year " + std::to_string(*r.year)});
    }
  }
  if (r.format == "legacy") r.fields = LegacyFields(r.body_text);
  if (Status s = Checkpoint(in, "the fields"); !s.ok()) return s;
  r.checks = RunChecks(r);
  for (auto& w : NarrativeVsTable(r)) r.warnings.push_back(std::move(w));
  r.content_sha256 = ContentSha256(r);
  return Status::OK();
}

bool LooksBinary(std::string_view bytes) {
  std::string_view head = bytes.substr(0, 65536);
  size_t control = 0;
  for (unsigned char c : head) control += (c < 0x09) || (c > 0x0D && c < 0x20 && c != 0x1B);
  return control * 100 > head.size();  // > 1% control bytes: not a text page
}

}  // namespace

const FieldValue* Report::Field(const std::string& key) const {
  for (const auto& f : fields) {
    if (f.key == key) return &f;
  }
  return nullptr;
}

Carrier DetectCarrier(std::string_view bytes, std::string_view content_type, std::string_view url) {
  auto ends_with = [&](std::string_view ext) {
    std::string_view path = url.substr(0, url.find_first_of("?#"));
    return path.size() >= ext.size() && path.substr(path.size() - ext.size()) == ext;
  };
  if (bytes.substr(0, 5) == "%PDF-") return Carrier::kPdf;
  if (bytes.substr(0, 4) == "PK\x03\x04") return Carrier::kDocx;
  if (bytes.substr(0, 8) == "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
    return ends_with(".wps") || content_type.find("wps") != std::string_view::npos ? Carrier::kWps : Carrier::kDoc;
  }
  if (bytes.substr(0, 8) == "\x89PNG\r\n\x1a\n" || bytes.substr(0, 3) == "\xFF\xD8\xFF" || bytes.substr(0, 4) == "GIF8") {
    return Carrier::kImage;
  }
  return Carrier::kHtml;
}

const char* CarrierName(Carrier c) {
  switch (c) {
    case Carrier::kHtml: return "html";
    case Carrier::kPdf: return "pdf";
    case Carrier::kDocx: return "docx";
    case Carrier::kDoc: return "doc";
    case Carrier::kWps: return "wps";
    case Carrier::kImage: return "image";
  }
  return "html";
}

Result<Report> ExtractReport(const ExtractInput& in) {
  if (in.bytes.empty()) return Status::Corruption("empty body", in.url);
  Report r;
  const Carrier carrier = DetectCarrier(in.bytes, in.content_type, in.url);
  r.source = CarrierName(carrier);
  if (in.truncated) r.warnings.push_back({"TRUNCATED", "body cut at the size cap"});
  HtmlPage page;
  switch (carrier) {
    case Carrier::kPdf:
    case Carrier::kDocx: {
      auto read = carrier == Carrier::kPdf ? ReadPdf(in.bytes, in.keep_going) : ReadDocx(in.bytes);
      if (!read.ok()) {
        const Status& s = read.status();
        if (s.IsOverBudget()) return Status::OverBudget(s.message(), in.url);
        if (s.code() == Status::Code::kUnsupported) return Status::Unsupported(s.message(), in.url);
        return Status::Corruption(s.message(), in.url);
      }
      page = std::move(read.value());
      r.charset = "utf-8";
      break;
    }
    case Carrier::kDoc:
    case Carrier::kWps:
    case Carrier::kImage:
      // Recognized, kept raw by the caller, not read: a record that says so.
      r.warnings.push_back({"CARRIER", std::string(r.source) + " attachments are not supported; stored raw"});
      r.checks = RunChecks(r);
      r.content_sha256 = ContentSha256(r);
      return r;
    case Carrier::kHtml: {
      if (LooksBinary(in.bytes)) return Status::Corruption("binary data, not an HTML page", in.url);
      // Gumbo's tree is ~10x the page: read at most kMaxHtmlBytes of it.
      std::string_view bytes = in.bytes;
      if (bytes.size() > kMaxHtmlBytes) {
        bytes = bytes.substr(0, kMaxHtmlBytes);
        r.warnings.push_back({"TRUNCATED", "page over 8 MiB: only its first 8 MiB were read"});
      }
      DecodedText text = DecodeToUtf8(bytes, CharsetOfContentType(in.content_type));
      r.charset = text.charset;
      if (text.disagreement) {
        r.warnings.push_back({"CHARSET", "declared " + text.declared + " but decoded as " + text.charset});
      }
      if (text.replaced > 0) {
        r.warnings.push_back({"CHARSET", std::to_string(text.replaced) + " bytes could not be decoded as " + text.charset});
      }
      CompactMarkup(&text.utf8);  // a smaller tree, the same page
      if (Status s = Checkpoint(in, "decoding"); !s.ok()) return s;
      page = ParseHtmlPage(text.utf8, LinkScope::kAttachments);
      if (Status s = Checkpoint(in, "parsing"); !s.ok()) return s;
      break;
    }
  }
  if (Status s = AnalyzePage(page, in, &r); !s.ok()) return s;
  if (carrier == Carrier::kHtml) {
    r.page_kind = PageKindName(ClassifyPage(page));
    if (r.page_kind == "normal") r.linked_attachments = AttachmentLinks(page);
  }
  return r;
}

Report WithAttachment(const Report& page, Report a, Attachment attachment) {
  std::string page_title = MatchKey(page.title);
  if (YearInTitle(AsciiDigits(page_title)) && page.title.find("报告") != std::string::npos) {
    a.title = page.title;
    if (page.agency) a.agency = page.agency;
  } else if (!a.agency) {
    a.agency = page.agency;
  }
  if (!a.year) a.year = page.year;
  if (page.published) a.published = page.published;
  a.charset = page.charset;
  for (const auto& w : page.warnings) a.warnings.push_back(w);
  a.attachments = {std::move(attachment)};
  a.linked_attachments.clear();
  a.content_sha256 = ContentSha256(a);
  return a;
}

}  // namespace nianbao::extract
