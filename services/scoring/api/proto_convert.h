// Translation between the dps.scoring.v1 API messages and the engine's domain types.
//
// FromProto reads an EvaluateRequest into a Competition, applying the API's defaults (absent
// weights are 50/10/10/5/5/20; sibling group 0 is 1; permanence threshold 0 is 9 months; parental
// choice max 0 is 3 and within 0 is 5.0 points) and refusing what the domain cannot express
// (a missing location, fee or submission time; an unknown enum) with INVALID_ARGUMENT naming the
// field. ToProto writes an Evaluation back with every figure and the inputs it used.
#ifndef DPS_SERVICES_SCORING_API_PROTO_CONVERT_H_
#define DPS_SERVICES_SCORING_API_PROTO_CONVERT_H_

#include <string>

#include "absl/status/statusor.h"
#include "dps/scoring/v1/scoring.pb.h"
#include "services/scoring/domain/competition.h"

namespace dps::scoring {

absl::StatusOr<Competition> FromProto(const v1::EvaluateRequest& request);

// `evaluation` must come from Evaluate(`competition`): bids refer back to it by index.
void ToProto(const Competition& competition, const Evaluation& evaluation,
             v1::EvaluateResponse* response);

// The weights as the API carries them (the response's weights; a request's).
void ToProto(const Weights& weights, dps::common::v1::Weights* out);

// Points rounded to 2 dp for people ("%.2f" of the unrounded double), e.g. "83.19". The response
// carries only the doubles; this is how any reader of it should show them.
std::string FormatPoints(double points);

}  // namespace dps::scoring

#endif  // DPS_SERVICES_SCORING_API_PROTO_CONVERT_H_
