#include "config/url.h"

#include <doctest/doctest.h>

#include <string>

using namespace nianbao;

namespace {

// ToString() of ResolveUrl(ParseUrl(base), ref), or "(none)".
std::string Resolve(std::string_view base, std::string_view ref) {
  auto b = ParseUrl(base);
  REQUIRE(b);
  auto u = ResolveUrl(*b, ref);
  return u ? u->ToString() : "(none)";
}

std::string Canon(std::string_view text) {
  auto u = ParseUrl(text);
  return u ? CanonicalUrl(*u) : "(none)";
}

std::string Id(std::string_view text) { return ReportIdForCanonicalUrl(Canon(text)); }

}  // namespace

TEST_SUITE("config/url") {
  TEST_CASE("canonical form: case, default port, fragment, sorted query") {
    auto u = ParseUrl("HTTP://WWW.Example.GOV.cn:80/a/b.html?z=1&a=2#top");
    REQUIRE(u);
    CHECK(CanonicalUrl(*u) == "http://www.example.gov.cn/a/b.html?a=2&z=1");
    CHECK(ReportIdForCanonicalUrl(CanonicalUrl(*u)).size() == 32);
    CHECK(u->fragment == "top");
    CHECK(u->ToString() == "http://www.example.gov.cn/a/b.html?z=1&a=2#top");
    CHECK(Canon("https://H.cn:443/x?b=2&&a=1&") == "https://h.cn/x?a=1&b=2");
    CHECK(Canon("https://h.cn:8443/x") == "https://h.cn:8443/x");
  }
  TEST_CASE("relative links resolve like a browser") {
    auto base = ParseUrl("http://h:8080/zwgk/nb/index_1.shtml");
    REQUIRE(base);
    CHECK(ResolveUrl(*base, "./202501/t1.shtml")->ToString() == "http://h:8080/zwgk/nb/202501/t1.shtml");
    CHECK(ResolveUrl(*base, "../x.html")->ToString() == "http://h:8080/zwgk/x.html");
    CHECK(ResolveUrl(*base, "/a/../b")->ToString() == "http://h:8080/b");
    CHECK(ResolveUrl(*base, "//other/p")->ToString() == "http://other/p");
    CHECK(ResolveUrl(*base, "?page=2")->ToString() == "http://h:8080/zwgk/nb/index_1.shtml?page=2");
    CHECK(!ResolveUrl(*base, "javascript:void(0)"));
    CHECK(!ResolveUrl(*base, "mailto:a@b"));
  }
  TEST_CASE("RFC 3986 section 5.4 examples") {
    auto base = ParseUrl("http://a/b/c/d;p?q");
    REQUIRE(base);
    const char* cases[][2] = {
        {"g:h", "(none)"},  // not http(s)
        {"g", "http://a/b/c/g"}, {"./g", "http://a/b/c/g"}, {"g/", "http://a/b/c/g/"}, {"/g", "http://a/g"},
        {"//g", "http://g/"}, {"?y", "http://a/b/c/d;p?y"}, {"g?y", "http://a/b/c/g?y"},
        {"#s", "http://a/b/c/d;p?q#s"}, {"g#s", "http://a/b/c/g#s"}, {"g?y#s", "http://a/b/c/g?y#s"},
        {";x", "http://a/b/c/;x"}, {"g;x", "http://a/b/c/g;x"}, {"g;x?y#s", "http://a/b/c/g;x?y#s"},
        {"", "http://a/b/c/d;p?q"}, {".", "http://a/b/c/"}, {"./", "http://a/b/c/"}, {"..", "http://a/b/"},
        {"../", "http://a/b/"}, {"../g", "http://a/b/g"}, {"../..", "http://a/"}, {"../../", "http://a/"},
        {"../../g", "http://a/g"}, {"../../../g", "http://a/g"}, {"../../../../g", "http://a/g"},
        {"/./g", "http://a/g"}, {"/../g", "http://a/g"}, {"g.", "http://a/b/c/g."}, {".g", "http://a/b/c/.g"},
        {"g..", "http://a/b/c/g.."}, {"..g", "http://a/b/c/..g"}, {"./../g", "http://a/b/g"},
        {"./g/.", "http://a/b/c/g/"}, {"g/./h", "http://a/b/c/g/h"}, {"g/../h", "http://a/b/c/h"},
        {"g;x=1/./y", "http://a/b/c/g;x=1/y"}, {"g;x=1/../y", "http://a/b/c/y"},
        {"g?y/./x", "http://a/b/c/g?y/./x"}, {"g?y/../x", "http://a/b/c/g?y/../x"},
        {"g#s/./x", "http://a/b/c/g#s/./x"}, {"g#s/../x", "http://a/b/c/g#s/../x"},
        {"http:g", "http://a/b/c/g"},  // browsers: same special scheme, relative
        // curl 7.88 alone gets these wrong (drops the '/' before '?').
        {"./?a", "http://a/b/c/?a"}, {"../?a", "http://a/b/?a"}, {"..?a", "http://a/b/?a"},
        {"http:/g", "http://a/g"}, {"http://g", "http://g/"},
    };
    for (const auto& c : cases) {
      CAPTURE(c[0]);
      auto u = ResolveUrl(*base, c[0]);
      CHECK((u ? u->ToString() : "(none)") == c[1]);
    }
  }
  TEST_CASE("relative forms seen on portals") {
    const char* list = "http://www.gd.gov.cn/zwgk/ndbg/index.shtml?x=1#top";
    CHECK(Resolve(list, "./202501/t20250122_1.shtml") == "http://www.gd.gov.cn/zwgk/ndbg/202501/t20250122_1.shtml");
    CHECK(Resolve("https://www.xx.edu.cn/xxgk/ndbg.htm", "../info/1307/23833.htm") ==
          "https://www.xx.edu.cn/info/1307/23833.htm");
    CHECK(Resolve(list, "../../../../up.htm") == "http://www.gd.gov.cn/up.htm");
    CHECK(Resolve(list, "?page=2") == "http://www.gd.gov.cn/zwgk/ndbg/index.shtml?page=2");
    CHECK(Resolve(list, "#2845") == "http://www.gd.gov.cn/zwgk/ndbg/index.shtml?x=1#2845");
    CHECK(Resolve(list, "") == "http://www.gd.gov.cn/zwgk/ndbg/index.shtml?x=1");
    CHECK(Resolve("https://www.gd.gov.cn/gkmlpt/index", "#2845") == "https://www.gd.gov.cn/gkmlpt/index#2845");
    CHECK(ParseUrl("https://www.gd.gov.cn/gkmlpt/index#2845")->fragment == "2845");
    CHECK(Resolve(list, "//static.gd.gov.cn/f/a.pdf") == "http://static.gd.gov.cn/f/a.pdf");
    CHECK(Resolve("https://h/a", "//cdn.h:8443/x?y") == "https://cdn.h:8443/x?y");
    CHECK(Resolve(list, "https://other.cn/p") == "https://other.cn/p");
    CHECK(Resolve(list, "x?y#z") == "http://www.gd.gov.cn/zwgk/ndbg/x?y#z");
    CHECK(Resolve(list, "..") == "http://www.gd.gov.cn/zwgk/");
    CHECK(Resolve(list, "2024:nb.pdf") == "http://www.gd.gov.cn/zwgk/ndbg/2024:nb.pdf");  // no scheme
    CHECK(Resolve(list, "http:nb.pdf") == "http://www.gd.gov.cn/zwgk/ndbg/nb.pdf");        // same scheme
  }
  TEST_CASE("hrefs are cleaned like browsers do") {
    const char* list = "http://h/zwgk/index.html";
    CHECK(Resolve(list, "  \n\t./a.html \r\n") == "http://h/zwgk/a.html");
    CHECK(Resolve(list, "./20\n25/\tb.html") == "http://h/zwgk/2025/b.html");
    CHECK(Resolve(list, "..\\files\\a b.pdf") == "http://h/files/a%20b.pdf");
    CHECK(ParseUrl("http:\\\\h\\a\\b.pdf?q=\\x")->ToString() == "http://h/a/b.pdf?q=%5Cx");
  }
  TEST_CASE("spaces in paths and queries") {
    CHECK(ParseUrl("http://h/a b/c d.pdf")->path == "/a%20b/c%20d.pdf");
    auto q = ParseUrl("http://h/x.jsp?name=a b&c=1+2");
    REQUIRE(q);
    CHECK(q->query == "name=a%20b&c=1+2");  // '+' stays '+'
    CHECK(Canon("http://h/x.jsp?name=a b") == Canon("http://h/x.jsp?name=a%20b"));
    CHECK(Canon("http://h/x.jsp?name=a+b") != Canon("http://h/x.jsp?name=a%20b"));
  }
  TEST_CASE("Chinese file names in path and query") {
    auto p = ParseUrl("http://h/upload/2024年报.pdf");
    REQUIRE(p);
    CHECK(p->path == "/upload/2024%E5%B9%B4%E6%8A%A5.pdf");
    CHECK(p->ToString() == "http://h/upload/2024%E5%B9%B4%E6%8A%A5.pdf");
    auto q = ParseUrl("http://h/downfile.jsp?filename=2024年报.pdf");
    REQUIRE(q);
    CHECK(q->query == "filename=2024%E5%B9%B4%E6%8A%A5.pdf");
    CHECK(ParseUrl("http://h/a#第二章")->fragment == "%E7%AC%AC%E4%BA%8C%E7%AB%A0");
  }
  TEST_CASE("%-escapes are kept, never encoded twice") {
    CHECK(ParseUrl("http://h/2024%E5%B9%B4.pdf")->path == "/2024%E5%B9%B4.pdf");
    CHECK(ParseUrl("http://h/2024%e5%b9%b4.pdf")->path == "/2024%e5%b9%b4.pdf");  // as written
    CHECK(ParseUrl("http://h/x?f=a%20b%2Bc")->query == "f=a%20b%2Bc");
    CHECK(ParseUrl("http://h/100%.pdf?r=5%&s=%zz#%")->ToString() == "http://h/100%25.pdf?r=5%25&s=%25zz#%25");
    CHECK(ParseUrl("http://h/a%2Fb")->path == "/a%2Fb");
    CHECK(ParseUrl("http://h/a|b{c}\"<>^`[]")->path == "/a%7Cb%7Bc%7D%22%3C%3E%5E%60%5B%5D");
    // Parsing the result again changes nothing.
    auto once = ParseUrl("http://h/年 报%.pdf?q=年&x=%41");
    REQUIRE(once);
    auto twice = ParseUrl(once->ToString());
    REQUIRE(twice);
    CHECK(twice->ToString() == once->ToString());
    CHECK(CanonicalUrl(*twice) == CanonicalUrl(*once));
  }
  TEST_CASE("raw and encoded forms of one URL name one report") {
    const std::string raw = "http://www.sz.gov.cn/cms/downfile.jsp?filename=2024年报.pdf&classid=0";
    const std::string upper = "http://www.sz.gov.cn/cms/downfile.jsp?filename=2024%E5%B9%B4%E6%8A%A5.pdf&classid=0";
    const std::string lower = "http://www.sz.gov.cn/cms/downfile.jsp?filename=2024%e5%b9%b4%e6%8a%a5.pdf&classid=0";
    CHECK(Canon(raw) == "http://www.sz.gov.cn/cms/downfile.jsp?classid=0&filename=2024%E5%B9%B4%E6%8A%A5.pdf");
    CHECK(Canon(upper) == Canon(raw));
    CHECK(Canon(lower) == Canon(raw));
    CHECK(Id(raw) == Id(upper));
    CHECK(Id(raw) == Id(lower));
    CHECK(Canon("http://h/年报 2024.pdf") == Canon("http://h/%E5%B9%B4%E6%8A%A5%202024.pdf"));
    // %XX of unreserved characters means the character itself.
    CHECK(Canon("http://h/%7Euser/%41b%2d%2E%5f.htm?k=%61") == "http://h/~user/Ab-._.htm?k=a");
    // Reserved characters stay escaped: %2F is not '/', %26 not '&'.
    CHECK(Canon("http://h/a%2fb?q=x%26y") == "http://h/a%2Fb?q=x%26y");
    // A Url built by hand with raw bytes canonicalises the same way.
    Url hand;
    hand.scheme = "HTTP";
    hand.host = "WWW.SZ.GOV.CN";
    hand.path = "/cms/downfile.jsp";
    hand.query = "filename=2024年报.pdf&classid=0";
    hand.has_query = true;
    CHECK(CanonicalUrl(hand) == Canon(raw));
  }
  TEST_CASE("attachment link resolved from a listing page") {
    auto page = ParseUrl("http://www.sz.gov.cn/cn/xxgk/zfxxgj/ndbg/index.html");
    REQUIRE(page);
    auto u = ResolveUrl(*page, "../../../../cms/downfile.jsp?filename=2024年报.pdf");
    REQUIRE(u);
    CHECK(u->ToString() == "http://www.sz.gov.cn/cms/downfile.jsp?filename=2024%E5%B9%B4%E6%8A%A5.pdf");
    auto v = ResolveUrl(*page, "/cms/downfile.jsp?filename=2024%E5%B9%B4%E6%8A%A5.pdf");
    REQUIRE(v);
    CHECK(ReportIdForCanonicalUrl(CanonicalUrl(*u)) == ReportIdForCanonicalUrl(CanonicalUrl(*v)));
    CHECK(Resolve("http://h/xxgk/index.html", "附件/2024年度报告.docx") ==
          "http://h/xxgk/%E9%99%84%E4%BB%B6/2024%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A.docx");
  }
  TEST_CASE("IPv6 literal hosts with ports") {
    auto u = ParseUrl("http://[::1]:8080/a?b");
    REQUIRE(u);
    CHECK(u->host == "::1");
    CHECK(u->port == 8080);
    CHECK(u->Authority() == "[::1]:8080");
    CHECK(u->ToString() == "http://[::1]:8080/a?b");
    CHECK(Canon("HTTP://[2001:DB8::1]:80/x") == "http://[2001:db8::1]/x");
    CHECK(Resolve("http://[::1]:8080/a/b", "../c") == "http://[::1]:8080/c");
    CHECK(Resolve("http://h/a", "//[::1]:9/x") == "http://[::1]:9/x");
  }
  TEST_CASE("upper-case scheme and host; default ports") {
    auto u = ParseUrl("HTTPS://WWW.GOV.CN:443/Zwgk/A.HTML");
    REQUIRE(u);
    CHECK(u->scheme == "https");
    CHECK(u->host == "www.gov.cn");
    CHECK(u->port == -1);
    CHECK(u->EffectivePort() == 443);
    CHECK(u->path == "/Zwgk/A.HTML");  // paths are case-sensitive
    CHECK(ParseUrl("http://h:443/")->port == 443);
    CHECK(ParseUrl("http://h/")->EffectivePort() == 80);
    CHECK(ParseUrl("http://user:pw@h/x")->ToString() == "http://h/x");
    CHECK(ParseUrl("http://h")->path == "/");
    CHECK(ParseUrl("http://h?q")->ToString() == "http://h/?q");
  }
  TEST_CASE("non-http schemes are refused") {
    auto base = ParseUrl("http://h/a/b.html");
    REQUIRE(base);
    for (const char* ref : {"javascript:void(0)", "JavaScript:alert(1)", " java\nscript:x", "mailto:a@b.cn",
                            "ftp://h/f.pdf", "data:text/html,x", "tel:123", "file:///etc/passwd"}) {
      CAPTURE(ref);
      CHECK(!ResolveUrl(*base, ref));
      CHECK(!ParseUrl(ref));
    }
    CHECK(!ParseUrl("/relative/path"));
    CHECK(!ParseUrl("www.gov.cn/a"));
  }
  TEST_CASE("dot segments, also written as %2e") {
    CHECK(ParseUrl("http://h/a/./b/../c")->path == "/a/c");
    CHECK(ParseUrl("http://h/a/%2e%2E/b/.%2e/c/%2e/d")->path == "/c/d");
    CHECK(ParseUrl("http://h/a%2eb")->path == "/a%2eb");
  }
  TEST_CASE("garbage is refused") {
    CHECK(!ParseUrl("not a url"));
    CHECK(!ParseUrl("http://"));
    CHECK(!ParseUrl("http://h:99999/"));
    CHECK(!ParseUrl("http://h:0/"));
    CHECK(!ParseUrl("http://h:8x/"));
    CHECK(!ParseUrl("http://[::1"));
    CHECK(!ParseUrl("http://[::1/x"));
    CHECK(!ParseUrl(""));
    CHECK(!ParseUrl("   "));
    CHECK(!ParseUrl("http://a b/"));
  }
  TEST_CASE("hostile input: nullopt or a sane URL, never a crash") {
    auto sane = [](const std::optional<Url>& u) {
      if (!u) return true;
      const std::string s = u->ToString();
      bool ok = (u->scheme == "http" || u->scheme == "https") && !u->host.empty() && !u->path.empty() &&
                u->path.front() == '/';
      for (unsigned char c : s) ok = ok && c > ' ' && c < 0x7f;
      return ok;
    };
    const std::string nul("http://h/a\0b?c\0d#e\0", 20);
    auto n = ParseUrl(nul);
    REQUIRE(n);
    CHECK(n->ToString() == "http://h/a%00b?c%00d#e");  // trailing NUL trimmed like a control
    CHECK(!ParseUrl(std::string("http://h\0ost/", 13)));
    CHECK(sane(ParseUrl("http://h/\xff\xfe\xc3(bad-utf8)?\x80=\xc0")));
    CHECK(ParseUrl("http://h/\xff")->path == "/%FF");
    CHECK(sane(ParseUrl("http:///x")));
    CHECK(sane(ParseUrl("http:/x")));
    CHECK(sane(ParseUrl("http://h/" + std::string(100000, 'a'))));
    CHECK(sane(ParseUrl("http://h/" + std::string(100000, '%'))));
    CHECK(sane(ParseUrl("http://h/" + std::string(50000, '\xe5'))));
    CHECK(!ParseUrl("http://h/" + std::string(9000000, 'a')));
    CHECK(sane(ParseUrl("http://" + std::string(300, 'h') + "." + std::string(300, 'x') + "/")));
    auto base = ParseUrl("http://h/a/b");
    REQUIRE(base);
    for (std::string ref : {std::string("\0", 1), std::string("../\0x", 5), std::string(20000, '/'),
                            std::string("//"), std::string("///"), std::string("?"), std::string("#"),
                            std::string("http:"), std::string("http:#x"), std::string("https:x"),
                            std::string("//[::1"), std::string(":"), std::string("::::"), std::string("%"),
                            std::string("\xff\xfe"), std::string(5000, '.') + "/x"}) {
      CAPTURE(ref);
      CHECK(sane(ResolveUrl(*base, ref)));
    }
    Url empty;  // a default Url as base
    CHECK(!ResolveUrl(empty, "x"));
    CHECK_NOTHROW(CanonicalUrl(empty));
  }
}
