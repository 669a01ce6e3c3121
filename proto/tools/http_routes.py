#!/usr/bin/python3
"""Lists and checks the REST routes the DPS API declares with `google.api.http`.

Reads a descriptor set of proto/dps (protoc --include_imports --descriptor_set_out) and checks,
for every RPC of every service under dps/, the rules written in proto/README.md ("REST mapping"):

  - exactly one HTTP rule (no additional_bindings), GET/PUT/POST/PATCH/DELETE only;
  - the path starts with /v1/; literals and custom verbs are lowerCamelCase; each variable is one
    whole segment, `{field}`, bound to a singular string or integer field of the request (no
    `{x=**}` or other multi-segment pattern: OpenAPI cannot express a `/` inside a variable);
  - GET and DELETE have no body, and every request field not in the path can be a query
    parameter (scalars, enums, repeated scalars and enums, Timestamps, and singular messages made
    only of those); every other method has body "*";
  - response_body, if any, names a bytes or string field of the response;
  - no two routes can match the same request (same method and verb, same number of segments,
    and at each position equal literals or a variable);
  - routes whose paths differ only in their variables' names (`/v1/bids/{id}` and
    `/v1/bids/{bid_id}`) name them alike, since OpenAPI makes them one path item.

It prints the route table as Markdown; any violation is printed to stderr and the exit status
is 1. With --update-readme it writes the table into proto/README.md between the
`<!-- http-routes:begin -->` and `<!-- http-routes:end -->` markers; with --check-readme it exits 1
when the README's table is not the one it would write.

Without --descriptor-set it runs protoc itself over proto/dps, with proto/ and the googleapis
folder (DPS_GOOGLEAPIS_DIR, default Debian's golang-github-gogo-googleapis-dev) as import paths.

Needs Debian's python3-protobuf (apt-get install python3-protobuf), hence /usr/bin/python3.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.descriptor import FieldDescriptor

PROTO_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
README = os.path.join(PROTO_DIR, "README.md")
BEGIN = "<!-- http-routes:begin -->"
END = "<!-- http-routes:end -->"
GOOGLEAPIS_DIR = os.environ.get("DPS_GOOGLEAPIS_DIR",
                                "/usr/share/gocode/src/github.com/gogo/googleapis")

# The order the table lists services in (others follow, alphabetically).
SERVICE_ORDER = [
    "dps.qualification.v1.QualificationService",
    "dps.referral.v1.ReferralService",
    "dps.scoring.v1.ScoringService",
    "dps.contracts.v1.ContractsService",
    "dps.contracts.v1.MarketIntelligenceService",
    "dps.audit.v1.AuditLogService",
]

LITERAL = re.compile(r"^[a-z][A-Za-z0-9]*$")
VARIABLE = re.compile(r"^\{([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*)\}$")
INTEGER_TYPES = {
    FieldDescriptor.TYPE_INT32, FieldDescriptor.TYPE_INT64, FieldDescriptor.TYPE_UINT32,
    FieldDescriptor.TYPE_UINT64, FieldDescriptor.TYPE_SINT32, FieldDescriptor.TYPE_SINT64,
    FieldDescriptor.TYPE_FIXED32, FieldDescriptor.TYPE_FIXED64, FieldDescriptor.TYPE_SFIXED32,
    FieldDescriptor.TYPE_SFIXED64,
}
# Well-known messages the transcoder reads from one query parameter.
QUERY_MESSAGES = {"google.protobuf.Timestamp"}


def descriptor_set_from_protoc():
    files = []
    for root, _, names in os.walk(os.path.join(PROTO_DIR, "dps")):
        files += [os.path.relpath(os.path.join(root, n), PROTO_DIR) for n in names
                  if n.endswith(".proto")]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "dps.pb")
        subprocess.run(["protoc", "-I", PROTO_DIR, "-I", GOOGLEAPIS_DIR, "--include_imports",
                        "--descriptor_set_out=" + out] + sorted(files), check=True)
        with open(out, "rb") as f:
            return f.read()


class Route:
    def __init__(self, service, method, verb_name, template, body, response_body, streaming):
        self.service = service    # ServiceDescriptor
        self.method = method      # MethodDescriptor
        self.http_method = verb_name  # "GET", "POST", ...
        self.template = template
        self.body = body
        self.response_body = response_body
        self.streaming = streaming
        self.segments = []  # ("lit", text) or ("var", field path)
        self.verb = ""      # the custom method, without ":"

    @property
    def rpc(self):
        return f"{self.service.name}.{self.method.name}"

    def shape(self):
        return " ".join([self.http_method] +
                        [s if k == "lit" else "{}" for k, s in self.segments] + [":" + self.verb])


def load(data):
    fds = descriptor_pb2.FileDescriptorSet.FromString(data)
    pool = descriptor_pool.DescriptorPool()
    for f in fds.file:
        pool.Add(f)
    factory = message_factory.MessageFactory(pool)

    def message_class(name):
        desc = pool.FindMessageTypeByName(name)
        if hasattr(message_factory, "GetMessageClass"):
            return message_factory.GetMessageClass(desc)
        return factory.GetPrototype(desc)

    method_options = message_class("google.protobuf.MethodOptions")
    message_class("google.api.HttpRule")
    http = pool.FindExtensionByName("google.api.http")
    services = []
    for f in fds.file:
        if not f.name.startswith("dps/"):
            continue
        for s in f.service:
            service = pool.FindServiceByName(f"{f.package}.{s.name}")
            methods = []
            for m in s.method:
                options = method_options.FromString(m.options.SerializeToString())
                rule = options.Extensions[http] if options.HasExtension(http) else None
                methods.append((service.methods_by_name[m.name], rule))
            services.append((service, methods))
    rank = {name: i for i, name in enumerate(SERVICE_ORDER)}
    services.sort(key=lambda s: (rank.get(s[0].full_name, len(rank)), s[0].full_name))
    return services


def resolve(message, path):
    """The field a dotted path names, or an error."""
    field = None
    for i, name in enumerate(path.split(".")):
        if field is not None:
            if field.type != FieldDescriptor.TYPE_MESSAGE or field.label == field.LABEL_REPEATED:
                return None, f"'{'.'.join(path.split('.')[:i])}' is not a singular message"
            message = field.message_type
        field = message.fields_by_name.get(name)
        if field is None:
            return None, f"{message.full_name} has no field '{name}'"
    return field, None


def query_problems(message, prefix, bound, seen=()):
    """Fields of a GET request that a query string cannot carry."""
    problems = []
    for field in message.fields:
        path = prefix + field.name
        if path in bound:
            continue
        repeated = field.label == field.LABEL_REPEATED
        if field.type == FieldDescriptor.TYPE_GROUP:
            problems.append(f"{path}: a group")
        elif field.type != FieldDescriptor.TYPE_MESSAGE:
            continue
        elif field.message_type.GetOptions().map_entry:
            problems.append(f"{path}: a map")
        elif repeated:
            problems.append(f"{path}: a repeated message")
        elif field.message_type.full_name in QUERY_MESSAGES:
            continue
        elif field.message_type.full_name in seen:
            problems.append(f"{path}: a recursive message")
        else:
            problems += query_problems(field.message_type, path + ".", bound,
                                       seen + (message.full_name,))
    return problems


def check_route(route, errors):
    def fail(text):
        errors.append(f"{route.rpc} ({route.http_method} {route.template}): {text}")

    template = route.template
    if not template.startswith("/v1/"):
        fail("the path must start with /v1/")
        return
    rest = template[len("/v1/"):]
    if ":" in rest.rsplit("/", 1)[-1]:
        rest, route.verb = rest.rsplit(":", 1)
        if not LITERAL.match(route.verb):
            fail(f"custom verb ':{route.verb}' must be lowerCamelCase")
    request = route.method.input_type
    bound = []
    for segment in rest.split("/"):
        if LITERAL.match(segment):
            route.segments.append(("lit", segment))
            continue
        var = VARIABLE.match(segment)
        if not var:
            fail(f"segment '{segment}' is neither a lowerCamelCase literal nor one whole "
                 "'{field}' variable")
            route.segments.append(("lit", segment))
            continue
        path = var.group(1)
        route.segments.append(("var", path))
        field, problem = resolve(request, path)
        if problem:
            fail(f"path variable {{{path}}}: {problem}")
        elif field.label == field.LABEL_REPEATED or not (
                field.type == FieldDescriptor.TYPE_STRING or field.type in INTEGER_TYPES):
            fail(f"path variable {{{path}}} must be a singular string or integer field")
        if path in bound:
            fail(f"path variable {{{path}}} bound twice")
        bound.append(path)

    if route.http_method in ("GET", "DELETE"):
        if route.body:
            fail(f"a {route.http_method} has no body (body: \"{route.body}\")")
        for problem in query_problems(request, "", set(bound)):
            fail(f"cannot be a query parameter: {problem} (make the call a POST custom method "
                 "with body \"*\")")
    elif route.body != "*":
        fail(f"body must be \"*\", not \"{route.body}\"")

    if route.response_body:
        field = route.method.output_type.fields_by_name.get(route.response_body)
        if field is None or field.label == field.LABEL_REPEATED or field.type not in (
                FieldDescriptor.TYPE_BYTES, FieldDescriptor.TYPE_STRING):
            fail(f"response_body '{route.response_body}' is not a singular bytes or string field "
                 f"of {route.method.output_type.full_name}")
        if route.streaming:
            fail("a streaming call cannot have a response_body")
    if route.method.client_streaming:
        fail("client-streaming calls cannot be mapped to HTTP")


def overlap(a, b):
    if (a.http_method, a.verb, len(a.segments)) != (b.http_method, b.verb, len(b.segments)):
        return False
    return all(x[0] == "var" or y[0] == "var" or x[1] == y[1]
               for x, y in zip(a.segments, b.segments))


def same_path(a, b):
    """Whether two templates differ at most in their variables' names: OpenAPI holds them as one
    path item, whose variables have one name each."""
    return (a.verb, [k if k == "var" else t for k, t in a.segments]) == \
        (b.verb, [k if k == "var" else t for k, t in b.segments])


def collect(services, errors):
    routes = []
    for service, methods in services:
        for method, rule in methods:
            name = f"{service.name}.{method.name}"
            if rule is None:
                errors.append(f"{name}: no google.api.http rule")
                continue
            if len(rule.additional_bindings):
                errors.append(f"{name}: additional_bindings are not used in this API")
            kind = rule.WhichOneof("pattern")
            if kind not in ("get", "put", "post", "patch", "delete"):
                errors.append(f"{name}: pattern '{kind}' is not GET, PUT, POST, PATCH or DELETE")
                continue
            route = Route(service, method, kind.upper(), getattr(rule, kind), rule.body,
                          rule.response_body, method.server_streaming)
            check_route(route, errors)
            routes.append(route)
    for i, a in enumerate(routes):
        for b in routes[i + 1:]:
            if overlap(a, b):
                errors.append(f"{a.rpc} ({a.http_method} {a.template}) and {b.rpc} "
                              f"({b.http_method} {b.template}) can match the same request")
            elif same_path(a, b) and a.segments != b.segments:
                errors.append(f"{a.rpc} ({a.template}) and {b.rpc} ({b.template}) are one "
                              "OpenAPI path and must name their variables alike")
    return routes


def markdown(services, routes):
    by_service = {}
    for r in routes:
        by_service.setdefault(r.service.full_name, []).append(r)
    lines = [f"{len(routes)} routes, written by `proto/tools/http_routes.py --update-readme` from",
             "the compiled descriptors; do not edit by hand.", ""]
    for service, _ in services:
        lines += [f"**{service.full_name}**", "", "| method | path | RPC |", "|---|---|---|"]
        for r in by_service.get(service.full_name, []):
            notes = []
            if r.streaming:
                notes.append("server stream: newline-delimited JSON")
            if r.response_body:
                notes.append(f"raw `{r.response_body}` bytes")
            note = f" ({'; '.join(notes)})" if notes else ""
            lines.append(f"| {r.http_method} | `{r.template}` | `{r.method.name}`{note} |")
        lines.append("")
    return "\n".join(lines)


def with_table(readme, table):
    if readme.count(BEGIN) != 1 or readme.count(END) != 1:
        sys.exit(f"{README}: needs one '{BEGIN}' and one '{END}' line")
    head, rest = readme.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{table}{END}{tail}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--descriptor-set", help="a FileDescriptorSet made with --include_imports")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--update-readme", action="store_true", help="write the table into README")
    mode.add_argument("--check-readme", action="store_true", help="fail if README's table is stale")
    args = parser.parse_args()

    if args.descriptor_set:
        with open(args.descriptor_set, "rb") as f:
            data = f.read()
    else:
        data = descriptor_set_from_protoc()
    services = load(data)
    errors = []
    routes = collect(services, errors)
    table = markdown(services, routes)
    for e in errors:
        print(f"http_routes: {e}", file=sys.stderr)

    if args.update_readme or args.check_readme:
        with open(README) as f:
            readme = f.read()
        wanted = with_table(readme, table)
        if args.check_readme and wanted != readme:
            print(f"http_routes: {README}: the route table is stale; run "
                  "proto/tools/http_routes.py --update-readme", file=sys.stderr)
            return 1
        if args.update_readme and not errors and wanted != readme:
            with open(README, "w") as f:
                f.write(wanted)
    else:
        print(table, end="")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
