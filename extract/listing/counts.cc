// The counts a listing prints about itself, in every form seen on real
// portals (listing-real.md): 共N条 / 共N页 / 1/M in its text, script
// variables (totalRecord, recordCount, pageCount, totalPage, …),
// pagination("setPage", cur, total), and pager attributes (count="386"
// rows="15", pagecount="51", queryData="{'count':'386'}").
#include <regex>
#include <string>

#include "extract/listing/readers.h"
#include "extract/listing/script.h"
#include "extract/text.h"

namespace nianbao::extract::listing {
namespace {

void ReadText(ListingBuilder* b) {
  static const std::regex kEntries("(?:共有|总共|共计|共|总记录数|记录总数|总条数)[:：]?(\\d+)(?:条|篇|个|项)");
  static const std::regex kPages("(?:共|总页数|总共|共计)[:：]?(\\d+)页");
  static const std::regex kOfPages("(?:^|[^\\d/])(\\d+)/(\\d+)(?:页|$|[^\\d/.-])");
  const std::string& visible = b->page().visible;
  size_t start = 0;
  while (start < visible.size()) {
    size_t end = visible.find('\n', start);
    if (end == std::string::npos) end = visible.size();
    std::string line = AsciiDigits(MatchKey(std::string_view(visible).substr(start, end - start)));
    start = end + 1;
    if (line.size() > 600 || line.find_first_of("0123456789") == std::string::npos) continue;
    std::smatch m;
    for (auto it = std::sregex_iterator(line.begin(), line.end(), kEntries); it != std::sregex_iterator(); ++it) {
      if (auto n = ToCount((*it)[1].str())) b->ClaimEntries(*n, (*it)[0].str());
    }
    for (auto it = std::sregex_iterator(line.begin(), line.end(), kPages); it != std::sregex_iterator(); ++it) {
      if (auto n = ToCount((*it)[1].str())) b->ClaimPages(*n, (*it)[0].str());
    }
    // "1/5" only on a pager line (页, 条, 首页, 下页 …), current ≤ last.
    if (ContainsAny(line, {"页", "条", "记录"})) {
      for (auto it = std::sregex_iterator(line.begin(), line.end(), kOfPages); it != std::sregex_iterator(); ++it) {
        auto cur = ToCount((*it)[1].str()), last = ToCount((*it)[2].str());
        if (cur && last && *cur >= 1 && *cur <= *last && *last <= 10000) b->ClaimPages(*last, (*it)[1].str() + "/" + (*it)[2].str());
      }
    }
  }
}

void ReadScripts(ListingBuilder* b) {
  const std::string& js = b->page().scripts;
  // Hanweb counts per jpage unit (hanweb.cc): a sidebar unit's total is not the list's.
  const bool hanweb = b->listing().family == "hanweb";
  for (const char* key : {"totalRecord", "recordCount", "totalCount", "totalRecords", "total_news_num", "record_count"}) {
    if (hanweb && std::string_view(key) == "totalRecord") continue;
    for (long n : NumbersAfter(js, key)) b->ClaimEntries(n, std::string(key) + " " + std::to_string(n));
  }
  for (const char* key : {"pageCount", "totalPage", "totalPages", "pageTotal", "pagecount", "countPage", "pageSum"}) {
    for (long n : NumbersAfter(js, key)) {
      if (n >= 1 && n <= 10000) b->ClaimPages(n, std::string(key) + " " + std::to_string(n));
    }
  }
  for (const auto& args : CallArgs(js, "pagination")) {  // $(".pagination").pagination("setPage", cur, total)
    if (args.size() >= 3 && args[0] == "setPage") {
      if (auto n = ToCount(args[2])) b->ClaimPages(*n, "pagination(\"setPage\", " + args[1] + ", " + args[2] + ")");
    }
  }
}

void ReadAttributes(ListingBuilder* b) {
  for (const auto& attrs : b->page().pager_attrs) {
    for (const auto& [name, value] : attrs) {
      auto n = ToCount(value);
      if (!n) continue;
      if (name == "count" || name == "totalcount" || name == "totalrecord" || name == "recordcount" || name == "data-total" ||
          name == "data-count") {
        b->ClaimEntries(*n, name + "=\"" + value + "\"");
      } else if (name == "pagecount" || name == "totalpage" || name == "data-pages") {
        b->ClaimPages(*n, name + "=\"" + value + "\"");
      }
    }
    if (auto q = attrs.find("querydata"); q != attrs.end()) {
      if (auto j = JsLiteral(q->second, q->second.find('{')); j && j->is_object() && j->contains("count")) {
        if (auto n = JsonCount((*j)["count"])) b->ClaimEntries(*n, "queryData count " + std::to_string(*n));
      }
    }
  }
}

}  // namespace

void ReadCounts(ListingBuilder* b) {
  if (b->page().kind != ListingPage::Kind::kHtml) return;
  ReadText(b);
  ReadScripts(b);
  ReadAttributes(b);
}

}  // namespace nianbao::extract::listing
