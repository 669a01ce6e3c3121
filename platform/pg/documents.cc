#include "platform/pg/documents.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/json_util.h>

#include <memory>
#include <random>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "platform/crypto/sha256.h"
#include "platform/proto/proto_time.h"

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

std::map<std::string, double> CountsByKey(const pqxx::result& rows) {
  std::map<std::string, double> counts;
  for (const pqxx::row& row : rows) counts[row[0].as<std::string>()] = row[1].as<double>();
  return counts;
}

std::string NewId(absl::string_view prefix) {
  static absl::Mutex mutex(absl::kConstInit);
  static std::mt19937_64 random(std::random_device{}());
  absl::MutexLock lock(&mutex);
  uint64_t high = random();
  uint32_t low = static_cast<uint32_t>(random());
  return absl::StrFormat("%s-%016x%04x", prefix, high, low & 0xffff);
}

namespace {

constexpr char kTokenVersion = '\x01';
constexpr size_t kFingerprintBytes = 8;
// Far beyond any position a list writes (ids, or a few ids joined); refused before decoding.
constexpr size_t kMaxTokenLength = 1024;

absl::Status NotOurToken() {
  return absl::InvalidArgumentError("page.page_token: not a token this list gave");
}

// The first bytes of SHA-256 over the request without its page, serialised deterministically so
// that equal filters give equal fingerprints.
std::string FilterFingerprint(const google::protobuf::Message& request,
                              const google::protobuf::FieldDescriptor* page_field) {
  std::unique_ptr<google::protobuf::Message> filter(request.New());
  filter->CopyFrom(request);
  filter->GetReflection()->ClearField(filter.get(), page_field);
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    filter->SerializeToCodedStream(&coded);
  }
  return absl::HexStringToBytes(Sha256Hex(bytes)).substr(0, kFingerprintBytes);
}

}  // namespace

std::string Page::TokenAfter(absl::string_view last) const {
  return absl::WebSafeBase64Escape(absl::StrCat(std::string(1, kTokenVersion), filter, last));
}

absl::StatusOr<Page> ToPage(const google::protobuf::Message& request) {
  const google::protobuf::FieldDescriptor* page_field =
      request.GetDescriptor()->FindFieldByName("page");
  if (page_field == nullptr ||
      page_field->message_type() != dps::common::v1::PageRequest::descriptor()) {
    return absl::InternalError(
        absl::StrCat(request.GetDescriptor()->full_name(), " has no PageRequest page"));
  }
  // A list's filters are the request's timestamps a handler reads; see proto_time.h.
  if (absl::Status s = CheckTimestamps(request); !s.ok()) return s;
  dps::common::v1::PageRequest page_request;
  page_request.CopyFrom(request.GetReflection()->GetMessage(request, page_field));
  if (page_request.page_size() < 0 || page_request.page_size() > 500) {
    return absl::InvalidArgumentError(
        absl::StrCat("page.page_size: must be between 0 and 500, got ", page_request.page_size()));
  }
  Page page{.size = page_request.page_size() == 0 ? 50 : page_request.page_size(),
            .filter = FilterFingerprint(request, page_field)};
  const std::string& token = page_request.page_token();
  if (token.empty()) return page;
  std::string bytes;
  if (token.size() > kMaxTokenLength || !absl::WebSafeBase64Unescape(token, &bytes) ||
      bytes.size() <= 1 + kFingerprintBytes || bytes[0] != kTokenVersion) {
    return NotOurToken();
  }
  if (bytes.compare(1, kFingerprintBytes, page.filter) != 0) {
    return absl::InvalidArgumentError(
        "page.page_token: given for a different filter; ask for the first page again");
  }
  page.after_id = bytes.substr(1 + kFingerprintBytes);
  return page;
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
