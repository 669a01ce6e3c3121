// The PDF: the same bytes every time, in this process and in others; and what poppler-utils'
// pdftotext and pdfinfo read back from it: the title, the costs, and on every page the page
// number and the content hash.
#include "services/contracts/document/pdf.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/contracts/document/html.h"
#include "services/contracts/document/testing.h"

namespace dps::contracts::document {
namespace {

using testing::SampleDocument;

RenderedPdf Pdf(const PlacementAgreementDocument& document) {
  absl::StatusOr<RenderedPdf> pdf = RenderPdf(document);
  REQUIRE(pdf.ok());
  return *std::move(pdf);
}

// A folder for a test's files, removed when the test ends.
class Scratch {
 public:
  Scratch() {
    char pattern[] = "/tmp/dps-document-test.XXXXXX";
    REQUIRE(mkdtemp(pattern) != nullptr);
    dir_ = pattern;
  }
  ~Scratch() { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) const { return absl::StrCat(dir_, "/", name); }
  std::string Write(const std::string& name, const std::string& bytes) const {
    std::ofstream(Path(name), std::ios::binary) << bytes;
    return Path(name);
  }
  std::string Read(const std::string& name) const {
    std::ifstream in(Path(name), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  // Runs `command` with its standard output to the file `name`; returns that file's contents.
  std::string Run(const std::string& command, const std::string& name) const {
    const std::string line = absl::StrCat(command, " > ", Path(name));
    INFO(line);
    REQUIRE(std::system(line.c_str()) == 0);
    return Read(name);
  }

  int PageCount(const std::string& pdf_path) const {
    const std::string info = Run(absl::StrCat("pdfinfo ", pdf_path), "pdfinfo.txt");
    const size_t at = info.find("\nPages:");
    REQUIRE(at != std::string::npos);
    const size_t end = info.find('\n', at + 1);
    int pages = 0;
    REQUIRE(absl::SimpleAtoi(info.substr(at + 7, end - at - 7), &pages));
    return pages;
  }

  std::string PageText(const std::string& pdf_path, int page) const {
    return Run(absl::StrCat("pdftotext -enc UTF-8 -f ", page, " -l ", page, " ", pdf_path, " -"),
               "page.txt");
  }

 private:
  std::string dir_;
};

TEST_CASE("Two renders in one process give the same bytes") {
  const RenderedPdf first = Pdf(SampleDocument());
  const RenderedPdf second = Pdf(SampleDocument());
  CHECK(absl::StartsWith(first.bytes, "%PDF-1.5\n"));
  CHECK(absl::EndsWith(first.bytes, "%%EOF\n"));
  CHECK(first.bytes == second.bytes);
  CHECK(Pdf(testing::DocumentWithCostLines(99)).bytes ==
        Pdf(testing::DocumentWithCostLines(99)).bytes);
}

TEST_CASE("Other processes, in another time zone, locale and font configuration, agree") {
  const Scratch scratch;
  // The second process sees a different clock zone, locale, home and fontconfig file: none may
  // reach the bytes.
  const std::string elsewhere =
      "env TZ=Pacific/Chatham LANG=de_DE.UTF-8 LC_ALL=C.UTF-8 HOME=/nonexistent "
      "XDG_CONFIG_HOME=/nonexistent FONTCONFIG_FILE=/dev/null ";
  for (const std::string which : {"sample", "many-lines"}) {
    INFO(which);
    const std::string command = absl::StrCat(DPS_FIXTURE_RENDERER, " pdf ", which);
    const std::string here =
        Pdf(which == "sample" ? SampleDocument() : testing::DocumentWithCostLines(99)).bytes;
    CHECK(scratch.Run(command, "one.pdf") == here);
    CHECK(scratch.Run(elsewhere + command, "two.pdf") == here);
  }
}

TEST_CASE("The content hash is the HTML's, and is in the PDF's metadata") {
  const RenderedPdf pdf = Pdf(SampleDocument());
  const absl::StatusOr<std::string> hash = ContentSha256(SampleDocument());
  REQUIRE(hash.ok());
  CHECK(pdf.content_sha256 == *hash);
  CHECK(absl::StrContains(pdf.bytes, "/CreationDate (20270401000000Z)"));
  CHECK(absl::StrContains(pdf.bytes, "/ModDate (20270401000000Z)"));
  const Scratch scratch;
  const std::string info =
      scratch.Run(absl::StrCat("pdfinfo ", scratch.Write("a.pdf", pdf.bytes)), "info.txt");
  CHECK(absl::StrContains(info, absl::StrCat("content-sha256:", *hash)));
  CHECK(absl::StrContains(info, "Title:           Individual Placement Agreement\n"));
}

TEST_CASE("Characters special in PDF strings reach the metadata as written") {
  PlacementAgreementDocument d = SampleDocument();
  d.title = "Agreement (draft) \\ one";
  const Scratch scratch;
  const std::string info =
      scratch.Run(absl::StrCat("pdfinfo ", scratch.Write("a.pdf", Pdf(d).bytes)), "info.txt");
  CHECK(absl::StrContains(info, "Title:           Agreement (draft) \\ one\n"));
}

TEST_CASE("pdftotext reads the title, the costs, and the page and hash on every page") {
  const RenderedPdf pdf = Pdf(SampleDocument());
  const Scratch scratch;
  const std::string path = scratch.Write("sample.pdf", pdf.bytes);
  const int pages = scratch.PageCount(path);
  CHECK(pages == pdf.page_count);
  const std::string first = scratch.PageText(path, 1);
  CHECK(absl::StrContains(first, "Individual Placement Agreement"));
  CHECK(absl::StrContains(first, "Agreement IPA-2027-0042, version 2, issued 1 April 2027."));
  CHECK(absl::StrContains(first, "£1,234.56"));
  CHECK(absl::StrContains(first, "-£61.73"));
  CHECK(absl::StrContains(first, "£1,352.83"));
  for (int page = 1; page <= pages; ++page) {
    INFO("page " << page);
    const std::string text = scratch.PageText(path, page);
    CHECK(absl::StrContains(text, absl::StrCat("Content SHA-256: ", pdf.content_sha256)));
    CHECK(absl::StrContains(text, absl::StrCat("Page ", page, " of ", pages)));
    CHECK(absl::StrContains(text, "Agreement IPA-2027-0042, version 2"));
  }
}

TEST_CASE("Many cost lines span pages, and each page has the hash and the table's header") {
  const RenderedPdf pdf = Pdf(testing::DocumentWithCostLines(99));
  const Scratch scratch;
  const std::string path = scratch.Write("many.pdf", pdf.bytes);
  const int pages = scratch.PageCount(path);
  CHECK(pages == pdf.page_count);
  REQUIRE(pages >= 3);
  std::string all;
  for (int page = 1; page <= pages; ++page) {
    INFO("page " << page);
    const std::string text = scratch.PageText(path, page);
    CHECK(absl::StrContains(text, absl::StrCat("Content SHA-256: ", pdf.content_sha256)));
    CHECK(absl::StrContains(text, absl::StrCat("Page ", page, " of ", pages)));
    // A page holding cost lines below the first page's starts with the header row again.
    if (page > 1 && absl::StrContains(text, "Additional service")) {
      CHECK(absl::StrContains(text, "Weekly cost"));
    }
    all += text;
  }
  for (int i = 1; i <= 99; ++i) {
    INFO("line " << i);
    CHECK(absl::StrContains(all, absl::StrCat("Additional service ", i, ": one-to-one")));
  }
  CHECK(absl::StrContains(all, "£1,000.99"));
}

TEST_CASE("A long incentive flows over pages, line by line") {
  PlacementAgreementDocument d = SampleDocument();
  d.incentive.clear();
  for (int i = 1; i <= 190; ++i) {
    absl::StrAppend(&d.incentive, "Paragraph ", i, ": the provider earns the premium when the ",
                    "outcome is met and evidenced.\n");
  }
  REQUIRE(d.incentive.size() <= 20'000);
  const RenderedPdf pdf = Pdf(d);
  CHECK(pdf.page_count >= 4);
  const Scratch scratch;
  const std::string path = scratch.Write("incentive.pdf", pdf.bytes);
  std::string all;
  for (int page = 1; page <= pdf.page_count; ++page) all += scratch.PageText(path, page);
  CHECK(absl::StrContains(all, "Paragraph 1: the provider"));
  CHECK(absl::StrContains(all, "Paragraph 190: the provider"));
}

TEST_CASE("Text is printed as written, never read as markup") {
  const RenderedPdf pdf = Pdf(testing::HostileDocument());
  const Scratch scratch;
  const std::string path = scratch.Write("hostile.pdf", pdf.bytes);
  std::string all;
  for (int page = 1; page <= pdf.page_count; ++page) all += scratch.PageText(path, page);
  CHECK(absl::StrContains(all, testing::Hostile("title")));
  CHECK(absl::StrContains(all, testing::Hostile("cost_lines[0].label")));
  CHECK(absl::StrContains(all, testing::Hostile("incentive.line2")));
}

TEST_CASE("Refusals: a document over a limit, fonts that are not there") {
  PlacementAgreementDocument d = SampleDocument();
  d.key_contacts.assign(101, d.key_contacts[0]);
  absl::StatusOr<RenderedPdf> pdf = RenderPdf(d);
  CHECK(pdf.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(pdf.status().message() == "key_contacts: must have at most 100 items, got 101");

  pdf = RenderPdf(SampleDocument(), {}, {.font_directory = "/nonexistent"});
  CHECK(pdf.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK(pdf.status().message() ==
        "pdf: cannot read the font /nonexistent/DejaVuSans.ttf (Debian package "
        "fonts-dejavu-core)");
}

}  // namespace
}  // namespace dps::contracts::document
