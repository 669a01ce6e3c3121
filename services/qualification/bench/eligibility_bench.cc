// eligibility_bench: latency of the eligibility query over a register of 20,000 establishments,
// with the spatial index on invitable_members (lot_id, position) and without it.
//
//   eligibility_bench ADMIN_PG_URL [DATA_DIR]
//
// ADMIN_PG_URL names a database the user may create databases from (postgresql://.../postgres).
// The benchmark (re)creates the database dps_eligibility_bench beside it, applies the
// qualification migrations, loads 20,000 generated establishments (services/qualification/tools)
// and makes 2,000 referrals: children placed at postcode-district centroids drawn by the number of
// active postcodes (where children live), radius 20/40/60 miles (half, 30%, 20%), the lot of a
// residential, fostering or SEN referral, an age and gender, and for one query in five a
// required specialism.
//
// Every eligible member of a referral is invited, and the referral service reads them as the API
// serves them: FindEligibleEstablishments pages of at most 500 (the API's maximum page size),
// nearest first, each page one call and one transaction. So the figure the target applies to is
// the latency of one page call ("page"); beside it, per referral, the sum of its page calls
// ("referral") and the whole result in one query of up to 10,000 rows ("whole"). Each is timed
// around its transaction from this client, as the service would see it. Then it drops the index
// and times the first QUERIES_WITHOUT referrals again. Output: key=value lines, times in
// milliseconds.
#include <algorithm>
#include <cstdio>
#include <pqxx/pqxx>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "platform/pg/migrations.h"
#include "platform/pg/pool.h"
#include "services/qualification/storage/eligibility_repository.h"
#include "services/qualification/storage/migrations.h"
#include "services/qualification/storage/register_loader.h"
#include "services/qualification/tools/establishment_generator.h"

namespace dps::qualification {
namespace {

constexpr char kDatabase[] = "dps_eligibility_bench";
constexpr char kSchema[] = "qualification";
constexpr int kEstablishments = 20000;
constexpr int kQueries = 2000;
constexpr int kQueriesWithout = 200;
constexpr int kWarmUp = 100;

// Replaces the database name at the end of a postgresql:// URL.
std::string WithDatabase(const std::string& url, const std::string& database) {
  const auto query = url.find('?');
  const std::string base = url.substr(0, query);
  const std::string tail = query == std::string::npos ? "" : url.substr(query);
  return base.substr(0, base.rfind('/') + 1) + database + tail;
}

int Fail(const std::string& what, const absl::Status& status) {
  std::fprintf(stderr, "eligibility_bench: %s: %s\n", what.c_str(), status.ToString().c_str());
  return 1;
}

// A fixed, realistic mix of referrals (see the top of the file).
std::vector<EligibilityQuery> MakeQueries(const std::vector<tools::PostcodeDistrict>& districts) {
  std::mt19937_64 random(20250401);
  std::vector<double> weights;
  for (const tools::PostcodeDistrict& d : districts) weights.push_back(d.active_postcodes);
  std::discrete_distribution<size_t> district(weights.begin(), weights.end());
  std::uniform_int_distribution<int> percent(0, 99);
  std::vector<EligibilityQuery> queries;
  for (int i = 0; i < kQueries; ++i) {
    const tools::PostcodeDistrict& d = districts[district(random)];
    EligibilityQuery q;
    q.latitude = d.latitude;
    q.longitude = d.longitude;
    const int r = percent(random);
    q.radius_miles = r < 50 ? 20 : r < 80 ? 40 : 60;
    const int lot = percent(random);
    if (lot < 60) {
      q.lot_id = kResidentialLot;
      q.child_age = 8 + percent(random) % 10;
      if (percent(random) < 20) q.required_specialisms = {"trauma-informed"};
    } else if (lot < 80) {
      q.lot_id = kFosteringLot;
      q.child_age = percent(random) % 18;
      if (percent(random) < 20) q.required_specialisms = {"teenagers"};
    } else {
      q.lot_id = kSenLot;
      q.child_age = 7 + percent(random) % 12;
      if (percent(random) < 20) q.required_specialisms = {"autism"};
    }
    const int g = percent(random);
    q.child_gender = g < 48 ? "male" : g < 96 ? "female" : "other";
    queries.push_back(std::move(q));
  }
  return queries;
}

constexpr int kPageSize = 500;

struct Figures {
  double p50_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
};

Figures Percentiles(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  const auto at = [&](double q) { return ms[std::min(ms.size() - 1, size_t(q * ms.size()))]; };
  return Figures{at(0.50), at(0.99), ms.back()};
}

struct Run {
  Figures page;      // one page call
  Figures referral;  // all the page calls of one referral
  Figures whole;     // the whole result in one call
  size_t pages = 0;
  double mean_results = 0;
  size_t max_results = 0;
};

// One query in one transaction, as one gRPC call makes it. Returns the page and its time.
absl::StatusOr<std::pair<EligibilityPage, double>> Call(platform::PgPool& pool,
                                                        const EligibilityQuery& query) {
  EligibilityPage page;
  const absl::Time start = absl::Now();
  const absl::Status status = pool.InTransaction([&](pqxx::work& tx) -> absl::Status {
    absl::StatusOr<EligibilityPage> found = FindEligiblePage(tx, query);
    if (!found.ok()) return found.status();
    page = *std::move(found);
    return absl::OkStatus();
  });
  const double ms = absl::ToDoubleMilliseconds(absl::Now() - start);
  if (!status.ok()) return status;
  return std::make_pair(std::move(page), ms);
}

absl::StatusOr<Run> Measure(platform::PgPool& pool, const std::vector<EligibilityQuery>& queries,
                            int count) {
  std::vector<double> page_ms, referral_ms, whole_ms;
  Run run;
  size_t results = 0;
  for (int i = 0; i < count; ++i) {
    EligibilityQuery q = queries[i];
    q.limit = kPageSize;
    double total = 0;
    size_t found = 0;
    do {
      absl::StatusOr<std::pair<EligibilityPage, double>> page = Call(pool, q);
      if (!page.ok()) return page.status();
      page_ms.push_back(page->second);
      total += page->second;
      found += page->first.establishments.size();
      q.page_token = page->first.next_page_token;
    } while (!q.page_token.empty());
    referral_ms.push_back(total);

    q = queries[i];
    q.limit = kMaxEligibilityLimit;
    absl::StatusOr<std::pair<EligibilityPage, double>> whole = Call(pool, q);
    if (!whole.ok()) return whole.status();
    whole_ms.push_back(whole->second);
    if (whole->first.establishments.size() != found) {
      return absl::InternalError(absl::StrCat("referral ", i, ": pages returned ", found,
                                              ", the whole query ",
                                              whole->first.establishments.size()));
    }
    results += found;
    run.max_results = std::max(run.max_results, found);
  }
  run.page = Percentiles(page_ms);
  run.referral = Percentiles(referral_ms);
  run.whole = Percentiles(whole_ms);
  run.pages = page_ms.size();
  run.mean_results = double(results) / count;
  return run;
}

void Print(const std::string& prefix, const Run& run) {
  std::printf("%s_page_calls=%zu\n", prefix.c_str(), run.pages);
  const std::pair<const char*, const Figures*> rows[] = {
      {"page", &run.page}, {"referral", &run.referral}, {"whole", &run.whole}};
  for (const auto& [name, f] : rows) {
    std::printf("%s_%s_p50_ms=%.3f\n%s_%s_p99_ms=%.3f\n%s_%s_max_ms=%.3f\n", prefix.c_str(), name,
                f->p50_ms, prefix.c_str(), name, f->p99_ms, prefix.c_str(), name, f->max_ms);
  }
  std::printf("%s_mean_results=%.1f\n%s_max_results=%zu\n", prefix.c_str(), run.mean_results,
              prefix.c_str(), run.max_results);
}

int Main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: eligibility_bench ADMIN_PG_URL [DATA_DIR]\n");
    return 2;
  }
  const std::string admin_url = argv[1];
  const std::string data_dir = argc == 3 ? argv[2] : DPS_DATA_DIR;
  const std::string url = WithDatabase(admin_url, kDatabase);
  try {
    pqxx::connection admin(admin_url);
    pqxx::nontransaction tx(admin);
    tx.exec0(absl::StrCat("DROP DATABASE IF EXISTS ", kDatabase, " WITH (FORCE)"));
    tx.exec0(absl::StrCat("CREATE DATABASE ", kDatabase));
  } catch (const std::exception& e) {
    return Fail("creating the database", platform::StatusFromPgException(e));
  }

  platform::PgPool pool({.url = url, .schema = kSchema, .size = 1});
  absl::Status status = pool.WithConnection([](pqxx::connection& c) {
    const platform::MigrationSet sets[] = {{"qualification", QualificationMigrations()}};
    return platform::ApplyMigrations(c, kSchema, sets);
  });
  if (!status.ok()) return Fail("migrations", status);

  absl::StatusOr<tools::GeneratorInput> input = tools::LoadGeneratorInput(data_dir);
  if (!input.ok()) return Fail("reading " + data_dir, input.status());
  absl::StatusOr<std::vector<tools::Establishment>> establishments =
      tools::GenerateEstablishments(*input, {.count = kEstablishments, .seed = 42});
  if (!establishments.ok()) return Fail("generating", establishments.status());
  const absl::Time load_start = absl::Now();
  status = pool.InTransaction(
      [&](pqxx::work& tx) { return LoadGeneratedRegister(tx, *establishments, {}); });
  if (!status.ok()) return Fail("loading", status);
  status = pool.WithConnection([](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    tx.exec0("VACUUM ANALYZE");
    return absl::OkStatus();
  });
  if (!status.ok()) return Fail("analyze", status);
  std::printf("establishments=%d\nload_ms=%.0f\n", kEstablishments,
              absl::ToDoubleMilliseconds(absl::Now() - load_start));

  const std::vector<EligibilityQuery> queries = MakeQueries(input->districts);
  if (absl::StatusOr<Run> warm = Measure(pool, queries, kWarmUp); !warm.ok()) {
    return Fail("warm-up", warm.status());
  }
  absl::StatusOr<Run> with_index = Measure(pool, queries, kQueries);
  if (!with_index.ok()) return Fail("queries with the index", with_index.status());
  std::printf("page_size=%d\nreferrals_with_index=%d\n", kPageSize, kQueries);
  Print("with_index", *with_index);

  status = pool.InTransaction([](pqxx::work& tx) {
    tx.exec0("DROP INDEX invitable_members_lot_position");
    return absl::OkStatus();
  });
  if (!status.ok()) return Fail("dropping the index", status);
  absl::StatusOr<Run> without = Measure(pool, queries, kQueriesWithout);
  if (!without.ok()) return Fail("queries without the index", without.status());
  std::printf("referrals_without_index=%d\n", kQueriesWithout);
  Print("without_index", *without);
  std::printf(
      "ratio_page_p50_without_over_with=%.1f\nratio_page_p99_without_over_with=%.1f\n"
      "ratio_whole_p99_without_over_with=%.1f\n",
      without->page.p50_ms / with_index->page.p50_ms,
      without->page.p99_ms / with_index->page.p99_ms,
      without->whole.p99_ms / with_index->whole.p99_ms);
  return 0;
}

}  // namespace
}  // namespace dps::qualification

int main(int argc, char** argv) { return dps::qualification::Main(argc, argv); }
