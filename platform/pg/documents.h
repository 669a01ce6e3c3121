// How a service keeps its records: each row's `doc` column holds the record's API message in
// protobuf's JSON mapping (field names as in the .proto, so an operator can query
// doc->>'lead_authority_id'), beside the columns queries need. These helpers read and write it,
// make record ids, and page lists by id.
#ifndef DPS_PLATFORM_PG_DOCUMENTS_H_
#define DPS_PLATFORM_PG_DOCUMENTS_H_

#include <google/protobuf/message.h>

#include <map>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "dps/common/v1/common.pb.h"

namespace dps::platform {

// The JSON for `doc`.
std::string ToDoc(const google::protobuf::Message& message);

// Parses a `doc` value; Internal (the database holds something we did not write) on failure.
absl::Status FromDoc(const pqxx::field& doc, google::protobuf::Message& message);

// ABORTED naming the record when `expected` is set (non-zero) and differs from `actual`: the
// optimistic-concurrency check of a change that was given expected_version.
absl::Status CheckVersion(absl::string_view entity, int64_t expected, int64_t actual);

// The rows of a count by key (SELECT state, count(*) ... GROUP BY state) as key -> count, for the
// figures a service shows on /metrics (platform/metrics/query_gauge.h).
std::map<std::string, double> CountsByKey(const pqxx::result& rows);

// A new record id: `prefix` and 20 random hex digits, e.g. "lot-3f9c0e6d1a2b4c5d6e7f".
std::string NewId(absl::string_view prefix);

// Paging by record id (or another position a list orders by). page_size 0 means 50; more than
// 500, or a negative size, is InvalidArgument naming "page.page_size".
//
// A page token is opaque to the client: base64url of a version byte, a fingerprint of the list
// request's filter (every field but `page`) and the position after which the next page starts.
// A token the server did not issue, or one issued for a different filter, is InvalidArgument
// naming "page.page_token", so a client cannot carry a position from one filter into another or
// come to depend on what a token holds. The fingerprint is a hash, not a signature: a client that
// forges a position gains nothing, since every list applies the caller's scope in its query.
//
// A page also ends when the items on it reach kMaxPageBytes encoded, so that a list answer stays
// far below the 4 MB message limit of standard gRPC clients (and its JSON through the gateway
// below the gateway's own limits) however large the records a filter matches; it then carries a
// next_page_token like any full page, and may hold fewer than page_size items while more follow.
inline constexpr size_t kMaxPageBytes = size_t{1} << 20;

struct Page {
  int size = 50;
  std::string after_id;  // the position the request's token carried; empty on the first page
  std::string filter;    // the fingerprint of the request's filter, written into tokens

  // The token for the page after `last`, the last position of this page.
  std::string TokenAfter(absl::string_view last) const;

  // Whether a page that holds `count` items of `bytes` encoded size takes no more: page_size
  // items, or kMaxPageBytes (never before the first item, so every page makes progress).
  bool Full(int count, size_t bytes) const {
    return count >= size || (count > 0 && bytes >= kMaxPageBytes);
  }
};

// The page of a list request (a message with a dps.common.v1.PageRequest field named `page`): the
// size checked, the token decoded against the rest of the request, and the request's timestamps
// checked (CheckTimestamps in platform/proto/proto_time.h).
absl::StatusOr<Page> ToPage(const google::protobuf::Message& request);

// Loads the doc of `table` row `id` into `message`, locking the row when `for_update`. NotFound
// as "<entity> <id>: not found".
absl::Status LoadDoc(pqxx::work& tx, absl::string_view table, absl::string_view entity,
                     const std::string& id, bool for_update, google::protobuf::Message& message);

// Fills a page from `items` read by a repository or a query (page.size + 1 at most, by id): `add`
// puts one into the response and returns its encoded size (or why it could not), and when a full
// page (Page::Full) leaves items over, the next page token names `id_of` the page's last item.
template <typename Items, typename IdOf, typename Add>
absl::Status FillPage(const Items& items, const Page& page, IdOf id_of, Add add,
                      dps::common::v1::PageResponse* response) {
  int count = 0;
  size_t bytes = 0;
  for (const auto& item : items) {
    if (page.Full(count, bytes)) {
      response->set_next_page_token(page.TokenAfter(id_of(items[count - 1])));
      break;
    }
    absl::StatusOr<size_t> added = add(item);
    if (!added.ok()) return added.status();
    bytes += *added;
    ++count;
  }
  return absl::OkStatus();
}

// The same for rows of a query whose first column is the doc and second the id: each doc read
// into a message created by `add`.
template <typename Message, typename Add>
absl::Status ReadPage(const pqxx::result& rows, const Page& page, Add add,
                      dps::common::v1::PageResponse* response) {
  return FillPage(
      rows, page, [](const pqxx::row& row) { return row[1].as<std::string>(); },
      [&](const pqxx::row& row) -> absl::StatusOr<size_t> {
        Message* message = add();
        if (absl::Status s = FromDoc(row[0], *message); !s.ok()) return s;
        return message->ByteSizeLong();
      },
      response);
}

}  // namespace dps::platform

#endif  // DPS_PLATFORM_PG_DOCUMENTS_H_
