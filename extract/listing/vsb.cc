// VSB 博达 listings: <col>.htm, then <col>/<k>.htm numbered DOWN to 1.htm;
// the footer says 共N条 1/M, with class="Next" links (下页, 尾页) and
// class="NextDisabled" on the last page, in a table pager (id="fanye…") or
// the newer pb_sys_common spans. The dynamic form pages with
// ?totalpage=M&PAGENUM=k&urltype=tree.TreeTempUrl&wbtreeid=… (or a<unit>p=k).
// The pages themselves are extended by the generic pager (pager.cc); this
// reader recognises the family and reads the page count a dynamic link carries.
#include <string>

#include "extract/listing/readers.h"
#include "extract/listing/script.h"

namespace nianbao::extract::listing {

void ReadVsb(ListingBuilder* b) {
  const ListingPage& p = b->page();
  if (p.kind != ListingPage::Kind::kHtml) return;
  bool next_class = false;
  for (const auto& l : p.links) {
    if (l.cls == "Next" || l.cls.find("p_next") != std::string::npos) next_class = true;
    if (l.url.find("urltype=tree.TreeTempUrl") != std::string::npos || l.url.find("wbtreeid=") != std::string::npos) {
      auto u = ParseUrl(l.url);
      if (!u) continue;
      if (auto m = ToCount(ParamOf(u->query, "totalpage"))) b->ClaimPages(*m, "totalpage=" + std::to_string(*m) + " in a VSB pager link");
      next_class = true;
    }
  }
  const bool vsb = next_class || p.text.find("pb_sys_common") != std::string::npos ||
                   p.text.find("id=\"fanye") != std::string::npos || p.text.find("vsb_content") != std::string::npos ||
                   p.text.find("/system/resource/") != std::string::npos;
  if (vsb) b->Family("vsb", next_class ? "class=\"Next\" pager links" : "VSB page furniture");
}

}  // namespace nianbao::extract::listing
