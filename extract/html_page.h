// One HTML page, parsed once with Gumbo and reduced to what the extractors
// need: the report body as lines in reading order (page chrome removed), its
// tables as grids, title candidates, meta tags, every text line of the page
// (for metadata such as 发布日期 that lives in the chrome), and links.
#ifndef NIANBAO_EXTRACT_HTML_PAGE_H_
#define NIANBAO_EXTRACT_HTML_PAGE_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace nianbao::extract {

// A table after rowspan/colspan expansion (record.md "grid"): every row has
// the same number of cells; a spanned cell's text is repeated in each
// position it covers, and origin[r][c] names the source cell (equal ids =
// the same <td>), so callers can tell a span from two equal cells.
struct Grid {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::vector<int>> origin;
  std::string caption;
  // Recovered from text (a table flattened into lines): sums confirm the
  // alignment of its rows (report_tables.cc ConfirmSum).
  bool flat = false;
  // Rows were of different lengths (rowspans lost) and are aligned on their
  // right edge, where the values are: headers give no positions.
  bool right_aligned = false;
  // Flat grids only: per row, the label lines printed just above it (a label
  // wrapped around vertically centred values); "" when none.
  std::vector<std::string> lead;
  size_t width() const { return rows.empty() ? 0 : rows[0].size(); }
};

// One unit of the report body: a line of text, or a table (index into tables).
struct BodyBlock {
  std::string text;   // whitespace-normalized; empty for a table
  int table = -1;
  std::string raw;    // the same line with its tabs kept (flattened tables)
};

struct HtmlLink {
  std::string href;
  std::string text;   // whitespace-normalized anchor text
  std::string title;  // title attribute
  std::string cls;    // class attribute (VSB marks its next link class="Next")
};

struct HtmlPage {
  std::string title_tag;                    // <title>, whitespace-normalized
  std::map<std::string, std::string> meta;  // lower-case name/property → content
  std::vector<std::string> headings;        // h1..h3 and *title* element texts, page order
  std::vector<std::string> page_lines;      // every text line of the page, chrome included
  std::vector<BodyBlock> body;              // the content root, chrome lines dropped
  std::vector<Grid> tables;                 // data tables of the content root, in order
  std::vector<HtmlLink> links;              // every <a href>, page order
  std::string base_href;                    // <base href>, "" if none
  std::string scripts;                      // inline <script> text (pagination calls)
  bool depth_limited = false;               // cut before parsing: nested too deep, or too many elements
};

// Which links ParseHtmlPage collects: every link (listings), or only links
// to attachments (.pdf/.doc/.docx/.wps: a report page's), which spares the
// text of a page's hundreds of navigation links.
enum class LinkScope { kAll, kAttachments };

// How ParseHtmlPage runs Gumbo: each data table apart from the page (the
// page's peak memory is then a fraction of one whole-page tree), or the
// whole page at once (the reference the tests compare kApart with).
enum class TableParse { kApart, kWhole };

// Parses UTF-8 HTML. Never fails: malformed markup yields what Gumbo recovers.
HtmlPage ParseHtmlPage(std::string_view utf8, LinkScope links = LinkScope::kAll,
                       TableParse table_parse = TableParse::kApart);

// Removes, in place, markup that ParseHtmlPage never reads but Gumbo keeps
// in its tree, so the tree is smaller and the page the same:
// - each run of spaces and newlines (no tabs) between two table tags
//   (<table> <thead> <tbody> <tfoot> <tr> <td> <th>, start or end): Gumbo
//   makes each a node (a run with a tab is kept: it can mark a blank cell of
//   a flattened table);
// - a tag's style attribute when it is the tag's only one, quoted, and says
//   neither "none" nor "hidden" (whether an element is hidden is all that is
//   read of a style; flattened tables print one styled <p> per cell).
// Script, style, textarea and title text and comments are left as they are.
void CompactMarkup(std::string* html);

// The part of `html` Gumbo may parse: all of it, or the markup before the
// point where elements nest more than 1,000 deep, counted as the tree
// builder counts (an end tag closes only an element that is open), or
// before the 100,001st start tag. Gumbo's tree construction is quadratic in
// that depth, and its tree costs a few hundred bytes an element: every
// parse is bounded in time and memory. *cut says whether it cut.
std::string_view WithinParseDepth(std::string_view html, bool* cut);

// True if the path of `href` ends in .pdf, .doc, .docx or .wps (any case).
bool IsAttachmentHref(std::string_view href);

// True if `line` contains page chrome (chrome.txt, matched on MatchKey form)
// or is a page metadata line (日期:/来源:/浏览次数…).
bool IsChromeLine(std::string_view line);

}  // namespace nianbao::extract

#endif  // NIANBAO_EXTRACT_HTML_PAGE_H_
