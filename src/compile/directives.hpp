// The [Unit] and [Service] directives of one process type, as unit-file text.
#pragma once

#include <string>
#include <string_view>

#include "compile/compile.hpp"
#include "formation/model.hpp"

namespace formation {

std::string unit_directives(const ProcessType& p);
std::string service_directives(const ProcessType& p, const CompileOptions& options);
std::string hardening_directives(const ProcessType& p);
// What every process of the type runs with, after its start settings: stop
// settings, user, directory, environment (FORMATION_INSTANCE=TYPE.instance),
// limits and sandbox.
std::string process_directives(const ProcessType& p, const CompileOptions& options, std::string_view instance);
// A scheduled type's run (APP-TYPE.service, started by its timer).
std::string scheduled_unit_directives(const Formation& f, const ProcessType& p);
std::string scheduled_service_directives(const ProcessType& p, const CompileOptions& options);
// on_failure's handler: its ExecStartPre=+ (the journal step), its
// ExecStart= (the command through `formation on-failure-exec`) and the
// type's user, group, directory and environment (no sandbox: mail
// submission is often setuid or setgid).
struct OnFailureDirectives {
    std::string journal, exec, service;
};
OnFailureDirectives on_failure_directives(const ProcessType& p, const CompileOptions& options);
// The escape hatch's [Service] lines: last, so they can override anything.
std::string raw_service_directives(const ProcessType& p);

}  // namespace formation
