#include "platform/pg/documents.h"

#include <google/protobuf/util/json_util.h>

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"

namespace dps::platform {

std::string ToDoc(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  // Printing a message we built cannot fail; an empty object would still parse back.
  if (!google::protobuf::util::MessageToJsonString(message, &json, options).ok()) json = "{}";
  return json;
}

absl::Status FromDoc(const pqxx::field& doc, google::protobuf::Message& message) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;  // a newer build's fields in an older build's hands
  auto status = google::protobuf::util::JsonStringToMessage(doc.c_str(), &message, options);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat("stored ", message.GetDescriptor()->name(),
                                            " does not parse: ", status.ToString()));
  }
  return absl::OkStatus();
}

absl::Status CheckVersion(absl::string_view entity, int64_t expected, int64_t actual) {
  if (expected != 0 && expected != actual) {
    return absl::AbortedError(absl::StrCat(entity, ": changed since version ", expected, " (now ",
                                           actual, "); read it again and retry"));
  }
  return absl::OkStatus();
}

std::string NewId(absl::string_view prefix) {
  static absl::Mutex mutex(absl::kConstInit);
  static std::mt19937_64 random(std::random_device{}());
  absl::MutexLock lock(&mutex);
  uint64_t high = random();
  uint32_t low = static_cast<uint32_t>(random());
  return absl::StrFormat("%s-%016x%04x", prefix, high, low & 0xffff);
}

absl::StatusOr<Page> ToPage(const dps::common::v1::PageRequest& request) {
  if (request.page_size() < 0 || request.page_size() > 500) {
    return absl::InvalidArgumentError(
        absl::StrCat("page.page_size: must be between 0 and 500, got ", request.page_size()));
  }
  return Page{.size = request.page_size() == 0 ? 50 : request.page_size(),
              .after_id = request.page_token()};
}

absl::Status LoadDoc(pqxx::work& tx, absl::string_view table, absl::string_view entity,
                     const std::string& id, bool for_update, google::protobuf::Message& message) {
  if (id.empty()) return absl::InvalidArgumentError(absl::StrCat(entity, "_id: required"));
  pqxx::result rows = tx.exec_params(
      absl::StrCat("SELECT doc FROM ", table, " WHERE id = $1", for_update ? " FOR UPDATE" : ""),
      id);
  if (rows.empty()) return absl::NotFoundError(absl::StrCat(entity, " ", id, ": not found"));
  return FromDoc(rows[0][0], message);
}

}  // namespace dps::platform
