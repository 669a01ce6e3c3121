// dps-generate-establishments: writes a realistic data set of establishments as CSV.
//
//   dps-generate-establishments --count=20000 --seed=42 --out=establishments.csv
//   dps-generate-establishments --data_dir=/srv/dps/data > establishments.csv
//
// Reads the public data under --data_dir (default: the repository's data/ folder at build time);
// see services/qualification/tools/README.md for the columns.
#include <fstream>
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "services/qualification/tools/establishment_generator.h"

ABSL_FLAG(int, count, 20000, "how many establishments to generate");
ABSL_FLAG(uint64_t, seed, 1, "random seed: the same seed gives the same file");
ABSL_FLAG(std::string, out, "-", "output path, or - for standard output");
ABSL_FLAG(std::string, data_dir, DPS_DATA_DIR,
          "folder holding ofsted/providers_at_2025-03-31.csv and geo/*.csv");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Generates establishments grown from real Ofsted and ONS data, as CSV.");
  absl::ParseCommandLine(argc, argv);
  namespace tools = dps::qualification::tools;

  absl::StatusOr<tools::GeneratorInput> input =
      tools::LoadGeneratorInput(absl::GetFlag(FLAGS_data_dir));
  if (!input.ok()) {
    std::cerr << "dps-generate-establishments: " << input.status() << "\n";
    return 1;
  }
  absl::StatusOr<std::vector<tools::Establishment>> establishments = tools::GenerateEstablishments(
      *input, {.count = absl::GetFlag(FLAGS_count), .seed = absl::GetFlag(FLAGS_seed)});
  if (!establishments.ok()) {
    std::cerr << "dps-generate-establishments: " << establishments.status() << "\n";
    return 2;
  }
  const std::string path = absl::GetFlag(FLAGS_out);
  if (path == "-") {
    tools::WriteEstablishmentsCsv(*establishments, std::cout);
    return std::cout.good() ? 0 : 3;
  }
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  tools::WriteEstablishmentsCsv(*establishments, file);
  file.close();
  if (!file) {
    std::cerr << "dps-generate-establishments: cannot write " << path << "\n";
    return 3;
  }
  std::cerr << "wrote " << establishments->size() << " establishments to " << path << "\n";
  return 0;
}
