// The agreement as an ordered list of blocks (headings, paragraphs, numbered lists, tables) with
// every value already written out as text. Both renderers walk the same outline, so the HTML and
// the PDF cannot differ in what they say or in what order; they differ only in how it looks.
//
// OutlineOf decides the wording and the order of the sections; it takes a document that
// ValidateDocument accepted.
#ifndef DPS_SERVICES_CONTRACTS_DOCUMENT_OUTLINE_H_
#define DPS_SERVICES_CONTRACTS_DOCUMENT_OUTLINE_H_

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "services/contracts/document/placement_agreement_document.h"

namespace dps::contracts::document {

struct Heading {
  int level = 2;  // 1 the title, 2 a section, 3 a part of a section
  std::string text;
};

struct Paragraph {
  std::string text;
};

struct NumberedList {
  std::vector<std::string> items;
};

enum class Align { kStart, kEnd };  // kEnd for money, so the pence line up

struct Column {
  std::string header;  // empty in every column: the table has no header row
  double width = 0.0;  // share of the text width in the PDF; the columns' add up to 1
  Align align = Align::kStart;
};

struct Table {
  std::vector<Column> columns;
  // The first cell of each row names the row (a table of fields rather than of records).
  bool row_headers = false;
  std::vector<std::vector<std::string>> rows;     // each row has one cell per column
  std::optional<std::vector<std::string>> total;  // a last row set apart: the total
};

using Block = std::variant<Heading, Paragraph, NumberedList, Table>;

struct Outline {
  std::string title;          // the document's title, for HTML <title> and PDF metadata
  std::string footer_label;   // "Agreement IPA-2027-0042, version 3": on every PDF page
  std::vector<Block> blocks;  // the title's Heading first
};

Outline OutlineOf(const PlacementAgreementDocument& document);

}  // namespace dps::contracts::document

#endif  // DPS_SERVICES_CONTRACTS_DOCUMENT_OUTLINE_H_
