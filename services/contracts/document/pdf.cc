#include "services/contracts/document/pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>

#include <algorithm>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "platform/crypto/sha256.h"
#include "services/contracts/document/html.h"
#include "services/contracts/document/outline.h"

namespace dps::contracts::document {
namespace {

// --- Owning handles for the C libraries' objects ---------------------------------------------

struct GObjectUnref {
  void operator()(void* object) const { g_object_unref(object); }
};
struct CairoSurfaceDestroy {
  void operator()(cairo_surface_t* surface) const { cairo_surface_destroy(surface); }
};
struct CairoDestroy {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
};
struct FontDescriptionFree {
  void operator()(PangoFontDescription* font) const { pango_font_description_free(font); }
};
struct FcConfigDestroyer {
  void operator()(FcConfig* config) const { FcConfigDestroy(config); }
};
using FontMapPtr = std::unique_ptr<PangoFontMap, GObjectUnref>;
using ContextPtr = std::unique_ptr<PangoContext, GObjectUnref>;
using LayoutPtr = std::unique_ptr<PangoLayout, GObjectUnref>;
using SurfacePtr = std::unique_ptr<cairo_surface_t, CairoSurfaceDestroy>;
using CairoPtr = std::unique_ptr<cairo_t, CairoDestroy>;
using FontPtr = std::unique_ptr<PangoFontDescription, FontDescriptionFree>;

// --- Page geometry, in PDF points (1/72 inch) ------------------------------------------------

constexpr double kPageWidth = 595.276;  // A4
constexpr double kPageHeight = 841.89;
constexpr double kMargin = 56.693;  // 20 mm
constexpr double kTextWidth = kPageWidth - 2 * kMargin;
constexpr double kBodyTop = kMargin;
constexpr double kBodyBottom = kPageHeight - 79.37;  // 28 mm: room for the two-line footer
constexpr double kFooterTop = kPageHeight - 62.36;   // 22 mm
constexpr double kCellPadding = 3.0;
constexpr double kListIndent = 18.0;

// The three font files of fonts-dejavu-core the document uses.
constexpr const char* kFontFiles[] = {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf",
                                      "DejaVuSansMono.ttf"};

// A font map that sees the DejaVu files and nothing else. Building the fontconfig
// configuration ourselves, rather than FcInitLoadConfigAndFonts, keeps out /etc/fonts,
// ~/.config/fontconfig and FONTCONFIG_FILE, whose rules (hinting, substitutions, preferred
// families) and fonts differ between machines and would change the layout or the embedded fonts.
absl::StatusOr<FontMapPtr> DejaVuFontMap(const std::string& font_directory) {
  std::unique_ptr<FcConfig, FcConfigDestroyer> config(FcConfigCreate());
  if (config == nullptr) return absl::InternalError("pdf: fontconfig could not create a config");
  for (const char* file : kFontFiles) {
    const std::string path = absl::StrCat(font_directory, "/", file);
    if (!FcConfigAppFontAddFile(config.get(), reinterpret_cast<const FcChar8*>(path.c_str()))) {
      return absl::FailedPreconditionError(
          absl::StrCat("pdf: cannot read the font ", path, " (Debian package fonts-dejavu-core)"));
    }
  }
  FontMapPtr font_map(pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT));
  if (font_map == nullptr) return absl::InternalError("pdf: Pango has no FreeType font map");
  pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(font_map.get()), config.get());  // takes a ref
  return font_map;
}

// The font maps built so far, one per font directory, kept for the life of the process. Pango
// 1.50 never releases a font map's fontconfig configuration (about 10 KB, the parsed fonts), so a
// map per render would leak that much each time; and building one parses three font files.
// Pango's font maps are not thread-safe, so a render holds `mutex` throughout. IPAs are rendered
// a few times a day, in under 10 ms each once the map is built: not worth a map per thread.
struct SharedFontMaps {
  absl::Mutex mutex;
  absl::flat_hash_map<std::string, PangoFontMap*> by_directory ABSL_GUARDED_BY(mutex);
};

SharedFontMaps& FontMaps() {
  static SharedFontMaps* const maps = new SharedFontMaps;  // never destroyed: see above
  return *maps;
}

absl::StatusOr<PangoFontMap*> FontMapFor(SharedFontMaps& maps, const std::string& font_directory)
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(maps.mutex) {
  if (const auto it = maps.by_directory.find(font_directory); it != maps.by_directory.end()) {
    return it->second;
  }
  absl::StatusOr<FontMapPtr> font_map = DejaVuFontMap(font_directory);
  if (!font_map.ok()) return font_map.status();
  PangoFontMap* kept = font_map->release();
  maps.by_directory.emplace(font_directory, kept);
  return kept;
}

cairo_status_t AppendToString(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

double ToPoints(int pango_units) { return static_cast<double>(pango_units) / PANGO_SCALE; }

// The fonts of the document. The context's resolution is 72 dpi, so a size is in PDF points.
struct Fonts {
  FontPtr body{pango_font_description_from_string("DejaVu Sans 9.5")};
  FontPtr bold{pango_font_description_from_string("DejaVu Sans Bold 9.5")};
  FontPtr title{pango_font_description_from_string("DejaVu Sans Bold 17")};
  FontPtr section{pango_font_description_from_string("DejaVu Sans Bold 12.5")};
  FontPtr part{pango_font_description_from_string("DejaVu Sans Bold 10.5")};
  FontPtr footer{pango_font_description_from_string("DejaVu Sans 7.5")};
  FontPtr hash{pango_font_description_from_string("DejaVu Sans Mono 7.5")};
};

// Lays the outline's blocks down the pages, top to bottom, starting a new page when the next
// line, list item or table row would run into the footer. A paragraph may break between its
// lines; a table row never breaks, and a table's header row is repeated on each page it reaches.
class PageWriter final {
 public:
  // `total_pages` is 0 in the first pass, which only counts the pages.
  PageWriter(cairo_t* cr, PangoContext* context, const Fonts& fonts, const Outline& outline,
             const std::string& content_sha256, int total_pages)
      : cr_(cr),
        context_(context),
        fonts_(fonts),
        outline_(outline),
        content_sha256_(content_sha256),
        total_pages_(total_pages) {}

  void Write(const Heading& heading) {
    const PangoFontDescription* font = heading.level == 1   ? fonts_.title.get()
                                       : heading.level == 2 ? fonts_.section.get()
                                                            : fonts_.part.get();
    const double space_before = heading.level == 1 ? 0.0 : heading.level == 2 ? 12.0 : 8.0;
    LayoutPtr layout = Layout(heading.text, font, kTextWidth);
    const double height = Height(layout.get());
    // Keep a heading with at least the first lines of what follows it.
    if (y_ > kBodyTop && y_ + space_before + height + 40.0 > kBodyBottom) NewPage();
    if (y_ > kBodyTop) y_ += space_before;
    cairo_move_to(cr_, kMargin, y_);
    pango_cairo_show_layout(cr_, layout.get());
    y_ += height + 4.0;
  }

  void Write(const Paragraph& paragraph) {
    LayoutPtr layout = Layout(paragraph.text, fonts_.body.get(), kTextWidth);
    Flow(layout.get(), kMargin);
    y_ += 4.0;
  }

  void Write(const NumberedList& list) {
    for (size_t i = 0; i < list.items.size(); ++i) {
      LayoutPtr number = Layout(absl::StrCat(i + 1, "."), fonts_.body.get(), kListIndent);
      LayoutPtr item = Layout(list.items[i], fonts_.body.get(), kTextWidth - kListIndent);
      Flow(item.get(), kMargin + kListIndent, number.get());
      y_ += 2.0;
    }
    y_ += 2.0;
  }

  void Write(const Table& table) {
    const bool has_header = !table.columns.empty() && !table.columns.front().header.empty();
    std::vector<std::string> header;
    for (const Column& column : table.columns) header.push_back(column.header);
    y_ += 2.0;
    if (has_header) Row(table, header, RowKind::kHeader);
    for (const std::vector<std::string>& row : table.rows) {
      if (Row(table, row, RowKind::kBody)) {
        // The row did not fit and a new page was started: the header first, then the row.
        if (has_header) Row(table, header, RowKind::kHeader);
        Row(table, row, RowKind::kBody);
      }
    }
    if (table.total) Row(table, *table.total, RowKind::kTotal);
    y_ += 6.0;
  }

  // Ends the last page. Returns the number of pages.
  int Finish() {
    Footer();
    cairo_show_page(cr_);
    return page_;
  }

 private:
  enum class RowKind { kHeader, kBody, kTotal };

  LayoutPtr Layout(absl::string_view text, const PangoFontDescription* font, double width,
                   Align align = Align::kStart) const {
    LayoutPtr layout(pango_layout_new(context_));
    pango_layout_set_font_description(layout.get(), font);
    pango_layout_set_width(layout.get(), pango_units_from_double(width));
    // Break between words, and inside a word only when it is wider than the line (a hash, an
    // email address), so nothing runs past the margin.
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout.get(),
                               align == Align::kEnd ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
    // No hyphen where a word is broken: in an email address or a hash it would read as part of it.
    PangoAttrList* attributes = pango_attr_list_new();
    pango_attr_list_insert(attributes, pango_attr_insert_hyphens_new(FALSE));
    pango_layout_set_attributes(layout.get(), attributes);
    pango_attr_list_unref(attributes);
    // Plain text, never Pango markup, so nothing the caller wrote can change the formatting.
    pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
    return layout;
  }

  static double Height(PangoLayout* layout) {
    int width = 0;
    int height = 0;
    pango_layout_get_size(layout, &width, &height);
    return ToPoints(height);
  }

  // Draws `layout` line by line from y_, at `x`, moving to a new page between lines when the
  // next one would not fit. `label`, if given, is drawn to the left of the first line.
  void Flow(PangoLayout* layout, double x, PangoLayout* label = nullptr) {
    PangoLayoutIter* iter = pango_layout_get_iter(layout);
    double shift = y_;  // a line at layout height h is drawn at page height shift + h
    bool first = true;
    do {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(iter, nullptr, &logical);
      const double top = ToPoints(logical.y);
      const double bottom = ToPoints(logical.y + logical.height);
      if (shift + bottom > kBodyBottom && shift + top > kBodyTop) {
        NewPage();
        shift = kBodyTop - top;
      }
      if (first && label != nullptr) {
        cairo_move_to(cr_, x - kListIndent, shift + top);
        pango_cairo_show_layout(cr_, label);
      }
      first = false;
      cairo_move_to(cr_, x + ToPoints(logical.x),
                    shift + ToPoints(pango_layout_iter_get_baseline(iter)));
      pango_cairo_show_layout_line(cr_, pango_layout_iter_get_line_readonly(iter));
      y_ = shift + bottom;
    } while (pango_layout_iter_next_line(iter));
    pango_layout_iter_free(iter);
  }

  // Draws one row of `table` at y_. Returns true, having drawn nothing, if a body row did not
  // fit and a new page was started for it (so the caller can repeat the header first).
  bool Row(const Table& table, const std::vector<std::string>& cells, RowKind kind) {
    std::vector<LayoutPtr> layouts;
    double height = 0.0;
    for (size_t i = 0; i < cells.size(); ++i) {
      const Column& column = table.columns[i];
      const bool bold = kind != RowKind::kBody || (table.row_headers && i == 0);
      layouts.push_back(Layout(cells[i], bold ? fonts_.bold.get() : fonts_.body.get(),
                               column.width * kTextWidth - 2 * kCellPadding, column.align));
      height = std::max(height, Height(layouts.back().get()));
    }
    height += 2 * kCellPadding;
    // A header row needs room for one row after it, so it is never alone at a page's foot. Within
    // the limits no row is taller than a page; one that were would be drawn over the footer.
    const double needed = kind == RowKind::kHeader ? 2 * height : height;
    if (y_ + needed > kBodyBottom && y_ > kBodyTop) {
      NewPage();
      if (kind == RowKind::kBody) return true;
    }
    double x = kMargin;
    for (size_t i = 0; i < cells.size(); ++i) {
      const double width = table.columns[i].width * kTextWidth;
      if (kind == RowKind::kHeader) {
        cairo_set_source_rgb(cr_, 0.9, 0.9, 0.9);
        cairo_rectangle(cr_, x, y_, width, height);
        cairo_fill(cr_);
      }
      cairo_set_source_rgb(cr_, 0.55, 0.55, 0.55);
      cairo_set_line_width(cr_, kind == RowKind::kTotal ? 1.0 : 0.5);
      cairo_rectangle(cr_, x, y_, width, height);
      cairo_stroke(cr_);
      cairo_set_source_rgb(cr_, 0, 0, 0);
      cairo_move_to(cr_, x + kCellPadding, y_ + kCellPadding);
      pango_cairo_show_layout(cr_, layouts[i].get());
      x += width;
    }
    y_ += height;
    return false;
  }

  void NewPage() {
    Footer();
    cairo_show_page(cr_);
    ++page_;
    y_ = kBodyTop;
  }

  // The agreement and version, the page number and the content hash, under a rule.
  void Footer() {
    cairo_set_source_rgb(cr_, 0.55, 0.55, 0.55);
    cairo_set_line_width(cr_, 0.5);
    cairo_move_to(cr_, kMargin, kFooterTop);
    cairo_line_to(cr_, kMargin + kTextWidth, kFooterTop);
    cairo_stroke(cr_);
    cairo_set_source_rgb(cr_, 0, 0, 0);

    LayoutPtr label = Layout(outline_.footer_label, fonts_.footer.get(), kTextWidth * 0.7);
    cairo_move_to(cr_, kMargin, kFooterTop + 4.0);
    pango_cairo_show_layout(cr_, label.get());
    // The first pass does not know the count yet; it only needs the footer's height, which the
    // count does not change.
    const std::string page_of = total_pages_ > 0
                                    ? absl::StrCat("Page ", page_, " of ", total_pages_)
                                    : absl::StrCat("Page ", page_);
    LayoutPtr number = Layout(page_of, fonts_.footer.get(), kTextWidth * 0.3, Align::kEnd);
    cairo_move_to(cr_, kMargin + kTextWidth * 0.7, kFooterTop + 4.0);
    pango_cairo_show_layout(cr_, number.get());

    LayoutPtr hash =
        Layout(absl::StrCat("Content SHA-256: ", content_sha256_), fonts_.hash.get(), kTextWidth);
    cairo_move_to(cr_, kMargin, kFooterTop + 4.0 + Height(label.get()) + 2.0);
    pango_cairo_show_layout(cr_, hash.get());
  }

  cairo_t* cr_;
  PangoContext* context_;
  const Fonts& fonts_;
  const Outline& outline_;
  const std::string& content_sha256_;
  const int total_pages_;
  int page_ = 1;
  double y_ = kBodyTop;
};

// PDF date metadata from a calendar day: midnight UTC, so the bytes never depend on the clock.
std::string PdfDate(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02dT00:00:00Z", day.year(), day.month(), day.day());
}

// One complete rendering of the outline into a PDF held in `bytes`. Returns the number of pages.
absl::StatusOr<int> Render(const PlacementAgreementDocument& document, const Outline& outline,
                           const std::string& content_sha256, PangoFontMap* font_map,
                           int total_pages, std::string& bytes) {
  SurfacePtr surface(
      cairo_pdf_surface_create_for_stream(AppendToString, &bytes, kPageWidth, kPageHeight));
  const std::string date = PdfDate(document.issue_date);
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, date.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_MOD_DATE, date.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, outline.title.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_SUBJECT,
                                 outline.footer_label.c_str());
  const std::string keywords = absl::StrCat("content-sha256:", content_sha256);
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_KEYWORDS, keywords.c_str());
  const std::string creator = absl::StrCat("DPS ", kLayoutVersion);
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, creator.c_str());

  CairoPtr cr(cairo_create(surface.get()));
  ContextPtr context(pango_font_map_create_context(font_map));
  // Points as Pango's unit of font size (its default is 96 dpi, for screens).
  pango_cairo_context_set_resolution(context.get(), 72.0);
  // No hinting and no rounded glyph metrics: hinting belongs to screens and would make the
  // layout depend on FreeType's hinter.
  cairo_font_options_t* font_options = cairo_font_options_create();
  cairo_font_options_set_hint_style(font_options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics(font_options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options(context.get(), font_options);
  cairo_font_options_destroy(font_options);
  pango_cairo_update_context(cr.get(), context.get());

  const Fonts fonts;
  PageWriter writer(cr.get(), context.get(), fonts, outline, content_sha256, total_pages);
  for (const Block& block : outline.blocks) {
    std::visit([&writer](const auto& b) { writer.Write(b); }, block);
  }
  const int pages = writer.Finish();
  cairo_surface_finish(surface.get());
  if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) {
    return absl::InternalError(
        absl::StrCat("pdf: cairo: ", cairo_status_to_string(cairo_status(cr.get()))));
  }
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return absl::InternalError(
        absl::StrCat("pdf: cairo: ", cairo_status_to_string(cairo_surface_status(surface.get()))));
  }
  return pages;
}

}  // namespace

absl::StatusOr<RenderedPdf> RenderPdf(const PlacementAgreementDocument& document,
                                      const DocumentLimits& limits, const PdfOptions& options) {
  absl::StatusOr<std::string> html = RenderHtml(document, limits);  // validates
  if (!html.ok()) return html.status();
  SharedFontMaps& maps = FontMaps();
  absl::MutexLock lock(&maps.mutex);
  absl::StatusOr<PangoFontMap*> font_map = FontMapFor(maps, options.font_directory);
  if (!font_map.ok()) return font_map.status();

  RenderedPdf pdf;
  pdf.content_sha256 = platform::Sha256Hex(*html);
  const Outline outline = OutlineOf(document);
  // "Page n of N" needs N before the first page is finished, and a PDF page cannot be changed
  // once shown: so render once to count the pages, then again with the count. The footer's
  // height is the same in both passes, so the body breaks at the same places.
  std::string discarded;
  absl::StatusOr<int> counted =
      Render(document, outline, pdf.content_sha256, *font_map, 0, discarded);
  if (!counted.ok()) return counted.status();
  absl::StatusOr<int> pages =
      Render(document, outline, pdf.content_sha256, *font_map, *counted, pdf.bytes);
  if (!pages.ok()) return pages.status();
  if (*pages != *counted) {
    return absl::InternalError(
        absl::StrCat("pdf: the layout gave ", *counted, " pages, then ", *pages));
  }
  pdf.page_count = *pages;
  return pdf;
}

}  // namespace dps::contracts::document
