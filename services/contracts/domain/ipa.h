// The Individual Placement Agreement (docs/rules.md section 7) and its life cycle:
//
//   CreateIpa --> DRAFT --Issue--> ISSUED --Sign x2--> SIGNED --Activate--> ACTIVE --End--> ENDED
//                   |                |  ^                 |                          ^
//                   |                |  +--Reissue        +--------------End---------+
//                   +--Cancel--------+--Cancel--> CANCELLED
//
// An IPA comes from one source (an award, a direct award or a block call-off); SourceKey names the
// source so a replayed event finds the IPA it already made. Its parties are the placing authority
// and the provider (for one of its establishments).
//
// Versions. Issuing renders version 1 (through the VersionRenderer the caller passes) and fixes
// its SHA-256; from then on a version's terms and hash are never written again. Both parties sign
// the hash of the version awaiting signatures; once both have, that version is in force and the
// one before it is superseded. Reissue (ISSUED only) replaces a version nobody has finished
// signing; a variation (variation.h) adds a version to a SIGNED or ACTIVE IPA; an approved fee
// uplift (fee_uplift.h) adds one too. At most one version awaits signatures at a time.
//
// Errors: a forbidden transition is FailedPrecondition naming the state and the action,
//   ipa: cannot issue an IPA that is SIGNED
// a caller acting for the wrong organisation or in the wrong role is PermissionDenied, and bad
// input is InvalidArgument "field: rule" (fields.h). A function changes the Ipa passed in only
// when it succeeds. Nothing reads the clock: `now` is a parameter, in UTC, and "today" is its UTC
// day.

#ifndef DPS_SERVICES_CONTRACTS_DOMAIN_IPA_H_
#define DPS_SERVICES_CONTRACTS_DOMAIN_IPA_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/contracts/domain/children.h"
#include "services/contracts/domain/terms.h"

namespace dps::contracts {

// The roles of dps.common.v1.Role.
enum class Role {
  kLeadAuthorityAdmin,
  kEvaluator,
  kPlacingOfficer,
  kCommissioner,
  kProviderUser,
  kAuditor,
  kService,
};

// "COMMISSIONER", ... as in the API.
absl::string_view RoleName(Role role);

// Who acts: the user, and the role and organisation they act in.
struct Actor {
  std::string user_id;
  Role role = Role::kService;
  std::string organisation_id;
};

enum class SourceKind { kUnspecified, kAward, kDirectAward, kBlockCallOff };

// Where an IPA came from; only the ids of its kind are set.
struct IpaSource {
  SourceKind kind = SourceKind::kUnspecified;
  std::string referral_id;        // AWARD
  std::string bid_id;             // AWARD
  std::string direct_award_id;    // DIRECT_AWARD
  std::string block_contract_id;  // BLOCK_CALL_OFF
  std::string block_call_off_id;  // BLOCK_CALL_OFF
  // DIRECT_AWARD: called off the lot's ranking at admission (the referral service's basis
  // RANKED_CALL_OFF) rather than made under the regime's direct award. Published as such.
  bool ranked_call_off = false;
};

// The ids of the kind are set (each an identifier, fields.h ValidateId) and no other id is;
// ranked_call_off only on a DIRECT_AWARD.
absl::Status ValidateSource(absl::string_view field, const IpaSource& source);

// The same string for the same source, different strings for different sources, so storage can
// hold one IPA per source and a replayed award event finds the IPA it made:
//   SourceKey({kAward, "referral-1", "bid-7"}) == "award:referral-1:bid-7"
//   "direct-award:<direct_award_id>", "block-call-off:<block_contract_id>:<block_call_off_id>"
// Identifiers never hold ':', so the key cannot be read two ways. Fails as ValidateSource does.
absl::StatusOr<std::string> SourceKey(const IpaSource& source);

struct Parties {
  std::string placing_authority_id;
  std::string provider_id;
  std::string establishment_id;  // the provider's establishment the child is placed with
  // As the register named them when the IPA was drawn up (empty: not known; the id stands in).
  // Kept on the IPA so the agreement reads the same however the register changes later.
  std::string placing_authority_name;
  std::string provider_name;
  std::string establishment_name;
  std::string establishment_address;  // one line, commas between the parts
};

enum class IpaState { kDraft, kIssued, kSigned, kActive, kEnded, kCancelled };

// "DRAFT", "ISSUED", ... as in the API.
absl::string_view IpaStateName(IpaState state);

// A signature: who, in which organisation and for which party, when, and the hash of exactly
// which rendered bytes.
struct Signature {
  Party party = Party::kUnspecified;
  std::string user_id;
  std::string organisation_id;
  std::string name;
  std::string position;
  absl::Time signed_at;
  std::string document_sha256;
  int version_number = 0;
};

// How a version came about.
enum class VersionOrigin { kIssue, kReissue, kVariation };

// What a variation changes (dps.contracts.v1.VariationKind); kUnspecified for versions made by
// Issue and Reissue.
enum class VariationKind {
  kUnspecified,
  kAdditionalServices,
  kFeeUplift,
  kDates,
  kContactsOrDocuments,
  kOther,
};

enum class VersionState {
  kAwaitingSignatures,
  kInForce,     // both parties signed it; the latest such version is the IPA's current one
  kSuperseded,  // replaced: by a later signed version, or (unsigned) by a reissue
  kRejected,    // a variation the other party refused
  kWithdrawn,   // a variation its proposer withdrew, or one still unsigned when the IPA ended
};

// "AWAITING_SIGNATURES", "IN_FORCE", ...
absl::string_view VersionStateName(VersionState state);

// One rendered version. Its terms, effective date and hash are fixed when it is made; only its
// signatures and state change afterwards.
struct IpaVersion {
  int number = 0;  // 1, 2, ...: versions[number - 1]
  VersionOrigin origin = VersionOrigin::kIssue;
  VariationKind variation_kind = VariationKind::kUnspecified;
  IpaTerms terms;
  // The first day its terms govern (version 1: the start date). For each day, the version in
  // force is the highest-numbered signed version whose effective date has come (costs.h).
  absl::CivilDay effective_from;
  std::string document_sha256;  // lowercase hex SHA-256 of the rendered bytes
  int64_t byte_length = 0;
  std::string reason;  // why it was reissued or varied
  Party proposed_by = Party::kPlacingAuthority;
  std::string proposed_by_user_id;
  absl::Time proposed_at;
  std::string fee_uplift_id;  // FEE_UPLIFT variations
  VersionState state = VersionState::kAwaitingSignatures;
  std::vector<Signature> signatures;
  std::optional<absl::Time> in_force_at;  // when the second party signed
  std::optional<absl::Time> closed_at;    // when superseded, rejected or withdrawn
  std::string rejection_reason;

  // The party's signature, or nullptr.
  const Signature* SignatureOf(Party party) const;
};

// What a caller renders for the domain: the version's text, deterministically, from the IPA and
// the version about to be added (its number, terms and effective date are set). The domain keeps
// the SHA-256 and the length; the bytes are the renderer's to store.
struct Rendering {
  std::string sha256;  // lowercase hex
  int64_t byte_length = 0;
};

struct Ipa;

class VersionRenderer {
 public:
  virtual ~VersionRenderer() = default;
  virtual absl::StatusOr<Rendering> Render(const Ipa& ipa, const IpaVersion& version) const = 0;
};

enum class EndingBasis {
  kNoticeByAuthority,
  kNoticeByProvider,
  kMutualAgreement,
  kImmediateSafeguarding,  // the authority ends it at once for the child's safety
};

enum class EndReason {
  kUnspecified,
  kOutcomesAchieved,
  kStepDown,
  kReturnedHome,
  kPlacementBreakdown,
  kNeedsNotMet,
  kSafeguarding,
  kProviderClosure,
  kAgedOut,
  kOther,
};

// How and why the IPA ends: scheduled once notice is given or both parties agree a date, and
// reached by End on `end_date`, the placement's last day.
struct Ending {
  EndingBasis basis = EndingBasis::kNoticeByAuthority;
  EndReason reason = EndReason::kUnspecified;
  std::string detail;
  Party given_by = Party::kUnspecified;           // notice only
  std::optional<absl::CivilDay> notice_given_on;  // notice only
  absl::CivilDay end_date;
  std::string recorded_by_user_id;
  absl::Time recorded_at;
};

// One party's agreement to end on a date; the ending is scheduled when both agree the same date.
struct EndingAgreement {
  absl::CivilDay end_date;
  EndReason reason = EndReason::kUnspecified;
  std::string detail;
  std::string user_id;
  absl::Time agreed_at;
};

// One line of the history: who moved the IPA (nullopt: the server's timer), from which state to
// which, and what happened.
struct HistoryEntry {
  absl::Time at;
  std::optional<Actor> actor;
  IpaState from = IpaState::kDraft;
  IpaState to = IpaState::kDraft;
  std::string what;
};

struct Ipa {
  std::string id;
  std::string system_id;
  // The authority leading the purchasing system: its admins and auditors oversee every IPA of the
  // system, so the IPA keeps who that is from the day it is made.
  std::string lead_authority_id;
  std::string lot_id;
  IpaSource source;
  Parties parties;
  ProvisionType provision_type = ProvisionType::kUnspecified;
  IpaState state = IpaState::kDraft;
  // The terms being completed; read only while DRAFT. From issue on, each version holds its own.
  IpaTerms draft;
  std::vector<IpaVersion> versions;
  int current_version_number = 0;  // the latest version in force; 0 until both parties sign
  std::optional<Ending> ending;    // scheduled (or, once ENDED, reached)
  std::optional<EndingAgreement> authority_agreement;
  std::optional<EndingAgreement> provider_agreement;
  std::optional<absl::CivilDay> actual_start_date;  // set by Activate or ActivateOn
  // The placing authority said when the placement started (ActivateOn). False while the date is
  // the timer's presumption (the planned start date), which the authority may still correct once.
  bool actual_start_recorded = false;
  std::optional<absl::CivilDay> ended_on;  // set by End: the last day of the placement
  std::string cancellation_reason;
  // Who is placed (children.h): recorded by the placing authority after award, shown to the two
  // parties only.
  std::vector<ChildIdentity> children;
  // When the award, direct award or call-off was made (the referral service's event time): the
  // quarter an award is published in. created_at is when this service drew the IPA up.
  absl::Time awarded_at;
  absl::Time created_at;
  std::vector<HistoryEntry> history;

  // The version in force, or nullptr before both parties sign version 1.
  const IpaVersion* current_version() const;
  // The version awaiting signatures, or nullptr.
  const IpaVersion* awaiting_signatures() const;
  // The terms as they stand: the current version's, else the one awaiting signatures (ISSUED),
  // else the draft's.
  const IpaTerms& terms() const;
};

// What CreateIpa is given: the award's parties, provision and terms (at least the core fee).
struct IpaSpec {
  std::string id;  // a new id from the caller
  std::string system_id;
  std::string lead_authority_id;
  std::string lot_id;
  IpaSource source;
  Parties parties;
  ProvisionType provision_type = ProvisionType::kUnspecified;
  IpaTerms terms;
  // When the award was made; absl::InfinitePast(): unknown, and the IPA's creation stands in.
  absl::Time awarded_at = absl::InfinitePast();
};

// The party `actor` acts for on this IPA: a placing officer or commissioner of its placing
// authority acts for the PLACING_AUTHORITY, a provider user of its provider for the PROVIDER.
// Anyone else is PermissionDenied, naming their role and organisation.
absl::StatusOr<Party> PartyOf(const Ipa& ipa, const Actor& actor);

// A new DRAFT from an award, direct award or block call-off. Made by a DPS service (on the
// referral events) or by a placing officer or commissioner of the placing authority. Every id is
// an identifier, the provision type is given, and the terms pass ValidateTerms (a core fee is
// required; the rest may follow in UpdateDraft).
absl::StatusOr<Ipa> CreateIpa(IpaSpec spec, const Actor& by, absl::Time now);

// Replaces a DRAFT's terms (placing authority only). The core fee and discounts are the award's
// and stay as they are; the rest is free.
absl::Status UpdateDraft(Ipa& ipa, IpaTerms terms, const Actor& by, absl::Time now);

// DRAFT -> ISSUED (placing authority only): the terms must be complete (CheckComplete); version 1
// is rendered and awaits both signatures.
absl::Status Issue(Ipa& ipa, const VersionRenderer& renderer, const Actor& by, absl::Time now);

// ISSUED -> ISSUED with a new version replacing the one awaiting signatures (placing authority
// only, with a reason): for a correction before both have signed. Signatures already given to
// the old version lapse with it; its hash is refused from then on ("version 1 is superseded").
absl::Status Reissue(Ipa& ipa, IpaTerms terms, absl::string_view reason,
                     const VersionRenderer& renderer, const Actor& by, absl::Time now);

// DRAFT or ISSUED -> CANCELLED (placing authority only, with a reason): the placement fell
// through before a contract existed. Once both parties signed, only an ending ends it.
absl::Status Cancel(Ipa& ipa, absl::string_view reason, const Actor& by, absl::Time now);

// What a signer sends: the hash they were shown, and their name and position when the version
// does not name them as a signatory.
struct SignInput {
  std::string document_sha256;
  std::string signatory_name;
  std::string signatory_position;
};

// Signs the version awaiting signatures for the party `by` acts for (PartyOf). Refused:
//   - when no version awaits signatures (FailedPrecondition, naming the state);
//   - a hash of an earlier version ("version 1 is superseded: version 2 awaits signatures") or
//     of no version (FailedPrecondition: the signer was shown something else);
//   - a second signature of the same party on the same version (FailedPrecondition);
//   - a user who is not a named signatory of the party, when the version names any
//     (PermissionDenied).
// When both parties have signed, the version is in force and the previous one superseded; an
// ISSUED IPA becomes SIGNED.
absl::Status Sign(Ipa& ipa, const SignInput& input, const Actor& by, absl::Time now);

// True when the timer should activate the IPA: SIGNED, the current version's start date has
// come, and no ending falls before it.
bool ActivationDue(const Ipa& ipa, absl::Time now);

// SIGNED -> ACTIVE on or after the start date (the timer calls it; so may a placing officer on
// the day); the actual start date is the start date. Refused before the start date, and for a
// placement whose scheduled ending comes before its start (End ends it instead).
absl::Status Activate(Ipa& ipa, absl::Time now);
// As Activate, by a person (or service) who says the placement started on its planned date:
// the history names them, and a person's word fixes the day (`actual_start_recorded`).
absl::Status Activate(Ipa& ipa, absl::Time now, const Actor& by);

// The placing authority (or a DPS service for it) records the day the placement actually
// started, when it was not the planned start date:
//   - SIGNED -> ACTIVE with that day, earlier or later than planned. The day must have come (not
//     after today, UTC), not fall before the award's day and not after a scheduled ending.
//   - ACTIVE, when the timer started it on the planned date and nobody has said otherwise: the
//     day replaces the timer's presumption, under the same rules, and only while no version has
//     been proposed since (a variation's effective date rests on the start). Once recorded by a
//     person the day is fixed: a second recording is FailedPrecondition.
// Either way `actual_start_recorded` is set, so the timer never acts on the IPA again for its
// start (it claims only SIGNED IPAs) and a correction is made once.
absl::Status ActivateOn(Ipa& ipa, absl::CivilDay actual, const Actor& by, absl::Time now);

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_DOMAIN_IPA_H_
