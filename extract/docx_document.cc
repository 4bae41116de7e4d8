#include "extract/docx_document.h"

#include <zip.h>

#include <algorithm>
#include <memory>
#include <pugixml.hpp>

#include "extract/text.h"

namespace nianbao::extract {
namespace {

constexpr zip_uint64_t kMaxPartBytes = 64 << 20;  // uncompressed document.xml
constexpr zip_uint64_t kMaxRatio = 200;           // uncompressed / compressed, beyond a few MB

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct FileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

// Reads one member, refusing what is larger than the caps whatever its
// header claims (bytes are counted while reading).
Result<std::string> ReadMember(zip_t* zip, const char* name, bool required) {
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat(zip, name, 0, &st) != 0) {
    if (required) return Status::Unsupported(std::string("zip archive without ") + name + ": not a DOCX");
    return std::string();
  }
  if ((st.valid & ZIP_STAT_SIZE) && st.size > kMaxPartBytes) {
    return Status::Unsupported(std::string(name) + " is larger than 64 MiB uncompressed");
  }
  if ((st.valid & ZIP_STAT_SIZE) && (st.valid & ZIP_STAT_COMP_SIZE) && st.size > (8u << 20) &&
      st.size > kMaxRatio * std::max<zip_uint64_t>(st.comp_size, 1)) {
    return Status::Unsupported(std::string(name) + ": compression ratio of a zip bomb");
  }
  std::unique_ptr<zip_file_t, FileCloser> f(zip_fopen(zip, name, 0));
  if (!f) return Status::Corruption(std::string("cannot read ") + name + " from the DOCX archive");
  std::string out;
  char buf[65536];
  for (;;) {
    zip_int64_t n = zip_fread(f.get(), buf, sizeof buf);
    if (n < 0) return Status::Corruption(std::string("damaged ") + name + " in the DOCX archive");
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > kMaxPartBytes) return Status::Unsupported(std::string(name) + " is larger than 64 MiB uncompressed");
  }
  return out;
}

// Text of a paragraph-like node: runs' w:t, w:tab → '\t', w:br/w:cr → '\n'.
void NodeText(const pugi::xml_node& n, std::string* out, int depth = 0) {
  if (depth > 200) return;
  for (const pugi::xml_node& c : n.children()) {
    std::string_view name = c.name();
    if (name == "w:t") out->append(c.text().get());
    else if (name == "w:tab") out->push_back('\t');
    else if (name == "w:br" || name == "w:cr") out->push_back('\n');
    else if (name == "w:p") {  // a paragraph inside a cell or text box: its own line
      if (!out->empty() && out->back() != '\n') out->push_back('\n');
      NodeText(c, out, depth + 1);
    } else if (name != "w:instrText" && name != "w:delText") {
      NodeText(c, out, depth + 1);
    }
  }
}

Grid ReadTable(const pugi::xml_node& tbl) {
  Grid g;
  std::vector<std::vector<int>> origin;
  std::vector<std::string> texts;
  size_t width = 0;
  for (const pugi::xml_node& tr : tbl.children("w:tr")) {
    std::vector<int> row;
    for (const pugi::xml_node& tc : tr.children("w:tc")) {
      pugi::xml_node pr = tc.child("w:tcPr");
      int span = std::clamp(pr.child("w:gridSpan").attribute("w:val").as_int(1), 1, 64);
      pugi::xml_node vmerge = pr.child("w:vMerge");
      bool continues = vmerge && std::string_view(vmerge.attribute("w:val").as_string("continue")) != "restart";
      std::string text;
      NodeText(tc, &text);
      int id = static_cast<int>(texts.size());
      if (continues && !origin.empty() && origin.back().size() > row.size()) {
        id = origin.back()[row.size()];  // the cell above, merged down
      } else {
        texts.push_back(NormalizeWhitespace(text));
      }
      for (int s = 0; s < span; ++s) row.push_back(id);
    }
    width = std::max(width, row.size());
    origin.push_back(std::move(row));
    if (origin.size() > 5000) break;
  }
  int next = static_cast<int>(texts.size());
  for (auto& row : origin) {
    std::vector<std::string> cells;
    row.resize(width, -1);
    for (int& id : row) {
      if (id < 0) id = next++;
      cells.push_back(id < static_cast<int>(texts.size()) ? texts[id] : std::string());
    }
    g.rows.push_back(std::move(cells));
  }
  g.origin = std::move(origin);
  return g;
}

void AddLines(const std::string& text, HtmlPage* page) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    std::string raw = text.substr(start, nl - start);
    std::string line = NormalizeWhitespace(raw);
    if (!line.empty()) {
      page->page_lines.push_back(line);
      if (page->headings.size() < 5 && (line.find("报告") != std::string::npos || line.find("年报") != std::string::npos)) {
        page->headings.push_back(line);
      }
      page->body.push_back({line, -1, raw.find('\t') != std::string::npos ? raw : std::string()});
    } else if (raw.find('\t') != std::string::npos) {
      page->body.push_back({"", -1, "\t"});
    }
    start = nl + 1;
  }
}

void ReadBody(const pugi::xml_node& parent, HtmlPage* page, int depth) {
  if (depth > 50) return;
  for (const pugi::xml_node& c : parent.children()) {
    std::string_view name = c.name();
    if (name == "w:p") {
      std::string text;
      NodeText(c, &text);
      AddLines(text, page);
    } else if (name == "w:tbl") {
      page->tables.push_back(ReadTable(c));
      page->body.push_back({"", static_cast<int>(page->tables.size()) - 1, ""});
    } else if (name == "w:sdt" || name == "w:sdtContent" || name == "w:customXml") {
      ReadBody(c, page, depth + 1);
    }
  }
}

}  // namespace

Result<HtmlPage> ReadDocx(std::string_view bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (!src) return Status::Corruption("cannot read the zip archive");
  std::unique_ptr<zip_t, ZipCloser> zip(zip_open_from_source(src, ZIP_RDONLY, &error));
  if (!zip) {
    zip_source_free(src);
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    return Status::Corruption("damaged zip archive: " + why);
  }
  auto document = ReadMember(zip.get(), "word/document.xml", true);
  if (!document.ok()) return document.status();
  pugi::xml_document xml;
  // In place: the DOM points into the buffer instead of copying it.
  pugi::xml_parse_result parsed = xml.load_buffer_inplace(document.value().data(), document.value().size());
  if (!parsed) return Status::Corruption(std::string("word/document.xml: ") + parsed.description());
  HtmlPage page;
  auto core = ReadMember(zip.get(), "docProps/core.xml", false);
  if (core.ok() && !core.value().empty()) {
    pugi::xml_document props;
    if (props.load_buffer(core.value().data(), core.value().size())) {
      std::string title = NormalizeWhitespace(props.child("cp:coreProperties").child("dc:title").text().get());
      if (!title.empty()) page.meta["title"] = title;
    }
  }
  ReadBody(xml.child("w:document").child("w:body"), &page, 0);
  return page;
}

}  // namespace nianbao::extract
