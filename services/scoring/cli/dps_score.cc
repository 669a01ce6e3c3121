// dps-score: score one mini-competition from the command line, so an officer or an auditor can
// reproduce a result from its request.
//
//   dps-score [--max-bids N] [request.json | -]
//
// Reads an EvaluateRequest as proto3 JSON (from the file, or stdin when the argument is absent or
// "-"), prints the EvaluateResponse as JSON on stdout. Bad JSON or an invalid request prints one
// line naming the field on stderr and exits 2; a file that cannot be read exits 1.
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "dps/scoring/v1/scoring.pb.h"
#include "services/scoring/api/proto_convert.h"
#include "services/scoring/domain/score.h"

namespace {

constexpr int kExitUnreadable = 1;
constexpr int kExitInvalid = 2;

// Prints `message` as one line: the JSON parser's messages span several lines.
int Fail(int code, std::string message) {
  std::replace(message.begin(), message.end(), '\n', ' ');
  std::cerr << "dps-score: " << absl::StripAsciiWhitespace(message) << "\n";
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  dps::scoring::Limits limits;
  std::string path = "-";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--max-bids" && i + 1 < argc) {
      if (!absl::SimpleAtoi(argv[++i], &limits.max_bids) || limits.max_bids < 0) {
        return Fail(kExitInvalid, absl::StrCat("--max-bids: not a count: ", argv[i]));
      }
    } else if (arg == "-h" || arg == "--help") {
      std::cout << "usage: dps-score [--max-bids N] [request.json | -]\n";
      return 0;
    } else {
      path = arg;
    }
  }

  std::string json;
  if (path == "-") {
    json.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    // A directory opens as a stream on Linux and fails only when read, so ask first; and a
    // failed read is reported, never thrown out of main.
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) {
      return Fail(kExitUnreadable, absl::StrCat(path, ": cannot be read (not a file)"));
    }
    std::ifstream file(path, std::ios::binary);
    if (!file) return Fail(kExitUnreadable, absl::StrCat(path, ": cannot be read"));
    std::ostringstream text;
    text << file.rdbuf();
    if (file.bad()) return Fail(kExitUnreadable, absl::StrCat(path, ": cannot be read"));
    json = std::move(text).str();
  }

  dps::scoring::v1::EvaluateRequest request;
  if (auto status = google::protobuf::util::JsonStringToMessage(json, &request); !status.ok()) {
    return Fail(kExitInvalid, absl::StrCat("request is not valid JSON for EvaluateRequest: ",
                                           std::string(status.message())));
  }
  absl::StatusOr<dps::scoring::Competition> competition = dps::scoring::FromProto(request);
  if (!competition.ok()) return Fail(kExitInvalid, std::string(competition.status().message()));
  absl::StatusOr<dps::scoring::Evaluation> evaluation =
      dps::scoring::Evaluate(*competition, limits);
  if (!evaluation.ok()) return Fail(kExitInvalid, std::string(evaluation.status().message()));

  dps::scoring::v1::EvaluateResponse response;
  dps::scoring::ToProto(*competition, *evaluation, &response);
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  // Print zeros and false too: an auditor should see "band": 0, not wonder where it went.
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  std::string out;
  if (auto status = google::protobuf::util::MessageToJsonString(response, &out, options);
      !status.ok()) {
    return Fail(EXIT_FAILURE,
                absl::StrCat("cannot print the response: ", std::string(status.message())));
  }
  std::cout << out;
  return 0;
}
