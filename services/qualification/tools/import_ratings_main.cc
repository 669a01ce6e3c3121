// dps-import-ratings: sends an inspectorate's rating file (Ofsted's provider-level CSV) to the
// qualification service. The whole file is checked first; a malformed row stops it, naming the
// line, before anything is sent. Sending the same file again changes nothing.
//
//   export DPS_TOKEN=$(./dps token ROLE_LEAD_AUTHORITY_ADMIN west-sussex)
//   dps-import-ratings --file=data/ofsted/providers_at_2025-03-31.csv
//
// The caller is whoever the bearer token (--token, or DPS_TOKEN) proves: a lead-authority admin.
#include <grpcpp/grpcpp.h>

#include <cstdlib>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "dps/qualification/v1/qualification.grpc.pb.h"
#include "platform/grpc/caller.h"
#include "platform/grpc/tls.h"
#include "services/qualification/ratings/ofsted_csv.h"
#include "services/qualification/tools/rating_rows.h"

ABSL_FLAG(std::string, file, "", "the rating file (CSV)");
ABSL_FLAG(std::string, target, "127.0.0.1:7101", "the qualification service");
ABSL_FLAG(std::string, token, "",
          "a lead-authority admin's bearer token (default: the DPS_TOKEN environment variable)");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("sends an Ofsted rating file to the qualification service");
  absl::ParseCommandLine(argc, argv);
  std::string token = absl::GetFlag(FLAGS_token);
  if (token.empty() && std::getenv("DPS_TOKEN") != nullptr) token = std::getenv("DPS_TOKEN");
  if (absl::GetFlag(FLAGS_file).empty() || token.empty()) {
    std::cerr << "dps-import-ratings: --file and a token (--token or DPS_TOKEN) are required\n";
    return 2;
  }
  absl::StatusOr<dps::qualification::ratings::RatingFile> file =
      dps::qualification::ratings::ReadOfstedCsvFile(absl::GetFlag(FLAGS_file));
  if (!file.ok()) {
    std::cerr << "dps-import-ratings: " << file.status().message() << "\n";
    return 1;
  }
  auto stub = dps::qualification::v1::QualificationService::NewStub(grpc::CreateChannel(
      absl::GetFlag(FLAGS_target), dps::platform::ToolChannelCredentials("dps-import-ratings")));
  int recorded = 0, suspensions = 0, unknown = 0;
  for (const auto& request : dps::qualification::tools::ToImportRequests(*file)) {
    grpc::ClientContext context;
    dps::platform::AddBearerToken(context, token);
    dps::qualification::v1::ImportInspectionRatingsResponse response;
    grpc::Status status = stub->ImportInspectionRatings(&context, request, &response);
    if (!status.ok()) {
      std::cerr << "dps-import-ratings: " << status.error_message() << "\n";
      return 1;
    }
    recorded += response.recorded();
    suspensions += response.suspensions();
    for (const auto& result : response.results()) {
      if (result.outcome() == dps::qualification::v1::IMPORT_ROW_OUTCOME_UNKNOWN_REF) ++unknown;
    }
  }
  std::cout << file->records.size() << " rows: " << recorded << " new ratings, " << suspensions
            << " suspensions, " << unknown << " for establishments not on the register\n";
  return 0;
}
