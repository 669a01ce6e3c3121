// contracts_bench: how fast the award consumer turns a backlog of award events into DRAFT IPAs,
// and how long the agreement's PDF takes to render, each beside a baseline from the same run.
//
//   contracts_bench ADMIN_PG_URL REDIS_ADDRESS [AWARDS] [DOCUMENTS]
//
// ADMIN_PG_URL names a database the user may create databases from (postgresql://.../postgres).
// The benchmark (re)creates the database dps_contracts_bench beside it with the outbox's and the
// contracts service's migrations (schema contracts, as the service has them), then:
//   1. writes AWARDS (10,000) distinct referral.referral.awarded events, each its own referral
//      and bid, to two fresh Redis streams holding the same entries, as the relay writes them;
//   2. baseline: a StreamConsumer whose handler does nothing drains the first stream, so each
//      batch costs what the consumer itself costs: XREADGROUP, one transaction recording every
//      event id in the ledger (processed_events), XACK;
//   3. the AwardConsumer drains the second through a StreamConsumer with the same options (those
//      dps-contracts runs with: 100 entries a read), its preparer and handler as main.cc wires
//      them: IPAs made per second, and the ipas rows counted at the end. The AwardFactsSource
//      answers from memory: the qualification service is not what is measured here (in
//      production it is asked once per system, lot and establishment, then cached).
//   The two drain side by side, one read each in turn on one connection, every read timed on its
//   own; a rate is the entries over the sum of its reads' times. So load from elsewhere on the
//   machine falls on both alike. Beside each rate, the CPU time per event of this process and of
//   the PostgreSQL backend serving it (from /proc).
//   4. DOCUMENTS (200) of those IPAs completed (purposes, documents, contacts) and issued through
//      IpaUseCases::IssueIpa with the PdfAgreementRenderer, as the API issues them, which renders
//      each version 1 once and stores it (the warm-up: the fonts are loaded then); then each
//      version 1 rendered again, timed: as the PDF (whose SHA-256 must equal the stored one) and,
//      beside it, as the HTML page (RenderAgreementHtml). The HTML is the baseline because it is
//      the same document through the same view model, validation and content hash, with no
//      layout: the PDF renders that same HTML for the hash in its footer, then lays out and
//      draws the pages with Pango and Cairo. The difference is what the PDF itself costs. Each
//      render is timed by the clock and by this thread's CPU time.
// Output: key=value lines, rates per second, times in milliseconds.
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <map>
#include <numeric>
#include <pqxx/pqxx>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "dps/events/v1/events.pb.h"
#include "platform/clock/clock.h"
#include "platform/crypto/sha256.h"
#include "platform/events/consumer.h"
#include "platform/events/outbox.h"
#include "platform/events/outbox_migrations.h"
#include "platform/events/redis_client.h"
#include "platform/proto/proto_time.h"
#include "platform/pg/documents.h"
#include "platform/pg/migrations.h"
#include "platform/pg/pool.h"
#include "services/contracts/app/ipa_document.h"
#include "services/contracts/app/ipa_use_cases.h"
#include "services/contracts/consumers/award_events.h"
#include "services/contracts/storage/migrations.h"
#include "services/contracts/storage/pg_ipa_repository.h"

namespace dps::contracts {
namespace {

namespace ev = ::dps::events::v1;
namespace common = ::dps::common::v1;

constexpr char kDatabase[] = "dps_contracts_bench";
constexpr char kSchema[] = "contracts";
constexpr char kSystem[] = "bench-system";
constexpr char kLot[] = "bench-lot-residential";
constexpr int kEstablishments = 50;
constexpr int kStreamWriteBatch = 500;  // XADDs per pipeline when writing the streams
const char* const kAuthorities[] = {"brighton-and-hove", "west-sussex", "east-sussex", "surrey",
                                    "kent"};

// Replaces the database name at the end of a postgresql:// URL.
std::string WithDatabase(const std::string& url, const std::string& database) {
  const auto query = url.find('?');
  const std::string base = url.substr(0, query);
  const std::string tail = query == std::string::npos ? "" : url.substr(query);
  return base.substr(0, base.rfind('/') + 1) + database + tail;
}

int Fail(const std::string& what, const absl::Status& status) {
  std::fprintf(stderr, "contracts_bench: %s: %s\n", what.c_str(), status.ToString().c_str());
  return 1;
}

std::string Establishment(int n) { return absl::StrFormat("bench-est-%02d", n); }
std::string Provider(int n) { return absl::StrFormat("bench-provider-%02d", n / 2); }

// The facts the qualification service would give, held in memory; counts how often it is asked.
class MemoryFacts final : public AwardFactsSource {
 public:
  absl::StatusOr<AwardFacts> FactsOf(const std::string&, const std::string& system_id,
                                     const std::string& lot_id,
                                     const std::string& establishment_id) const override {
    asked_.fetch_add(1);
    if (system_id != kSystem || lot_id != kLot) return absl::NotFoundError("no such lot");
    AwardFacts facts;
    facts.lead_authority_id = "west-sussex";
    facts.provision_type = ProvisionType::kResidentialHome;
    facts.notice_period_days = 28;
    facts.service_labels = {{"1to1", "One-to-one support"}, {"therapy", "Weekly play therapy"}};
    for (const char* authority : kAuthorities) {
      facts.authority_names[authority] = absl::StrCat("Council of ", authority);
    }
    facts.provider_name = absl::StrCat("The provider of ", establishment_id);
    facts.establishment_name = absl::StrCat("The home ", establishment_id);
    facts.establishment_address = "1 High Street, Horsham, RH12 1AB";
    return facts;
  }
  int asked() const { return asked_.load(); }

 private:
  mutable std::atomic<int> asked_{0};
};

// A random version 4 UUID in the form PostgreSQL prints.
std::string NewUuid(std::mt19937_64& random) {
  const uint64_t high = (random() & ~uint64_t{0xf000}) | 0x4000;
  const uint64_t low = (random() & ~(uint64_t{0xc} << 60)) | (uint64_t{0x8} << 60);
  return absl::StrFormat("%08x-%04x-%04x-%04x-%012x", high >> 32, (high >> 16) & 0xffff,
                         high & 0xffff, low >> 48, low & 0xffffffffffff);
}

// Award number `i`: its own referral and bid, one of five authorities and 50 establishments,
// fees, dates and extras varying as awards do.
ev::EventEnvelope Award(int i, const std::string& event_id, absl::Time now) {
  ev::EventEnvelope envelope;
  envelope.set_event_id(event_id);
  envelope.set_type("referral.referral.awarded");
  envelope.set_aggregate_type("referral");
  envelope.set_aggregate_id(absl::StrFormat("bench-referral-%05d", i));
  *envelope.mutable_occurred_at() = platform::ToTimestamp(now);
  envelope.set_request_id(absl::StrCat("bench-request-", i));
  envelope.set_schema_version(1);
  envelope.set_system_id(kSystem);
  ev::ReferralAwarded& e = *envelope.mutable_referral_awarded();
  e.set_referral_id(envelope.aggregate_id());
  e.set_lot_id(kLot);
  e.set_placing_authority_id(kAuthorities[i % 5]);
  e.set_bid_id(absl::StrFormat("bench-bid-%05d", i));
  const int establishment = i % kEstablishments;
  e.set_establishment_id(Establishment(establishment));
  e.set_provider_id(Provider(establishment));
  e.set_price_basis(i % 4 == 0 ? common::PRICE_BASIS_MONTHLY : common::PRICE_BASIS_WEEKLY);
  e.mutable_core_fee()->set_pence(350'000 + (i % 200) * 500);
  if (i % 3 == 0) {
    auto* service = e.add_additional_services();
    service->set_code("1to1");
    service->set_units(10);
    service->set_rate_pence(2'500);
  }
  if (i % 7 == 0) e.set_sibling_discount_basis_points(500);
  *e.mutable_start_date() = platform::ToDate(absl::CivilDay(2027, 4, 1) + i % 90);
  e.set_planned_duration_months(6 + i % 18);
  if (i % 5 == 0) {
    e.mutable_incentive()->set_description("Back in school full time");
    e.mutable_incentive()->mutable_premium()->set_pence(50'000);
    *e.mutable_incentive()->mutable_achieve_by() = platform::ToDate(absl::CivilDay(2027, 12, 31));
  }
  e.set_children(1);
  return envelope;
}

struct Entry {
  std::string event_id;
  std::string aggregate_id;
  std::string request_id;
  std::string payload;
};

// Every entry XADDed to `stream` with the fields the relay writes, in pipelines.
absl::Status WriteStream(platform::RedisClient& redis, const std::string& stream,
                         const std::vector<Entry>& entries, const std::string& created_at) {
  namespace field = platform::stream_field;
  for (size_t from = 0; from < entries.size(); from += kStreamWriteBatch) {
    std::vector<std::vector<std::string>> commands;
    for (size_t i = from; i < std::min(entries.size(), from + kStreamWriteBatch); ++i) {
      const Entry& e = entries[i];
      commands.push_back({"XADD", stream, "*", field::kEventId, e.event_id, field::kType,
                          "referral.referral.awarded", field::kAggregateId, e.aggregate_id,
                          field::kRequestId, e.request_id, field::kCreatedAt, created_at,
                          field::kPayload, e.payload});
    }
    absl::StatusOr<std::vector<absl::StatusOr<platform::RedisValue>>> replies =
        redis.Pipeline(commands);
    if (!replies.ok()) return replies.status();
    for (const auto& reply : *replies) {
      if (!reply.ok()) return reply.status();
    }
  }
  return absl::OkStatus();
}

// CPU time (user and system) of this process, and of the PostgreSQL backend serving `pid`
// (from /proc: the benchmark runs beside its server), in milliseconds.
double OwnCpuMs() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto ms = [](const timeval& t) { return t.tv_sec * 1e3 + t.tv_usec / 1e3; };
  return ms(usage.ru_utime) + ms(usage.ru_stime);
}

double ThreadCpuMs() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

double BackendCpuMs(int pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  std::string stat((std::istreambuf_iterator<char>(in)), {});
  // Fields 14 and 15 (utime, stime, in clock ticks) follow the command name in parentheses.
  std::vector<std::string> fields = absl::StrSplit(stat.substr(stat.rfind(')') + 2), ' ');
  double ticks = 0, value = 0;
  for (size_t i : {size_t{11}, size_t{12}}) {
    if (i < fields.size() && absl::SimpleAtod(fields[i], &value)) ticks += value;
  }
  return ticks * 1e3 / sysconf(_SC_CLK_TCK);
}

// CPU spent by both ends of a consumer while it drains.
struct Cpu {
  double own_ms = 0;
  double backend_ms = 0;
};

absl::StatusOr<int> BackendPid(platform::PgPool& pool) {
  int pid = 0;
  absl::Status status = pool.InTransaction([&](pqxx::work& tx) {
    pid = tx.exec1("SELECT pg_backend_pid()")[0].as<int>();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return pid;
}

// A consumer draining its stream, and what its rounds have cost so far.
struct Drain {
  platform::StreamConsumer& consumer;
  int acknowledged = 0;
  double seconds = 0;
  Cpu cpu;
};

// Polls the consumers in turn, one round (one read of up to batch_size entries) each, until each
// has acknowledged `count` entries, timing every round and reading the CPU this process and the
// backend `backend_pid` (the consumers' one connection) spend in it. So the consumers drain side
// by side, and whatever else the machine is doing falls on both alike.
absl::Status DrainTogether(std::vector<Drain*> drains, int count, int backend_pid) {
  const absl::Time deadline = absl::Now() + absl::Minutes(10);
  bool more = true;
  while (more) {
    more = false;
    for (Drain* d : drains) {
      if (d->acknowledged >= count) continue;
      const double own = OwnCpuMs();
      const double backend = BackendCpuMs(backend_pid);
      const absl::Time start = absl::Now();
      absl::StatusOr<int> round = d->consumer.PollOnce();
      d->seconds += absl::ToDoubleSeconds(absl::Now() - start);
      d->cpu.own_ms += OwnCpuMs() - own;
      d->cpu.backend_ms += BackendCpuMs(backend_pid) - backend;
      if (!round.ok()) return round.status();
      d->acknowledged += *round;
      more = more || d->acknowledged < count;
    }
    if (absl::Now() > deadline) return absl::DeadlineExceededError("not drained in 10 minutes");
  }
  return absl::OkStatus();
}

absl::StatusOr<int> Count(platform::PgPool& pool, const std::string& sql) {
  int n = 0;
  absl::Status status = pool.InTransaction([&](pqxx::work& tx) {
    n = tx.exec1(sql)[0].as<int>();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return n;
}

absl::StatusOr<int64_t> StreamLength(platform::RedisClient& redis, const std::string& stream) {
  absl::StatusOr<platform::RedisValue> length = redis.Command({"XLEN", stream});
  if (!length.ok()) return length.status();
  return length->integer;
}

struct Times {
  double mean = 0;
  double p50 = 0;
  double p99 = 0;
};

Times TimesOf(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  const auto at = [&](double q) { return ms[std::min(ms.size() - 1, size_t(q * ms.size()))]; };
  return {std::accumulate(ms.begin(), ms.end(), 0.0) / ms.size(), at(0.50), at(0.99)};
}

void Print(const char* name, const Times& t) {
  std::printf("%s_ms_mean=%.3f\n%s_ms_p50=%.3f\n%s_ms_p99=%.3f\n", name, t.mean, name, t.p50, name,
              t.p99);
}

// The draft's terms completed as a placing officer completes them before issuing.
IpaTerms Completed(IpaTerms terms, const Ipa& ipa) {
  terms.purposes = {"A settled home near the child's school while the care plan is completed",
                    "Support to return to full-time education within one term"};
  terms.contacts = {{Party::kPlacingAuthority, "social worker", "Sam Jones",
                     "sam.jones@example.gov.uk", "01243 777100"},
                    {Party::kProvider, "registered manager", "Ali Khan", "ali@example.org", ""}};
  terms.costs.allowances = {{"pocket money", 1'000, AllowanceFrequency::kWeekly, true}};
  terms.costs.payment_terms = "Invoiced four-weekly in arrears, paid within 30 days";
  terms.documents = {
      {"Terms and conditions 2027", "documents/terms-2027.pdf", std::string(64, 'a')},
      {"Care plan", "documents/care-plan.pdf", std::string(64, 'b')}};
  terms.signatories = {
      {Party::kPlacingAuthority, "bench-officer", "Sam Jones", "Head of Placements"},
      {Party::kProvider, absl::StrCat(ipa.parties.provider_id, "-user"), "Ali Khan",
       "Registered manager"}};
  return terms;
}

int Main(int argc, char** argv) {
  int awards = 10000;
  int documents = 200;
  if (argc < 3 || argc > 5 || (argc >= 4 && !absl::SimpleAtoi(argv[3], &awards)) ||
      (argc == 5 && !absl::SimpleAtoi(argv[4], &documents)) || awards < 1 || documents < 1 ||
      documents > awards) {
    std::fprintf(stderr,
                 "usage: contracts_bench ADMIN_PG_URL REDIS_ADDRESS [AWARDS] [DOCUMENTS]\n");
    return 2;
  }
  const std::string admin_url = argv[1];
  const std::string url = WithDatabase(admin_url, kDatabase);
  absl::StatusOr<platform::RedisAddress> redis_address = platform::ParseRedisAddress(argv[2]);
  if (!redis_address.ok()) return Fail("the Redis address", redis_address.status());
  // ./dps bench's Redis has no default user: log in as its administrator.
  if (absl::Status login = platform::AddLoginFromEnvironment(*redis_address, "DPS_TEST_REDIS_USER",
                                                             "DPS_TEST_REDIS_PASSWORD_FILE");
      !login.ok()) {
    return Fail("the Redis login", login);
  }

  try {
    pqxx::connection admin(admin_url);
    pqxx::nontransaction tx(admin);
    tx.exec0(absl::StrCat("DROP DATABASE IF EXISTS ", kDatabase, " WITH (FORCE)"));
    tx.exec0(absl::StrCat("CREATE DATABASE ", kDatabase));
  } catch (const std::exception& e) {
    return Fail("creating the database", platform::StatusFromPgException(e));
  }
  platform::PgPool pool({.url = url, .schema = kSchema, .size = 2});
  absl::Status status = pool.WithConnection([](pqxx::connection& c) {
    const platform::MigrationSet sets[] = {{"platform", platform::OutboxMigrations()},
                                           {"contracts", ContractsMigrations()}};
    return platform::ApplyMigrations(c, kSchema, sets);
  });
  if (!status.ok()) return Fail("migrations", status);

  // --- 1. the backlog: the same entries in two fresh streams ---------------------------------
  std::mt19937_64 random(std::random_device{}());
  const absl::Time now = absl::Now();
  std::vector<Entry> entries;
  for (int i = 0; i < awards; ++i) {
    const std::string event_id = NewUuid(random);
    const ev::EventEnvelope envelope = Award(i, event_id, now);
    entries.push_back(
        {event_id, envelope.aggregate_id(), envelope.request_id(), envelope.SerializeAsString()});
  }
  platform::RedisClient redis(*redis_address, absl::Seconds(5));
  const std::string prefix = absl::StrCat("dps.bench.contracts.", getpid());
  const std::string bare_stream = prefix + ".bare";
  const std::string award_stream = prefix + ".awards";
  const std::string created_at = absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", now, absl::UTCTimeZone());
  for (const std::string& stream : {bare_stream, award_stream}) {
    if (absl::Status s = WriteStream(redis, stream, entries, created_at); !s.ok()) {
      return Fail("writing " + stream, s);
    }
  }
  std::printf("awards=%d\n", awards);

  // The options dps-contracts runs its award consumer with (main.cc), for both consumers; only
  // the wait on an empty stream is shorter.
  auto options = [](const std::string& stream, const std::string& group) {
    return platform::ConsumerOptions{.stream = stream,
                                     .group = group,
                                     .consumer = absl::StrCat("bench-", getpid()),
                                     .block = absl::Milliseconds(50)};
  };

  // Both consumers on one connection of their own, whose backend's CPU is read around a drain.
  platform::PgPool consumer_pool({.url = url, .schema = kSchema, .size = 1});
  absl::StatusOr<int> backend_pid = BackendPid(consumer_pool);
  if (!backend_pid.ok()) return Fail("connecting the consumers", backend_pid.status());

  // --- 2. baseline: the bare consumer, its own ledger and nothing else ----------------------
  platform::StreamConsumer bare(
      options(bare_stream, "bench-bare"), redis, consumer_pool,
      [](pqxx::work&, const platform::StreamEvent&) { return absl::OkStatus(); }, nullptr);

  // --- 3. the award consumer, as dps-contracts wires it -----------------------------------------
  const MemoryFacts facts;
  const PdfAgreementRenderer pdf;
  const platform::SystemClock clock;
  AwardConsumer consumer(facts, pdf, clock, [] { return platform::NewId("ipa"); });
  platform::StreamConsumer awarding(
      options(award_stream, kAwardGroup), redis, consumer_pool,
      [&](pqxx::work& tx, const platform::StreamEvent& e) { return consumer.Apply(tx, e); },
      nullptr, [&](const platform::StreamEvent& e) { return consumer.Prepare(e); });

  Drain bare_drain{bare};
  Drain award_drain{awarding};
  status = DrainTogether({&bare_drain, &award_drain}, awards, *backend_pid);
  if (!status.ok()) return Fail("draining", status);
  const double bare_rate = awards / bare_drain.seconds;
  const double award_rate = awards / award_drain.seconds;
  std::printf("bare_consumer_events_per_second=%.0f\n", bare_rate);
  std::printf("bare_cpu_ms_per_event_consumer=%.3f\nbare_cpu_ms_per_event_postgres=%.3f\n",
              bare_drain.cpu.own_ms / awards, bare_drain.cpu.backend_ms / awards);
  absl::StatusOr<int> ipas = Count(pool, "SELECT count(*) FROM ipas");
  if (!ipas.ok()) return Fail("counting the IPAs", ipas.status());
  absl::StatusOr<int> created =
      Count(pool, "SELECT count(*) FROM outbox WHERE event_type = 'contracts.ipa.created'");
  if (!created.ok()) return Fail("counting the events", created.status());
  absl::StatusOr<int64_t> dead = StreamLength(redis, award_stream + ".dead-letter");
  if (!dead.ok()) return Fail("reading the dead letters", dead.status());
  std::printf("ipas_per_second=%.0f\n", award_rate);
  std::printf("ipa_cpu_ms_per_event_consumer=%.3f\nipa_cpu_ms_per_event_postgres=%.3f\n",
              award_drain.cpu.own_ms / awards, award_drain.cpu.backend_ms / awards);
  std::printf("ipas=%d\nipa_created_events=%d\ndead_lettered=%lld\nfacts_asked=%d\n", *ipas,
              *created, static_cast<long long>(*dead), facts.asked());
  std::printf("ratio_ipas_over_bare=%.2f\n", award_rate / bare_rate);
  if (*ipas != awards) {
    std::fprintf(stderr, "contracts_bench: %d IPAs for %d awards\n", *ipas, awards);
    return 1;
  }

  // --- 4. the agreement's PDF ------------------------------------------------------------------
  std::vector<std::string> ids;
  status = pool.InTransaction([&](pqxx::work& tx) {
    for (const auto& row : tx.exec_params("SELECT id FROM ipas ORDER BY id LIMIT $1", documents)) {
      ids.push_back(row[0].as<std::string>());
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return Fail("choosing the IPAs", status);
  PgIpaUnitOfWork uow(pool);
  IpaUseCases cases(uow, pdf, clock, [] { return platform::NewId("ipa"); });
  std::vector<Ipa> issued;
  std::vector<double> issue_ms;
  for (const std::string& id : ids) {
    absl::StatusOr<IpaView> draft = cases.GetIpa(id, ContractsServiceActor());
    if (!draft.ok()) return Fail("reading " + id, draft.status());
    const Ipa& ipa = draft->stored.ipa;
    const Caller officer{
        .actor = {"bench-officer", Role::kPlacingOfficer, ipa.parties.placing_authority_id},
        .request_id = absl::StrCat("bench-issue-", id)};
    absl::StatusOr<StoredIpa> completed =
        cases.UpdateDraft(id, Completed(ipa.draft, ipa), std::nullopt, 0, officer);
    if (!completed.ok()) return Fail("completing " + id, completed.status());
    const absl::Time start = absl::Now();
    absl::StatusOr<StoredIpa> done = cases.IssueIpa(id, 0, officer);
    issue_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
    if (!done.ok()) return Fail("issuing " + id, done.status());
    issued.push_back(std::move(done->ipa));
  }
  // Each document as HTML, then as the PDF, one after the other, so both see the same machine;
  // beside the time, the CPU time of this thread (what other processes cannot inflate as much).
  std::vector<double> html_ms, pdf_ms, html_cpu_ms, pdf_cpu_ms;
  double html_bytes = 0, pdf_bytes = 0;
  for (const Ipa& ipa : issued) {
    const IpaVersion& version = ipa.versions.at(0);
    double cpu = ThreadCpuMs();
    absl::Time start = absl::Now();
    absl::StatusOr<std::string> html = RenderAgreementHtml(ipa, version);
    html_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
    html_cpu_ms.push_back(ThreadCpuMs() - cpu);
    if (!html.ok()) return Fail("the HTML of " + ipa.id, html.status());
    cpu = ThreadCpuMs();
    start = absl::Now();
    absl::StatusOr<std::string> bytes = pdf.RenderDocument(ipa, version);
    pdf_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
    pdf_cpu_ms.push_back(ThreadCpuMs() - cpu);
    if (!bytes.ok()) return Fail("the PDF of " + ipa.id, bytes.status());
    if (platform::Sha256Hex(*bytes) != version.document_sha256) {
      std::fprintf(stderr, "contracts_bench: the PDF of %s is not the one stored at issue\n",
                   ipa.id.c_str());
      return 1;
    }
    html_bytes += html->size();
    pdf_bytes += bytes->size();
  }
  const Times pdf_times = TimesOf(pdf_ms);
  const Times html_times = TimesOf(html_ms);
  std::printf("documents=%zu\n", issued.size());
  Print("pdf", pdf_times);
  std::printf("pdf_bytes_mean=%.0f\n", pdf_bytes / issued.size());
  Print("html", html_times);
  std::printf("html_bytes_mean=%.0f\n", html_bytes / issued.size());
  const double pdf_cpu = TimesOf(pdf_cpu_ms).mean;
  const double html_cpu = TimesOf(html_cpu_ms).mean;
  std::printf("pdf_cpu_ms_mean=%.3f\nhtml_cpu_ms_mean=%.3f\n", pdf_cpu, html_cpu);
  Print("issue", TimesOf(issue_ms));
  std::printf("ratio_pdf_over_html_mean=%.1f\nratio_pdf_over_html_cpu=%.1f\n",
              pdf_times.mean / html_times.mean, pdf_cpu / html_cpu);

  for (const std::string& stream : {bare_stream, award_stream}) {
    (void)redis.Command({"DEL", stream, stream + ".dead-letter"});
  }
  return 0;
}

}  // namespace
}  // namespace dps::contracts

int main(int argc, char** argv) { return dps::contracts::Main(argc, argv); }
