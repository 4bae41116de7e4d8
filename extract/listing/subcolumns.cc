// Column trees: a 年报 column that lists only its newest entries and links
// sub-columns by level (区政府 / 部门 / 乡镇街道), by unit or by year. A
// sub-column is a link that is neither an item nor a page of this listing,
// whose URL looks like a listing and either
// - lies under this column's own path (…/zfxxgknb/qzf/, …/nb/bm.htm,
//   …/gknb2023/), or
// - is a sibling column of the same shape (Hanweb /col/col<ID>/index.html)
//   labelled as a level or a unit, among at least two such links.
#include <set>
#include <string>

#include "extract/listing/readers.h"
#include "extract/text.h"

namespace nianbao::extract::listing {

bool IsPagerLink(const PageLink& l);  // entries.cc

namespace {

// A detail page or a file, not a listing.
bool LooksLikeDetail(const std::string& path) {
  std::string lower = path;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* ext : {".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".zip", ".rar", ".jpg", ".png", ".ofd"}) {
    if (lower.ends_with(ext)) return true;
  }
  const std::string file = lower.substr(lower.rfind('/') + 1);
  // TRS t20250126_14216032.shtml, Hanweb art_1234_5678.html, gkmlpt post_123.html, content_1.html.
  auto digits_after = [&](const char* mark) {
    size_t at = file.find(mark);
    return at != std::string::npos && at + std::string_view(mark).size() < file.size() &&
           std::isdigit(static_cast<unsigned char>(file[at + std::string_view(mark).size()]));
  };
  if ((file.size() > 10 && file[0] == 't' && std::isdigit(static_cast<unsigned char>(file[1]))) || digits_after("art_") ||
      digits_after("post_") || digits_after("content_")) {
    return true;
  }
  // VSB /info/1307/23833.htm, /doc/2025/01/20/4744862.shtml: a long number as the file name.
  const std::string stem = file.substr(0, file.find('.'));
  return stem.size() >= 5 && stem.find_first_not_of("0123456789") == std::string::npos;
}

// A page of a numbered pager (2.htm, index_3.shtml, list_2.html): not a column.
bool LooksLikePage(const std::string& path) {
  const std::string file = path.substr(path.rfind('/') + 1);
  std::string stem = file.substr(0, file.find('.'));
  size_t us = stem.rfind('_');
  if (us != std::string::npos) stem = stem.substr(us + 1);
  return !stem.empty() && stem.find_first_not_of("0123456789") == std::string::npos;
}

// Labels of levels and units a column tree is divided by.
bool LevelLabel(std::string_view text) {
  const std::string k = AsciiDigits(MatchKey(text));
  if (k.empty() || k.size() > 60) return false;
  if (ContainsAny(k, {"区政府", "县政府", "市政府", "镇政府", "乡政府", "部门", "区直", "县直", "市直", "乡镇", "街道", "镇街", "街镇",
                      "单位", "委办局", "年报", "年度报告"})) {
    return true;
  }
  for (const char* tail : {"局", "委", "办", "院", "中心", "政府", "镇", "乡", "所", "站", "馆", "队", "会"}) {
    if (k.ends_with(tail)) return true;
  }
  // A year column: "2023", "2023年", "2023年度".
  return k.size() >= 4 && k.substr(0, 2) == "20" && k.find_first_not_of("0123456789") >= 4 &&
         (k.size() == 4 || k.substr(4) == "年" || k.substr(4) == "年度");
}

// "/col/col1234/index.html" → "/col/col#/index.html": the shape of a Hanweb column URL.
std::string Shape(const std::string& path) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(path[i]))) {
      out.push_back('#');
      while (i + 1 < path.size() && std::isdigit(static_cast<unsigned char>(path[i + 1]))) ++i;
    } else {
      out.push_back(path[i]);
    }
  }
  return out;
}

}  // namespace

void ReadSubColumns(ListingBuilder* b) {
  const ListingPage& p = b->page();
  if (p.kind != ListingPage::Kind::kHtml) return;
  const std::string& path = p.url.path;
  const std::string dir = path.substr(0, path.rfind('/') + 1);
  std::string file = path.substr(dir.size());
  std::string stem = file.substr(0, file.find('.'));
  // The column's own path: its directory for an index page, else dir + stem ("/xxgk/nb" for /xxgk/nb.htm).
  const bool index_page = stem.empty() || stem == "index" || stem == "default" || stem.rfind("index_", 0) == 0;
  const std::string scope = index_page ? dir : dir + stem + "/";
  std::set<std::string> entries, more;
  for (const auto& e : b->listing().entries) entries.insert(e.url);
  for (const auto& m : b->listing().more) more.insert(m.url);
  std::map<int, int> sibling_groups;  // group → sibling-shaped, level-labelled links
  std::set<int> own_nav;              // groups holding a link to this very column, or one under its path
  const std::string shape = Shape(path);
  for (const auto& l : p.links) {
    auto u = ParseUrl(l.url);
    if (!u || u->host != p.url.host) continue;
    const bool self = u->path == path && u->query == p.url.query;
    const bool under = u->path.size() > scope.size() && u->path.rfind(scope, 0) == 0 && !LooksLikePage(u->path) &&
                       !LooksLikeDetail(u->path) && !entries.count(l.url);
    if ((self || under) && LevelLabel(l.text)) own_nav.insert(l.group);
  }
  for (const auto& l : p.links) {
    auto u = ParseUrl(l.url);
    if (!u || u->host != p.url.host || entries.count(l.url) || more.count(l.url) || IsPagerLink(l)) continue;
    if (LooksLikeDetail(u->path)) continue;
    if (u->path != path && Shape(u->path) == shape && shape.find('#') != std::string::npos && LevelLabel(l.text)) {
      ++sibling_groups[l.group];
    }
  }
  for (const auto& l : p.links) {
    auto u = ParseUrl(l.url);
    if (!u || u->host != p.url.host || entries.count(l.url) || more.count(l.url) || IsPagerLink(l)) continue;
    if ((u->path == path && u->query == p.url.query) || LooksLikeDetail(u->path) ||
        JudgeTitle(l.title.size() > l.text.size() ? l.title : l.text) == EntryVerdict::kReport) {
      continue;
    }
    const bool under = u->path != path && u->path.size() > scope.size() && u->path.rfind(scope, 0) == 0 && !LooksLikePage(u->path);
    const bool sibling = sibling_groups[l.group] >= 2 && Shape(u->path) == shape && LevelLabel(l.text);
    // The column's own navigation (it links the column itself or its
    // sub-columns): its other level-labelled links are columns of the tree too.
    const bool nav = own_nav.count(l.group) && LevelLabel(l.text);
    if (!under && !sibling && !nav) continue;
    b->Evidence("sub-column \"" + l.text + "\" " + l.url +
                (under ? " (under the column's path)" : sibling ? " (a sibling column by level)" : " (in the column's navigation)"));
    b->AddSubColumn(l.url, l.text);
  }
}

}  // namespace nianbao::extract::listing
