#include "services/contracts/document/html.h"

#include <string>
#include <variant>

#include "absl/strings/str_cat.h"
#include "platform/crypto/sha256.h"
#include "services/contracts/document/outline.h"

namespace dps::contracts::document {
namespace {

// Print styles only: the page must read the same with them switched off.
constexpr absl::string_view kStyle =
    "body{font-family:\"DejaVu Sans\",sans-serif;font-size:10pt;max-width:48em;margin:2em auto}"
    "table{border-collapse:collapse;width:100%;margin:0.5em 0}"
    "th,td{border:1px solid #999;padding:0.25em 0.5em;text-align:left;vertical-align:top}"
    ".end{text-align:right}"
    "tfoot{font-weight:bold}"
    "td{overflow-wrap:anywhere}";

void AppendTable(const Table& table, std::string& out) {
  out += "<table>\n";
  const bool has_header = !table.columns.empty() && !table.columns.front().header.empty();
  if (has_header) {
    out += "<thead><tr>";
    for (const Column& column : table.columns) {
      absl::StrAppend(
          &out,
          column.align == Align::kEnd ? "<th scope=\"col\" class=\"end\">" : "<th scope=\"col\">",
          EscapeHtml(column.header), "</th>");
    }
    out += "</tr></thead>\n";
  }
  const auto append_row = [&](const std::vector<std::string>& row) {
    out += "<tr>";
    for (size_t i = 0; i < row.size(); ++i) {
      const bool names_row = table.row_headers && i == 0;
      const bool end = table.columns[i].align == Align::kEnd;
      absl::StrAppend(&out, names_row ? "<th scope=\"row\"" : "<td", end ? " class=\"end\">" : ">",
                      EscapeHtml(row[i]), names_row ? "</th>" : "</td>");
    }
    out += "</tr>\n";
  };
  out += "<tbody>\n";
  for (const std::vector<std::string>& row : table.rows) append_row(row);
  out += "</tbody>\n";
  if (table.total) {
    out += "<tfoot>\n";
    append_row(*table.total);
    out += "</tfoot>\n";
  }
  out += "</table>\n";
}

struct AppendBlock {
  std::string& out;

  void operator()(const Heading& heading) const {
    absl::StrAppend(&out, "<h", heading.level, ">", EscapeHtml(heading.text), "</h", heading.level,
                    ">\n");
  }
  void operator()(const Paragraph& paragraph) const {
    absl::StrAppend(&out, "<p>", EscapeHtml(paragraph.text), "</p>\n");
  }
  void operator()(const NumberedList& list) const {
    out += "<ol>\n";
    for (const std::string& item : list.items) {
      absl::StrAppend(&out, "<li>", EscapeHtml(item), "</li>\n");
    }
    out += "</ol>\n";
  }
  void operator()(const Table& table) const { AppendTable(table, out); }
};

}  // namespace

std::string EscapeHtml(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

absl::StatusOr<std::string> RenderHtml(const PlacementAgreementDocument& document,
                                       const DocumentLimits& limits) {
  if (absl::Status valid = ValidateDocument(document, limits); !valid.ok()) return valid;
  const Outline outline = OutlineOf(document);
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n",
      "<meta name=\"generator\" content=\"", kLayoutVersion, "\">\n", "<title>",
      EscapeHtml(outline.title), "</title>\n", "<style>", kStyle, "</style>\n</head>\n<body>\n");
  for (const Block& block : outline.blocks) std::visit(AppendBlock{out}, block);
  out += "</body>\n</html>\n";
  return out;
}

absl::StatusOr<std::string> ContentSha256(const PlacementAgreementDocument& document,
                                          const DocumentLimits& limits) {
  absl::StatusOr<std::string> html = RenderHtml(document, limits);
  if (!html.ok()) return html.status();
  return platform::Sha256Hex(*html);
}

}  // namespace dps::contracts::document
