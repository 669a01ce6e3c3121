#include "services/contracts/app/ipa_use_cases.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "platform/crypto/sha256.h"
#include "services/contracts/app/ipa_events.h"
#include "services/contracts/domain/ending.h"

namespace dps::contracts {
namespace {

absl::Status CheckExpected(const StoredIpa& stored, int64_t expected_version) {
  if (expected_version == 0 || expected_version == stored.version) return absl::OkStatus();
  return absl::AbortedError(absl::StrCat("ipa ", stored.ipa.id, ": expected version ",
                                         expected_version, " but it is at version ",
                                         stored.version));
}

// Runs the caller's hook in the transaction that saved `stored`.
absl::Status AfterSave(IpaTransaction& tx, const StoredIpa& stored, const Caller& caller) {
  if (!caller.on_saved) return absl::OkStatus();
  return caller.on_saved(tx, stored);
}

absl::Status NotFound(const std::string& id) {
  return absl::NotFoundError(absl::StrCat("ipa ", id, ": not found"));
}

bool Oversees(const Ipa& ipa, const Actor& actor) {
  return (actor.role == Role::kLeadAuthorityAdmin || actor.role == Role::kAuditor) &&
         !ipa.lead_authority_id.empty() && actor.organisation_id == ipa.lead_authority_id;
}

}  // namespace

absl::StatusOr<bool> ReadAccess(const Ipa& ipa, const Actor& actor) {
  if (PartyOf(ipa, actor).ok()) return true;
  if (actor.role == Role::kService || Oversees(ipa, actor)) return false;
  return NotFound(ipa.id);
}

absl::StatusOr<IpaFilter> ScopeFilter(IpaFilter requested, const Actor& actor) {
  // The one field a role is held to, and the scope it must equal.
  std::string* held = nullptr;
  const char* field = "";
  switch (actor.role) {
    case Role::kPlacingOfficer:
    case Role::kCommissioner:
      held = &requested.placing_authority_id;
      field = "placing_authority_id";
      break;
    case Role::kProviderUser:
      held = &requested.provider_id;
      field = "provider_id";
      break;
    case Role::kLeadAuthorityAdmin:
    case Role::kAuditor:
      held = &requested.lead_authority_id;
      field = "lead_authority_id";
      break;
    case Role::kService:
      return requested;
    case Role::kEvaluator:
      break;
  }
  if (held == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrCat("role ", RoleName(actor.role), " may not list IPAs"));
  }
  if (!held->empty() && *held != actor.organisation_id) {
    return absl::PermissionDeniedError(
        absl::StrCat(field, ": only your own organisation's IPAs may be listed"));
  }
  *held = actor.organisation_id;
  return requested;
}

Actor ContractsServiceActor() { return {"contracts", Role::kService, ""}; }

IpaUseCases::IpaUseCases(IpaUnitOfWork& uow, const DocumentRenderer& renderer,
                         const platform::Clock& clock, std::function<std::string()> new_id,
                         Options options)
    : uow_(uow),
      renderer_(renderer),
      clock_(clock),
      new_id_(std::move(new_id)),
      options_(options) {}

absl::StatusOr<CreateResult> IpaUseCases::CreateIpaFromAward(IpaSpec spec, const Caller& caller) {
  absl::StatusOr<std::string> key = SourceKey(spec.source);
  if (!key.ok()) return key.status();
  const absl::Time now = clock_.Now();
  spec.id = new_id_();
  absl::StatusOr<Ipa> made = CreateIpa(std::move(spec), caller.actor, now);
  if (!made.ok()) return made.status();

  CreateResult result;
  auto find_or_insert = [&](IpaTransaction& tx) -> absl::Status {
    absl::StatusOr<std::optional<StoredIpa>> existing = tx.ipas().FindBySource(*key);
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) {
      result = {**std::move(existing), false};
      return AfterSave(tx, result.ipa, caller);
    }
    absl::StatusOr<int64_t> version = tx.ipas().Insert(*made, {});
    if (!version.ok()) return version.status();
    result = {{*made, *version}, true};
    if (absl::Status s = tx.Publish(IpaCreatedEvent(*made, {caller.actor, caller.request_id, now}));
        !s.ok()) {
      return s;
    }
    return AfterSave(tx, result.ipa, caller);
  };
  absl::Status s = uow_.Run(find_or_insert);
  // Two deliveries of one award at once: the other inserted between our find and our insert,
  // and the unique source key refused ours. Its IPA is the answer; look again.
  if (s.code() == absl::StatusCode::kAlreadyExists) s = uow_.Run(find_or_insert);
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<StoredIpa> IpaUseCases::IssueIpa(const std::string& id, int64_t expected_version,
                                                const Caller& caller) {
  return RenderedChange(id, expected_version, caller,
                        [&](Ipa& ipa, const VersionRenderer& renderer,
                            const EventContext& context) -> absl::StatusOr<std::vector<IpaEvent>> {
                          if (absl::Status s = Issue(ipa, renderer, caller.actor, context.now);
                              !s.ok())
                            return s;
                          return std::vector<IpaEvent>{IpaIssuedEvent(ipa, context)};
                        });
}

absl::StatusOr<StoredIpa> IpaUseCases::RenderedChange(const std::string& id,
                                                      int64_t expected_version,
                                                      const Caller& caller,
                                                      const RenderedChangeFn& change) {
  // 1. Read, and let the transaction (and its connection) go.
  absl::StatusOr<StoredIpa> read;
  if (absl::Status s = uow_.Run([&](IpaTransaction& tx) {
        read = tx.ipas().Load(id);
        return read.status();
      });
      !s.ok()) {
    return s;
  }
  if (absl::StatusOr<bool> readable = ReadAccess(read->ipa, caller.actor); !readable.ok()) {
    return readable.status();
  }
  if (absl::Status s = CheckExpected(*read, expected_version); !s.ok()) return s;

  // 2. Render outside any transaction: rendering may be slow, and nothing is held meanwhile.
  const EventContext context{caller.actor, caller.request_id, clock_.Now()};
  StoredIpa stored = *std::move(read);
  RecordingRenderer renderer(renderer_);
  absl::StatusOr<std::vector<IpaEvent>> events = change(stored.ipa, renderer, context);
  if (!events.ok()) return events.status();

  // 3. Save only over the version read: if the IPA changed meanwhile, this is Aborted.
  if (absl::Status s = uow_.Run([&](IpaTransaction& tx) -> absl::Status {
        absl::StatusOr<int64_t> saved =
            tx.ipas().Save(stored.ipa, stored.version, renderer.rendered());
        if (!saved.ok()) return saved.status();
        stored.version = *saved;
        if (absl::Status s = AfterSave(tx, stored, caller); !s.ok()) return s;
        for (const IpaEvent& event : *events) {
          if (absl::Status s = tx.Publish(event); !s.ok()) return s;
        }
        return absl::OkStatus();
      });
      !s.ok()) {
    return s;
  }
  return stored;
}

absl::StatusOr<StoredIpa> IpaUseCases::ProposeVariation(const std::string& ipa_id,
                                                        VariationInput input,
                                                        int64_t expected_version,
                                                        const Caller& caller) {
  return RenderedChange(ipa_id, expected_version, caller,
                        [&](Ipa& ipa, const VersionRenderer& renderer,
                            const EventContext& context) -> absl::StatusOr<std::vector<IpaEvent>> {
                          absl::StatusOr<int> number = contracts::ProposeVariation(
                              ipa, std::move(input), renderer, caller.actor, context.now);
                          if (!number.ok()) return number.status();
                          return std::vector<IpaEvent>{};
                        });
}

absl::StatusOr<StoredIpa> IpaUseCases::SignVariation(const VariationRef& ref,
                                                     const SignInput& input, const Caller& caller) {
  return Change(
      ref.ipa_id, 0, caller,
      [&](Ipa& ipa, const EventContext& context) -> absl::StatusOr<std::vector<IpaEvent>> {
        if (absl::Status s =
                contracts::SignVariation(ipa, ref.version_number, input, caller.actor, context.now);
            !s.ok()) {
          return s;
        }
        const Party party = PartyOf(ipa, caller.actor).value();
        std::vector<IpaEvent> events{IpaSignedEvent(ipa, party, ref.version_number, context)};
        if (ipa.current_version_number == ref.version_number) {
          events.push_back(IpaVariedEvent(ipa, ref.version_number, context));
        }
        return events;
      });
}

absl::StatusOr<StoredIpa> IpaUseCases::RejectVariation(const VariationRef& ref,
                                                       const std::string& reason,
                                                       const Caller& caller) {
  return Change(
      ref.ipa_id, 0, caller,
      [&](Ipa& ipa, const EventContext& context) -> absl::StatusOr<std::vector<IpaEvent>> {
        if (absl::Status s = contracts::RejectVariation(ipa, ref.version_number, reason,
                                                        caller.actor, context.now);
            !s.ok()) {
          return s;
        }
        return std::vector<IpaEvent>{};
      },
      "ipa.variation_rejected", {{"version_number", absl::StrCat(ref.version_number)}});
}

absl::StatusOr<StoredIpa> IpaUseCases::SignIpa(const std::string& id, const SignInput& input,
                                               int64_t expected_version, const Caller& caller) {
  return Change(
      id, expected_version, caller,
      [&](Ipa& ipa, const EventContext& context) -> absl::StatusOr<std::vector<IpaEvent>> {
        const IpaVersion* awaiting = ipa.awaiting_signatures();
        const int version_number = awaiting != nullptr ? awaiting->number : 0;
        if (absl::Status s = Sign(ipa, input, caller.actor, context.now); !s.ok()) {
          return s;
        }
        // Sign succeeded, so the caller acts for exactly one party.
        const Party party = PartyOf(ipa, caller.actor).value();
        return std::vector<IpaEvent>{IpaSignedEvent(ipa, party, version_number, context)};
      });
}

absl::StatusOr<StoredIpa> IpaUseCases::Change(
    const std::string& id, int64_t expected_version, const Caller& caller, const ChangeFn& change,
    const char* unannounced_action, std::map<std::string, std::string> unannounced_details) {
  StoredIpa result;
  const absl::Status s = uow_.Run([&](IpaTransaction& tx) -> absl::Status {
    absl::StatusOr<StoredIpa> stored = tx.ipas().LoadForUpdate(id);
    if (!stored.ok()) return stored.status();
    // An IPA the caller may not read is not found, before any rule says more about it.
    if (absl::StatusOr<bool> readable = ReadAccess(stored->ipa, caller.actor); !readable.ok()) {
      return readable.status();
    }
    if (absl::Status s = CheckExpected(*stored, expected_version); !s.ok()) return s;
    const absl::Time now = clock_.Now();
    const IpaState before = stored->ipa.state;
    const EventContext context{caller.actor, caller.request_id, now};
    absl::StatusOr<std::vector<IpaEvent>> events = change(stored->ipa, context);
    if (!events.ok()) return events.status();
    absl::StatusOr<int64_t> saved = tx.ipas().Save(stored->ipa, stored->version, {});
    if (!saved.ok()) return saved.status();
    stored->version = *saved;
    result = *std::move(stored);
    if (absl::Status s = AfterSave(tx, result, caller); !s.ok()) return s;
    for (const IpaEvent& event : *events) {
      if (absl::Status s = tx.Publish(event); !s.ok()) return s;
    }
    if (events->empty() && unannounced_action != nullptr) {
      const Ipa& ipa = result.ipa;
      return tx.RecordUnannounced(AuditEntryOf({.action = unannounced_action,
                                                .aggregate_type = "ipa",
                                                .aggregate_id = ipa.id,
                                                .system_id = ipa.system_id,
                                                .authority_id = ipa.parties.placing_authority_id,
                                                .from_state = std::string(IpaStateName(before)),
                                                .to_state = std::string(IpaStateName(ipa.state)),
                                                .details = std::move(unannounced_details)},
                                               context));
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<StoredIpa> IpaUseCases::UpdateDraft(
    const std::string& id, IpaTerms terms, std::optional<std::vector<ChildIdentity>> children,
    int64_t expected_version, const Caller& caller) {
  return Change(
      id, expected_version, caller,
      [&](Ipa& ipa, const EventContext& context) -> absl::StatusOr<std::vector<IpaEvent>> {
        if (absl::Status s =
                contracts::UpdateDraft(ipa, std::move(terms), caller.actor, context.now);
            !s.ok()) {
          return s;
        }
        if (children) {
          if (absl::Status s = SetChildren(ipa, *std::move(children), caller.actor, context.now);
              !s.ok()) {
            return s;
          }
        }
        return std::vector<IpaEvent>{};
      },
      "ipa.draft_updated", {{"children_changed", children ? "true" : "false"}});
}

absl::StatusOr<StoredIpa> IpaUseCases::CancelIpa(const std::string& id, const std::string& reason,
                                                 const Caller& caller) {
  return Change(
      id, 0, caller,
      [&](Ipa& ipa, const EventContext& context) -> absl::StatusOr<std::vector<IpaEvent>> {
        const IpaState previous = ipa.state;
        if (absl::Status s = Cancel(ipa, reason, caller.actor, context.now); !s.ok()) {
          return s;
        }
        return std::vector<IpaEvent>{IpaCancelledEvent(ipa, previous, context)};
      });
}

absl::StatusOr<StoredIpa> IpaUseCases::ActivateIpa(const std::string& id,
                                                   std::optional<absl::CivilDay> actual_start,
                                                   const Caller& caller) {
  return Change(
      id, 0, caller,
      [&](Ipa& ipa, const EventContext& context) -> absl::StatusOr<std::vector<IpaEvent>> {
        // The placing authority starts the placement (or the service, on the day).
        if (caller.actor.role != Role::kService) {
          absl::StatusOr<Party> party = PartyOf(ipa, caller.actor);
          if (!party.ok()) return party.status();
          if (*party != Party::kPlacingAuthority) {
            return absl::PermissionDeniedError(
                "ipa: only the placing authority starts the placement");
          }
        }
        const absl::Status s = actual_start
                                   ? ActivateOn(ipa, *actual_start, caller.actor, context.now)
                                   : Activate(ipa, context.now, caller.actor);
        if (!s.ok()) return s;
        return std::vector<IpaEvent>{IpaActivatedEvent(ipa, context)};
      });
}

absl::StatusOr<StoredIpa> IpaUseCases::GiveNotice(const std::string& id, const NoticeInput& input,
                                                  const Caller& caller) {
  return Change(
      id, 0, caller,
      [&](Ipa& ipa, const EventContext& context) -> absl::StatusOr<std::vector<IpaEvent>> {
        if (absl::Status s = contracts::GiveNotice(ipa, input, caller.actor, context.now);
            !s.ok()) {
          return s;
        }
        return std::vector<IpaEvent>{IpaNoticeGivenEvent(ipa, context)};
      });
}

absl::StatusOr<StoredIpa> IpaUseCases::AgreeEnding(const std::string& id,
                                                   const AgreementInput& input,
                                                   const Caller& caller) {
  return Change(
      id, 0, caller,
      [&](Ipa& ipa, const EventContext& context) -> absl::StatusOr<std::vector<IpaEvent>> {
        const std::optional<Ending> before = ipa.ending;
        if (absl::Status s = contracts::AgreeEnding(ipa, input, caller.actor, context.now);
            !s.ok()) {
          return s;
        }
        // Announced only when this agreement scheduled the ending (the second party's).
        const bool scheduled = ipa.ending.has_value() &&
                               ipa.ending->basis == EndingBasis::kMutualAgreement &&
                               (!before || before->basis != EndingBasis::kMutualAgreement ||
                                before->end_date != ipa.ending->end_date);
        if (!scheduled) return std::vector<IpaEvent>{};
        return std::vector<IpaEvent>{IpaNoticeGivenEvent(ipa, context)};
      });
}

absl::StatusOr<IpaView> IpaUseCases::GetIpa(const std::string& id, const Actor& actor) {
  absl::StatusOr<StoredIpa> stored;
  if (absl::Status s = uow_.Run([&](IpaTransaction& tx) {
        stored = tx.ipas().Load(id);
        return stored.status();
      });
      !s.ok()) {
    return s;
  }
  absl::StatusOr<bool> children_visible = ReadAccess(stored->ipa, actor);
  if (!children_visible.ok()) return children_visible.status();
  return IpaView{*std::move(stored), *children_visible};
}

absl::StatusOr<IpaUseCases::ListResult> IpaUseCases::ListIpas(const IpaFilter& filter,
                                                              const IpaPageRequest& page,
                                                              const Actor& actor) {
  absl::StatusOr<IpaFilter> scoped = ScopeFilter(filter, actor);
  if (!scoped.ok()) return scoped.status();
  absl::StatusOr<IpaPage> found;
  if (absl::Status s = uow_.Run([&](IpaTransaction& tx) {
        found = tx.ipas().List(*scoped, page);
        return found.status();
      });
      !s.ok()) {
    return s;
  }
  ListResult result;
  result.next_after_id = found->next_after_id;
  for (StoredIpa& stored : found->ipas) {
    // The scope already holds the list to what the caller may read; ReadAccess says whether
    // they see the children.
    absl::StatusOr<bool> children_visible = ReadAccess(stored.ipa, actor);
    if (!children_visible.ok()) continue;
    result.ipas.push_back({std::move(stored), *children_visible});
  }
  return result;
}

absl::StatusOr<IpaDocument> IpaUseCases::Document(const std::string& id, int version_number,
                                                  const Actor& actor) {
  if (version_number < 0) {
    return absl::InvalidArgumentError("version_number: must be 0 or more");
  }
  absl::StatusOr<IpaView> view = GetIpa(id, actor);
  if (!view.ok()) return view.status();
  const Ipa& ipa = view->stored.ipa;
  int number = version_number;
  if (number == 0) {
    if (const IpaVersion* current = ipa.current_version(); current != nullptr) {
      number = current->number;
    } else if (const IpaVersion* awaiting = ipa.awaiting_signatures(); awaiting != nullptr) {
      number = awaiting->number;
    }
  }
  if (number == 0) {
    // A DRAFT: its parties may preview it; nobody signs a preview, so nothing is stored.
    if (!view->children_visible) return NotFound(id);
    IpaVersion preview;
    preview.number = 1;
    preview.terms = ipa.draft;
    preview.proposed_at = clock_.Now();  // the day it would be issued
    if (ipa.draft.start_date) preview.effective_from = *ipa.draft.start_date;
    absl::StatusOr<std::string> bytes = renderer_.RenderDocument(ipa, preview);
    if (!bytes.ok()) return bytes.status();
    return IpaDocument{*bytes, platform::Sha256Hex(*bytes), 0};
  }
  if (number > static_cast<int>(ipa.versions.size())) {
    return absl::NotFoundError(absl::StrCat("ipa ", id, " version ", number, ": not found"));
  }
  absl::StatusOr<std::string> bytes;
  if (absl::Status s = uow_.Run([&](IpaTransaction& tx) {
        bytes = tx.ipas().LoadDocument(id, number);
        return bytes.status();
      });
      !s.ok()) {
    return s;
  }
  return IpaDocument{*bytes, ipa.versions[number - 1].document_sha256, number};
}

absl::StatusOr<IpaUseCases::TimerRun> IpaUseCases::RunDueTimers(absl::Time now) {
  TimerRun run;
  const EventContext context{ContractsServiceActor(), "", now};
  for (;;) {
    size_t claimed = 0;
    size_t changed = 0;
    TimerRun batch;
    const absl::Status s = uow_.Run([&](IpaTransaction& tx) -> absl::Status {
      absl::StatusOr<std::vector<StoredIpa>> due = tx.ipas().ListDue(now, options_.timer_batch);
      if (!due.ok()) return due.status();
      claimed = due->size();
      for (StoredIpa& stored : *due) {
        Ipa& ipa = stored.ipa;
        std::vector<IpaEvent> events;
        if (ActivationDue(ipa, now)) {
          if (absl::Status s = Activate(ipa, now); !s.ok()) return s;
          events.push_back(IpaActivatedEvent(ipa, context));
          batch.activated.push_back(ipa.id);
        }
        if (EndDue(ipa, now)) {
          if (absl::Status s = End(ipa, now); !s.ok()) return s;
          events.push_back(IpaEndedEvent(ipa, context));
          batch.ended.push_back(ipa.id);
        }
        // Claimed but nothing to do: cannot happen while NextTimerDue agrees with ActivationDue
        // and EndDue (storage's tests check it); left as it is.
        if (events.empty()) continue;
        ++changed;
        absl::StatusOr<int64_t> saved = tx.ipas().Save(ipa, stored.version, {});
        if (!saved.ok()) return saved.status();
        for (const IpaEvent& event : events) {
          if (absl::Status s = tx.Publish(event); !s.ok()) return s;
        }
      }
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    run.activated.insert(run.activated.end(), batch.activated.begin(), batch.activated.end());
    run.ended.insert(run.ended.end(), batch.ended.begin(), batch.ended.end());
    // A short batch means nothing else is due (or another replica holds it); a batch in which
    // nothing changed would come back the same, so stop rather than spin.
    if (claimed < static_cast<size_t>(options_.timer_batch) || changed == 0) break;
  }
  return run;
}

}  // namespace dps::contracts
